// Next, Previous and "Back to the first open item" in the review modal: the page is read again
// from PostgreSQL and the modal updated in place.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { REVIEW_ACTION } from '../../../../slack/blocks/ids.js';
import { parseReviewState } from '../../../../slack/blocks/review-state.js';
import { personOf, type SlackContext } from '../../context.js';
import { showReviewPage } from '../../reviews.js';

const MOVES = [
  [REVIEW_ACTION.next, 'next'],
  [REVIEW_ACTION.previous, 'previous'],
  [REVIEW_ACTION.first, 'restart'],
] as const;

/** Registers the paging buttons of the review modal. */
export function registerReviewPaging(app: App, ctx: SlackContext): void {
  for (const [actionId, to] of MOVES) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, context, client }) => {
      await ack();
      const state = parseReviewState(body.view?.private_metadata);
      if (!body.view || !state) return;
      const who = { person: personOf(context), slackId: body.user.id };
      await showReviewPage(ctx, client, body.view.id, who, { to, state });
    });
  }
}
