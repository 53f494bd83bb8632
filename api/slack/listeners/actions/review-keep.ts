// Keep pressed on one item of the review modal: recorded at once, and the same page is shown again
// with the decision on it (or, when refused, why not).
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { REVIEW_ACTION } from '../../../../slack/blocks/ids.js';
import { parseReviewState } from '../../../../slack/blocks/review-state.js';
import { personOf, type SlackContext } from '../../context.js';
import { decideFromSlack, showReviewPage } from '../../reviews.js';

/** Registers the Keep button of review items. */
export function registerReviewKeep(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(
    REVIEW_ACTION.keep,
    async ({ ack, action, body, context, client }) => {
      await ack();
      const state = parseReviewState(body.view?.private_metadata);
      const itemId = Number(action.value);
      if (!body.view || !state || !Number.isSafeInteger(itemId)) {
        ctx.log.warn({ user: body.user.id }, 'a Keep click without a review page or item: ignored');
        return;
      }
      const who = { person: personOf(context), slackId: body.user.id };
      const notice = await decideFromSlack(ctx, who, {
        campaignId: state.campaignId,
        itemIds: [itemId],
        decision: 'keep',
        actionId: `slack:${body.user.id}:${action.action_ts}`,
      });
      await showReviewPage(ctx, client, body.view.id, who, { to: 'same', state }, notice);
    },
  );
}
