// The deny modal submitted: the modal closes at once and the decision goes to the workflow; a
// refusal (no longer eligible, already decided) is told privately where the click came from.
import type { App } from '@slack/bolt';
import { decideRequest } from '../../../../requests/decide.js';
import { BLOCK, VIEW } from '../../../../slack/blocks/ids.js';
import { isRefused, personOf, SLACK_SOURCE, type SlackContext, slackAuditActor } from '../../context.js';
import { refusedDecision } from '../actions/approve.js';
import { parseReasonMetadata } from '../actions/deny.js';
import { reasonOf } from './reason.js';

/** Registers the deny modal's submission. */
export function registerDenyReason(app: App, ctx: SlackContext): void {
  app.view(VIEW.denyReason, async ({ ack, view, body, context, client }) => {
    const reason = reasonOf(view);
    if (!reason) return ack({ response_action: 'errors', errors: { [BLOCK.reason]: 'Say why' } });
    await ack();
    const person = personOf(context);
    const metadata = parseReasonMetadata(view.private_metadata);
    if (!metadata) {
      ctx.log.warn({ user: body.user.id }, 'a deny reason without its request: ignored');
      return;
    }
    const submissionId = `slack:${body.user.id}:${view.id}`;
    try {
      await decideRequest(ctx, {
        requestId: metadata.requestId,
        decision: {
          approver: person.email,
          decision: 'deny',
          comment: reason,
          via: submissionId,
          slackId: body.user.id,
        },
        actor: slackAuditActor(person, body.user.id),
        source: SLACK_SOURCE,
        updateId: submissionId,
      });
    } catch (error) {
      if (!isRefused(error)) throw error;
      await refusedDecision(
        ctx,
        client,
        { user: body.user, channel: { id: metadata.channel } },
        error.message,
      );
    }
  });
}
