// Revoke pressed on a review item: a reason is required, so a modal asking for it is pushed over
// the review (views/review-reason.ts records the decision and updates the review underneath).
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { REVIEW_ACTION } from '../../../../slack/blocks/ids.js';
import { revokeReasonModal } from '../../../../slack/blocks/review-modal.js';
import { parseReviewState } from '../../../../slack/blocks/review-state.js';
import { personOf, type SlackContext } from '../../context.js';
import { loadReviewItem, showReviewPage } from '../../reviews.js';

/** Registers the Revoke button of review items. */
export function registerReviewRevoke(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(
    REVIEW_ACTION.revoke,
    async ({ ack, action, body, context, client }) => {
      await ack();
      const state = parseReviewState(body.view?.private_metadata);
      const itemId = Number(action.value);
      if (!body.view || !state || !Number.isSafeInteger(itemId)) {
        ctx.log.warn({ user: body.user.id }, 'a Revoke click without a review page or item: ignored');
        return;
      }
      const who = { person: personOf(context), slackId: body.user.id };
      const item = await loadReviewItem(ctx.db, who.person, state.campaignId, itemId);
      if (!item) {
        await showReviewPage(
          ctx,
          client,
          body.view.id,
          who,
          { to: 'same', state },
          {
            tone: 'refused',
            text: 'That item is no longer yours to review.',
          },
        );
        return;
      }
      await client.views.push({
        trigger_id: body.trigger_id,
        view: revokeReasonModal(item, { itemId, reviewViewId: body.view.id, state }),
      });
    },
  );
}
