// A reviewer's campaign review in Slack: which page of their items they see, deciding from it
// (through campaigns/review.ts, exactly as the API does), and their open reviews for the App Home.
// Pages list open items by id after a cursor, so deciding a page never shifts the next one; a page
// shown again after a decision keeps its items, now with the decision on them.
import type { WebClient } from '@slack/web-api';
import { recordAudit } from '../../audit/intake.js';
import { decideItems, type ReviewActor } from '../../campaigns/review.js';
import type { Executor } from '../../db/client.js';
import {
  listReviewerItems,
  listReviewerItemsByIds,
  listReviewerProgress,
  type ReviewItemView,
} from '../../db/queries/campaign-items.js';
import { getCampaign, listCampaigns } from '../../db/queries/campaigns.js';
import type { Campaign, Person } from '../../db/schema.js';
import type { HomeModel } from '../../slack/blocks/home.js';
import {
  REVIEW_PAGE_SIZE,
  type ReviewItemCard,
  type ReviewNotice,
  type ReviewPage,
  reviewModal,
} from '../../slack/blocks/review-modal.js';
import { REVIEW_BACK_PAGES, type ReviewPageState } from '../../slack/blocks/review-state.js';
import { isRefused, SLACK_SOURCE, type SlackContext, slackAuditActor, tellPrivately } from './context.js';

/** Who acts in Slack: the directory person and their Slack user id. */
export type SlackReviewer = { person: Person; slackId: string };

/** Which page to show: the first, the same one again, or one step either way. */
export type ReviewNavigation =
  | { to: 'first'; campaignId: string; channel?: string }
  | { to: 'same' | 'next' | 'previous' | 'restart'; state: ReviewPageState };

/** How many reviewing campaigns the App Home looks through. */
const HOME_CAMPAIGNS = 50;

/** The ledger's actor and source for a reviewer acting in Slack. */
function reviewActorOf(who: SlackReviewer): ReviewActor {
  return { person: who.person, audit: slackAuditActor(who.person, who.slackId), source: SLACK_SOURCE };
}

const iso = (value: Date | string) => new Date(value).toISOString();

function itemCard(item: ReviewItemView): ReviewItemCard {
  return {
    itemId: item.id,
    holder: { name: item.holderName, email: item.holderEmail },
    resourceName: item.resourceName,
    entitlementName: item.entitlementName,
    risk: item.risk,
    grantedAt: iso(item.grantedAt),
    ...(item.requestId ? { requestId: item.requestId } : {}),
    ...(item.decision ? { decision: item.decision } : {}),
    ...(item.reason ? { reason: item.reason } : {}),
    ...(item.escalatedAt
      ? { movedHere: 'escalated' as const }
      : item.delegatedFromId
        ? { movedHere: 'delegated' as const }
        : {}),
  };
}

async function openItemsAfter(
  db: Executor,
  campaign: Campaign,
  reviewerId: string,
  afterId: number,
  limit: number,
): Promise<ReviewItemView[]> {
  return listReviewerItems(db, { campaignId: campaign.id, reviewerId, undecidedOnly: true, afterId, limit });
}

/** Where the navigation lands: the page's cursor and the cursors behind it. */
function target(navigation: ReviewNavigation): Pick<ReviewPageState, 'afterId' | 'back'> {
  if (navigation.to === 'first' || navigation.to === 'restart') return { afterId: 0, back: [] };
  const { state } = navigation;
  if (navigation.to === 'same') return { afterId: state.afterId, back: state.back };
  if (navigation.to === 'previous') {
    const back = state.back.slice(0, -1);
    return { afterId: state.back.at(-1) ?? 0, back };
  }
  const last = Math.max(state.afterId, ...state.itemIds);
  return { afterId: last, back: [...state.back, state.afterId].slice(-REVIEW_BACK_PAGES) };
}

/**
 * The page `person` sees after `navigation`, with an optional note on top; undefined when the
 * campaign does not exist.
 */
export async function loadReviewPage(
  db: Executor,
  person: Person,
  navigation: ReviewNavigation,
  notice?: ReviewNotice,
): Promise<ReviewPage | undefined> {
  const campaignId = navigation.to === 'first' ? navigation.campaignId : navigation.state.campaignId;
  const channel = navigation.to === 'first' ? navigation.channel : navigation.state.channel;
  const campaign = await getCampaign(db, campaignId);
  if (!campaign) return undefined;
  const { afterId, back } = target(navigation);
  let items: ReviewItemView[];
  let hasNext: boolean;
  if (navigation.to === 'same') {
    items = await listReviewerItemsByIds(db, {
      campaignId: campaign.id,
      reviewerId: person.id,
      itemIds: navigation.state.itemIds,
    });
    const last = Math.max(afterId, ...navigation.state.itemIds);
    hasNext = (await openItemsAfter(db, campaign, person.id, last, 1)).length > 0;
  } else {
    const read = await openItemsAfter(db, campaign, person.id, afterId, REVIEW_PAGE_SIZE + 1);
    hasNext = read.length > REVIEW_PAGE_SIZE;
    items = read.slice(0, REVIEW_PAGE_SIZE);
  }
  const [progress] = await listReviewerProgress(db, campaign.id, { reviewerId: person.id });
  const open = campaign.status === 'reviewing';
  return {
    campaignName: campaign.name,
    dueAt: iso(campaign.dueAt),
    open,
    ...(open ? {} : { statusText: campaign.status.replaceAll('_', ' ') }),
    allowChanges: campaign.allowChanges,
    progress: { total: progress?.total ?? 0, decided: progress?.decided ?? 0 },
    items: items.map(itemCard),
    hasNext,
    ...(notice ? { notice } : {}),
    state: {
      campaignId: campaign.id,
      afterId,
      // A page read again keeps the items it was built with, even those moved away since.
      itemIds: navigation.to === 'same' ? navigation.state.itemIds : items.map((item) => item.id),
      back,
      ...(channel ? { channel } : {}),
    },
  };
}

