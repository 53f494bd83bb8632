// Release and extend from Slack (buttons, App Home, `/access release`): the grant's workflow decides
// whether this person may; a refusal is told privately and recorded.
import type { WebClient } from '@slack/web-api';
import { NotFoundError } from '../../core/errors.js';
import type { Person } from '../../db/schema.js';
import { extendGrant, grantSeenBy, releaseGrant } from '../../grants/index.js';
import {
  isRefused,
  quoted,
  recordRefusedAction,
  type SlackContext,
  slackActor,
  tellPrivately,
} from './context.js';

/** One click (or command) on a grant. */
export type GrantClick = {
  person: Person;
  slackId: string;
  grantId: string;
  channel?: string;
  actionId: string;
};

/**
 * Releases or extends a grant; answers whether it happened and in words. A refusal has already been
 * told privately. Someone else's grant reads as unknown, so nobody learns which grants exist.
 */
export async function changeGrant(
  ctx: SlackContext,
  client: WebClient,
  click: GrantClick,
  change: 'release' | 'extend',
): Promise<{ done: boolean; text: string }> {
  const refuse = async (reason: string) => {
    await recordRefusedAction(ctx, {
      person: click.person,
      slackId: click.slackId,
      action: change,
      reason,
      target: { type: 'grant', id: click.grantId },
      actionId: click.actionId,
    });
    const text = `Could not ${change} it: ${reason}.`;
    await tellPrivately(client, click.channel, click.slackId, text);
    return { done: false, text };
  };
  const actor = slackActor(click.person, click.slackId);
  const input = { grantId: click.grantId, updateId: click.actionId };
  try {
    const grant = await grantSeenBy(ctx.db, click.grantId, actor);
    const what = `${grant.resourceName} / ${grant.entitlementName}`;
    if (change === 'release') {
      await releaseGrant(ctx, input, actor);
      return { done: true, text: `Released ${what}.` };
    }
    const state = await extendGrant(ctx, input, actor);
    const until = state.expiresAt === null ? 'no end date' : new Date(state.expiresAt).toISOString();
    return { done: true, text: `Extended ${what} until ${until}.` };
  } catch (error) {
    if (error instanceof NotFoundError) return refuse(`you hold no grant ${quoted(click.grantId)}`);
    if (!isRefused(error)) throw error;
    return refuse(error.message);
  }
}
