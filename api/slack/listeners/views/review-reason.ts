// The revoke-reason modal submitted: it closes (back to the review), the revocation is recorded
// with its reason, and the review page underneath shows it (or why it was not recorded).
import type { App } from '@slack/bolt';
import { CAMPAIGN_VIEW, REVIEW_ACTION, REVIEW_BLOCK } from '../../../../slack/blocks/ids.js';
import { parseRevokeReasonMetadata } from '../../../../slack/blocks/review-state.js';
import { personOf, type SlackContext } from '../../context.js';
import { decideFromSlack, showReviewPage } from '../../reviews.js';
import { textInput } from '../../view-state.js';

/** Registers the revoke-reason modal's submission. */
export function registerReviewReason(app: App, ctx: SlackContext): void {
  app.view(CAMPAIGN_VIEW.revokeReason, async ({ ack, view, body, context, client }) => {
    const reason = textInput(view, REVIEW_BLOCK.reason, REVIEW_ACTION.reason)?.trim();
    if (!reason) return ack({ response_action: 'errors', errors: { [REVIEW_BLOCK.reason]: 'Say why' } });
    const metadata = parseRevokeReasonMetadata(view.private_metadata);
    await ack();
    if (!metadata) {
      ctx.log.warn({ user: body.user.id }, 'a revoke reason without its review: ignored');
      return;
    }
    const who = { person: personOf(context), slackId: body.user.id };
    const notice = await decideFromSlack(ctx, who, {
      campaignId: metadata.state.campaignId,
      itemIds: [metadata.itemId],
      decision: 'revoke',
      reason,
      actionId: `slack:${body.user.id}:${view.id}`,
    });
    await showReviewPage(
      ctx,
      client,
      metadata.reviewViewId,
      who,
      { to: 'same', state: metadata.state },
      notice,
    );
  });
}
