// Registers every listener, behind one middleware that maps the Slack user to a directory person.
import type { AnyMiddlewareArgs, App } from '@slack/bolt';
import { SLACK_USER_ID } from '../../../directory/file-fields.js';
import { NOT_IN_DIRECTORY, type SlackContext } from '../context.js';
import { registerApprove } from './actions/approve.js';
import { registerDeny } from './actions/deny.js';
import { registerFulfil } from './actions/fulfil.js';
import { registerGrantChanges } from './actions/grant-change.js';
import { registerReviewKeep } from './actions/review-keep.js';
import { registerReviewKeepPage } from './actions/review-keep-page.js';
import { registerReviewOpen } from './actions/review-open.js';
import { registerReviewPaging } from './actions/review-page.js';
import { registerReviewRevoke } from './actions/review-revoke.js';
import { registerAccessCommand } from './commands/access.js';
import { registerAppHome } from './events/app-home.js';
import { registerEntitlementOptions } from './options/entitlements.js';
import { registerCampaignLaunch } from './views/campaign-launch.js';
import { registerDenyReason } from './views/deny-reason.js';
import { registerFulfilRefused } from './views/fulfil-refused.js';
import { registerRequestSubmit } from './views/request.js';
import { registerReviewClosed } from './views/review-closed.js';
import { registerReviewReason } from './views/review-reason.js';

/** The Slack user behind any payload Bolt hands us; undefined when it names none that looks like one. */
function slackUserOf(body: AnyMiddlewareArgs['body']): string | undefined {
  const b = body as { user_id?: unknown; user?: { id?: unknown } | null; event?: { user?: unknown } | null };
  const id = b.user_id ?? b.user?.id ?? b.event?.user;
  return typeof id === 'string' && SLACK_USER_ID.test(id) ? id : undefined;
}

/** Wires the listeners to `app`. */
export function registerListeners(app: App, ctx: SlackContext): void {
  app.use(async (args) => {
    const slackUserId = slackUserOf(args.body);
    const person = slackUserId ? await ctx.directory.personFor(slackUserId) : undefined;
    if (person && person.status === 'active') {
      args.context.person = person;
      args.context.slackUserId = slackUserId;
      return args.next();
    }
    ctx.log.info({ slackUserId }, 'Slack user not in the directory (or inactive): nothing done');
    // Acknowledge, tell them where Slack lets us, and stop: nobody unknown acts through grantflow.
    const { ack, respond } = args as Partial<{
      ack: (answer?: unknown) => Promise<void>;
      respond: (message: unknown) => Promise<unknown>;
    }>;
    const text = person
      ? 'Your directory entry is inactive, so grantflow cannot act for you.'
      : NOT_IN_DIRECTORY;
    if ((args.body as { type?: string }).type === 'block_suggestion') await ack?.({ options: [] });
    else if ((args.body as { type?: string }).type === 'view_submission') {
      await ack?.({ response_action: 'errors', errors: { reason: text } });
    } else await ack?.();
    await respond?.({ response_type: 'ephemeral', replace_original: false, text });
  });

  registerAccessCommand(app, ctx);
  registerEntitlementOptions(app, ctx);
  registerRequestSubmit(app, ctx);
  registerApprove(app, ctx);
  registerDeny(app, ctx);
  registerDenyReason(app, ctx);
  registerFulfil(app, ctx);
  registerFulfilRefused(app, ctx);
  registerGrantChanges(app, ctx);
  registerAppHome(app, ctx);
  registerReviewOpen(app, ctx);
  registerReviewKeep(app, ctx);
  registerReviewKeepPage(app, ctx);
  registerReviewRevoke(app, ctx);
  registerReviewReason(app, ctx);
  registerReviewClosed(app, ctx);
  registerReviewPaging(app, ctx);
  registerCampaignLaunch(app, ctx);
}
