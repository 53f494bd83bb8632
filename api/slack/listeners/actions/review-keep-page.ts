// "Keep all on this page": keeps the page's items that are still open (decided ones are left
// alone, so they are not refused), in one call, and shows the page again.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { REVIEW_ACTION } from '../../../../slack/blocks/ids.js';
import { parseReviewState } from '../../../../slack/blocks/review-state.js';
import { personOf, type SlackContext } from '../../context.js';
import { decideFromSlack, loadReviewPage, showReviewPage } from '../../reviews.js';

/** Registers the keep-all button of the review modal. */
export function registerReviewKeepPage(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(
    REVIEW_ACTION.keepPage,
    async ({ ack, action, body, context, client }) => {
      await ack();
      const state = parseReviewState(body.view?.private_metadata);
      if (!body.view || !state) {
        ctx.log.warn({ user: body.user.id }, 'a keep-all click without a review page: ignored');
        return;
      }
      const who = { person: personOf(context), slackId: body.user.id };
      const page = await loadReviewPage(ctx.db, who.person, { to: 'same', state });
      const open = (page?.items ?? [])
        .filter((item) => item.decision === undefined)
        .map((item) => item.itemId);
      const notice =
        open.length === 0
          ? { tone: 'refused' as const, text: 'Nothing on this page is open any more.' }
          : await decideFromSlack(ctx, who, {
              campaignId: state.campaignId,
              itemIds: open,
              decision: 'keep',
              actionId: `slack:${body.user.id}:${action.action_ts}`,
            });
      await showReviewPage(ctx, client, body.view.id, who, { to: 'same', state }, notice);
    },
  );
}
