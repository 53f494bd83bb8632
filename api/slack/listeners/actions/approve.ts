// Approve clicked on an approval card. Acknowledged at once; the workflow's validator decides. A
// refusal (not an approver, own request, already decided) is told privately and recorded; a
// replayed click carries the same update id, so Temporal runs it once.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { decideRequest } from '../../../../requests/decide.js';
import { ACTION } from '../../../../slack/blocks/ids.js';
import {
  isRefused,
  personOf,
  SLACK_SOURCE,
  type SlackContext,
  slackAuditActor,
  tellPrivately,
} from '../../context.js';
import { refreshHomeIfThere } from '../events/app-home.js';

/** Registers the Approve button, and the console link that stands for it when a passkey is needed. */
export function registerApprove(app: App, ctx: SlackContext): void {
  // The link opens the console's confirm page in the browser; Slack reports the click too, and
  // it must decide nothing here (the passkey is asked for there).
  app.action<BlockAction<ButtonAction>>(ACTION.approveInConsole, async ({ ack }) => {
    await ack();
  });
  app.action<BlockAction<ButtonAction>>(ACTION.approve, async ({ ack, action, body, context, client }) => {
    await ack();
    const person = personOf(context);
    const clickId = `slack:${body.user.id}:${action.action_ts}`;
    try {
      await decideRequest(ctx, {
        requestId: action.value ?? '',
        decision: { approver: person.email, decision: 'approve', via: clickId, slackId: body.user.id },
        actor: slackAuditActor(person, body.user.id),
        source: SLACK_SOURCE,
        updateId: clickId,
      });
    } catch (error) {
      if (!isRefused(error)) throw error;
      await refusedDecision(ctx, client, body, error.message);
    }
    await refreshHomeIfThere(ctx, client, body, person);
  });
}

/** Tells the clicker why their decision did not count, and raises a security alert. */
export async function refusedDecision(
  ctx: SlackContext,
  client: WebClient,
  body: { user: { id: string }; channel?: { id?: string } | undefined },
  reason: string,
): Promise<void> {
  await tellPrivately(client, body.channel?.id, body.user.id, `Your decision was not recorded: ${reason}.`);
  await ctx.alert({
    title: 'Refused approval attempt',
    severity: 'warning',
    text: reason,
    facts: { 'Slack user': body.user.id },
  });
}
