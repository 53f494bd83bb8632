// Release or Extend clicked on a grant (expiry notice or App Home): one handler, two buttons.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTION } from '../../../../slack/blocks/ids.js';
import { personOf, type SlackContext } from '../../context.js';
import { changeGrant } from '../../grant-changes.js';
import { refreshHomeIfThere } from '../events/app-home.js';

/** Registers the Release and Extend buttons. */
export function registerGrantChanges(app: App, ctx: SlackContext): void {
  for (const change of ['release', 'extend'] as const) {
    app.action<BlockAction<ButtonAction>>(ACTION[change], async ({ ack, action, body, context, client }) => {
      await ack();
      const person = personOf(context);
      await changeGrant(
        ctx,
        client,
        {
          person,
          slackId: body.user.id,
          grantId: action.value ?? '',
          ...(body.channel?.id ? { channel: body.channel.id } : {}),
          actionId: `slack:${body.user.id}:${action.action_ts}`,
        },
        change,
      );
      await refreshHomeIfThere(ctx, client, body, person);
    });
  }
}