/** One item of the reviewer's, as a card (for the revoke-reason modal); undefined when not theirs. */
export async function loadReviewItem(
  db: Executor,
  person: Person,
  campaignId: string,
  itemId: number,
): Promise<ReviewItemCard | undefined> {
  const [item] = await listReviewerItemsByIds(db, { campaignId, reviewerId: person.id, itemIds: [itemId] });
  return item ? itemCard(item) : undefined;
}

const itemsWord = (count: number) => `${count} item${count === 1 ? '' : 's'}`;

/**
 * Records a decision on the listed items through `decideItems` and says how it went, for the note
 * on top of the page. A refusal is recorded in the ledger either way: per item by `decideItems`,
 * or here when the whole call was refused (the campaign no longer takes decisions).
 */
export async function decideFromSlack(
  ctx: SlackContext,
  who: SlackReviewer,
  input: {
    campaignId: string;
    itemIds: number[];
    decision: 'keep' | 'revoke';
    reason?: string;
    actionId: string;
  },
): Promise<ReviewNotice> {
  const { actionId, ...decision } = input;
  try {
    const outcome = await decideItems(ctx, decision, reviewActorOf(who));
    const verb = input.decision === 'keep' ? 'Kept' : 'Revocation recorded for';
    const done = outcome.applied.length > 0 ? `${verb} ${itemsWord(outcome.applied.length)}.` : '';
    if (outcome.refused.length === 0) return { tone: 'done', text: done };
    return {
      tone: 'refused',
      text:
        `${done ? `${done} ` : ''}Not recorded for ${itemsWord(outcome.refused.length)}: ` +
        'decided already, moved to another reviewer, or not yours.',
    };
  } catch (error) {
    if (!isRefused(error)) throw error;
    // The id comes from the modal's metadata: cut to what the ledger takes, should it be forged.
    const campaignId = input.campaignId.slice(0, 200);
    await recordAudit(
      ctx.db,
      {
        event_type: 'campaign.decision.refused',
        actor: slackAuditActor(who.person, who.slackId),
        target: { type: 'campaign', id: campaignId },
        action: input.decision,
        result: 'denied',
        reason: error.message,
        correlation: { campaign_id: campaignId, slack_action_id: actionId },
        details: { items: input.itemIds.slice(0, 100) },
      },
      { source: SLACK_SOURCE },
    );
    return { tone: 'refused', text: `Not recorded: ${error.message}.` };
  }
}

/** The App Home's "My reviews": every reviewing campaign with items for `person`, soonest due first. */
export async function myReviews(db: Executor, person: Person): Promise<NonNullable<HomeModel['reviews']>> {
  const campaigns = await listCampaigns(db, { status: ['reviewing'], limit: HOME_CAMPAIGNS });
  const reviews: NonNullable<HomeModel['reviews']> = [];
  for (const campaign of campaigns) {
    const [progress] = await listReviewerProgress(db, campaign.id, { reviewerId: person.id });
    if (!progress) continue;
    reviews.push({
      campaignId: campaign.id,
      campaignName: campaign.name,
      pending: progress.total - progress.decided,
      total: progress.total,
      dueAt: iso(campaign.dueAt),
    });
  }
  return reviews.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

/**
 * Shows the page `navigation` leads to in the open review modal `viewId`. When the modal is gone
 * (closed meanwhile), the note is told privately instead, so an outcome is never lost silently.
 */
export async function showReviewPage(
  ctx: SlackContext,
  client: WebClient,
  viewId: string,
  who: SlackReviewer,
  navigation: ReviewNavigation,
  notice?: ReviewNotice,
): Promise<void> {
  const page = await loadReviewPage(ctx.db, who.person, navigation, notice);
  const channel = navigation.to === 'first' ? navigation.channel : navigation.state.channel;
  if (!page) {
    await tellPrivately(client, channel, who.slackId, 'That campaign does not exist (any more).');
    return;
  }
  try {
    await client.views.update({ view_id: viewId, view: reviewModal(page) });
  } catch (error) {
    ctx.log.warn({ err: error, viewId }, 'could not update the review modal');
    if (notice) await tellPrivately(client, channel, who.slackId, notice.text);
  }
}
