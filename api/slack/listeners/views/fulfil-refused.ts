// The "Can't do" modal submitted: the owner's reason goes to the workflow, which denies the request.
import type { App } from '@slack/bolt';
import { BLOCK, VIEW } from '../../../../slack/blocks/ids.js';
import { personOf, type SlackContext } from '../../context.js';
import { parseReasonMetadata } from '../actions/deny.js';
import { reportFulfilment } from '../actions/fulfil.js';
import { reasonOf } from './reason.js';

/** Registers the fulfilment refusal modal's submission. */
export function registerFulfilRefused(app: App, ctx: SlackContext): void {
  app.view(VIEW.fulfilRefused, async ({ ack, view, body, context, client }) => {
    const reason = reasonOf(view);
    if (!reason) return ack({ response_action: 'errors', errors: { [BLOCK.reason]: 'Say why' } });
    await ack();
    const metadata = parseReasonMetadata(view.private_metadata);
    if (!metadata) {
      ctx.log.warn({ user: body.user.id }, "a can't-do reason without its request: ignored");
      return;
    }
    await reportFulfilment(
      ctx,
      client,
      {
        person: personOf(context),
        slackId: body.user.id,
        requestId: metadata.requestId,
        ...(metadata.channel ? { channel: metadata.channel } : {}),
        actionId: `slack:${body.user.id}:${view.id}`,
      },
      'refused',
      reason,
    );
  });
}
