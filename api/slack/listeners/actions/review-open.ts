// Review pressed (digest DM or App Home): opens the review modal on the reviewer's first open items.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { REVIEW_ACTION } from '../../../../slack/blocks/ids.js';
import { reviewModal } from '../../../../slack/blocks/review-modal.js';
import { personOf, type SlackContext, tellPrivately } from '../../context.js';
import { loadReviewPage } from '../../reviews.js';

/** Registers the Review button. */
export function registerReviewOpen(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(
    REVIEW_ACTION.open,
    async ({ ack, action, body, context, client }) => {
      await ack();
      const channel = body.channel?.id;
      const page = await loadReviewPage(ctx.db, personOf(context), {
        to: 'first',
        campaignId: action.value ?? '',
        ...(channel ? { channel } : {}),
      });
      if (!page) {
        await tellPrivately(client, channel, body.user.id, 'That campaign does not exist (any more).');
        return;
      }
      await client.views.open({ trigger_id: body.trigger_id, view: reviewModal(page) });
    },
  );
}
