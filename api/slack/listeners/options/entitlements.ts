// The request modal's entitlement search: options from the catalog as the person types.
import type { App } from '@slack/bolt';
import { searchEntitlements } from '../../../../db/queries/entitlements.js';
import { ACTION } from '../../../../slack/blocks/ids.js';
import { entitlementOptions } from '../../../../slack/blocks/modals.js';
import type { SlackContext } from '../../context.js';

/** Slack shows at most 100 options. */
const MAX_OPTIONS = 100;

/** Registers the external-select options listener. */
export function registerEntitlementOptions(app: App, ctx: SlackContext): void {
  app.options(ACTION.entitlement, async ({ ack, options }) => {
    const found = await searchEntitlements(ctx.db, options.value ?? '', MAX_OPTIONS);
    await ack(entitlementOptions(found));
  });
}
