// What admins do with campaigns from Slack: who counts as an admin (a person holding an active
// admin token, the same role the API checks), refusing everyone else on the record, and signing a
// campaign off through the sign-off use case, whose workflow decides whether it may be signed off now.
import { recordAuthRefusal } from '../../audit/record-refusal.js';
import { signOffCampaign } from '../../campaigns/signoff.js';
import { personHasRole } from '../../db/queries/api-tokens.js';
import { getCampaign } from '../../db/queries/campaigns.js';
import { escapeMrkdwn } from '../../slack/blocks/kit.js';
import { isRefused, quoted, SLACK_SOURCE, type SlackContext, slackAuditActor } from './context.js';
import type { SlackReviewer } from './reviews.js';

/** Whether the person may act as an admin in Slack. */
export async function isSlackAdmin(ctx: SlackContext, who: SlackReviewer): Promise<boolean> {
  return personHasRole(ctx.db, who.person.id, 'admin');
}

/** Records that someone without the admin role tried an admin action; returns what to tell them. */
export async function refuseNonAdmin(
  ctx: SlackContext,
  who: SlackReviewer,
  action: 'launch_campaign' | 'sign_off_campaign',
  target: { type: 'campaign'; id: string },
): Promise<string> {
  const reason = 'only admins may launch or sign off certification campaigns';
  // The id is whatever followed `/access campaign signoff`: cut to what the ledger takes.
  const id = quoted(target.id, 200);
  await recordAuthRefusal(ctx.db, {
    actor: slackAuditActor(who.person, who.slackId),
    target: { ...target, id },
    action,
    reason,
    ...(target.id !== 'new' ? { correlation: { campaign_id: id } } : {}),
    source: SLACK_SOURCE,
  });
  return `Sorry: ${reason}. Ask an admin.`;
}

/**
 * Signs a campaign off as `who` (an admin, checked by the caller) and answers in words. The
 * workflow refuses a campaign not awaiting sign-off; the refusal comes back as the answer.
 */
export async function signOffFromSlack(
  ctx: SlackContext,
  who: SlackReviewer,
  campaignId: string,
  updateId: string,
): Promise<string> {
  const campaign = await getCampaign(ctx.db, campaignId);
  if (!campaign) return `There is no campaign ${escapeMrkdwn(campaignId)}.`;
  const name = escapeMrkdwn(campaign.name);
  try {
    const state = await signOffCampaign(
      ctx,
      { campaignId: campaign.id, updateId },
      { by: who.person.email, asAdmin: true, slackId: who.slackId },
    );
    const { counts } = state;
    return (
      `Signed off "${name}": ${counts.decided}/${counts.total} decided, ${counts.kept} kept, ` +
      `${counts.revoked} revoked (${counts.revocationVerified} verified). The campaign is closed.`
    );
  } catch (error) {
    if (!isRefused(error)) throw error;
    return `Could not sign off "${name}": ${escapeMrkdwn(error.message)}.`;
  }
}
