// The review modal closed: the App Home shows the reviewer's progress as it is now.
import type { App } from '@slack/bolt';
import { CAMPAIGN_VIEW } from '../../../../slack/blocks/ids.js';
import { personOf, type SlackContext } from '../../context.js';
import { publishHome } from '../../home.js';

/** Registers view_closed of the review modal. */
export function registerReviewClosed(app: App, ctx: SlackContext): void {
  app.view(
    { callback_id: CAMPAIGN_VIEW.review, type: 'view_closed' },
    async ({ ack, body, context, client }) => {
      await ack();
      await publishHome(ctx, client, personOf(context), body.user.id);
    },
  );
}
