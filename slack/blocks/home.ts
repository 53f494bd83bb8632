// The App Home tab: the person's approvals waiting, open requests, access and reviews, each list
// capped so the view stays within Slack's 100 blocks.
import { type GrantCard, grantLine, releaseButton } from './grant.js';
import { REVIEW_OPEN_ACTION } from './ids.js';
import {
  accessText,
  type Block,
  button,
  COMMENT_MAX,
  context,
  dateText,
  esc,
  header,
  md,
  more,
  NAME_MAX,
  personText,
  riskText,
  SHOWN,
  section,
} from './kit.js';
import { decisionButtons, type RequestCard, statusWithStep } from './request.js';

/** A Home tab view payload. */
export type HomeView = { type: 'home'; blocks: Block[] };

/** The App Home. */
export type HomeModel = {
  personName: string;
  /** "My open requests". */
  openRequests: RequestCard[];
  /** "My access", each with a Release button. */
  activeGrants: GrantCard[];
  /** "Waiting for my approval", each with Approve / Deny. */
  approvalsWaiting: RequestCard[];
  /** The console, where Approve leads for requests that need a passkey. */
  consoleUrl?: string;
  /** "My reviews"; "No reviews assigned to you." when empty or absent. */
  reviews?: {
    campaignName: string;
    /** Items still waiting for this person's decision. */
    pending: number;
    dueAt: string;
    /** With it, a Review button opens the review (value campaignId). */
    campaignId?: string;
    /** All of this person's items in the campaign, decided or not (shown as progress). */
    total?: number;
  }[];
};

// Renders the first `shown` items and says how many were left out, so a long list never breaks
// the block budget and never hides that it was cut.
function capped<T>(items: T[], shown: number, render: (item: T) => Block[], noun: string): Block[] {
  const blocks = items.slice(0, shown).flatMap(render);
  if (items.length > shown) blocks.push(more(items.length - shown, noun));
  return blocks;
}

function homeApproval(card: RequestCard, consoleUrl: string | undefined): Block[] {
  const reason = card.reason === undefined ? '' : `\n> ${esc(card.reason, COMMENT_MAX)}`;
  return [
    section(
      `${personText(card.requester)} requests *${accessText(card)}* for ${esc(card.durationText, NAME_MAX)}` +
        ` · ${riskText(card.risk)}${card.stepUp ? ' · :key: needs your passkey' : ''}${reason}`,
    ),
    decisionButtons(card, consoleUrl),
  ];
}

function homeRequest(card: RequestCard): Block[] {
  return [
    section(
      `*${accessText(card)}* for ${esc(card.durationText, NAME_MAX)} · ${riskText(card.risk)}\n${statusWithStep(card)}`,
    ),
  ];
}

function homeGrant(grant: GrantCard): Block[] {
  return [{ type: 'section', text: md(grantLine(grant)), accessory: releaseButton(grant.grantId) }];
}

function homeReview(review: NonNullable<HomeModel['reviews']>[number]): Block[] {
  const progress =
    review.total === undefined
      ? `${review.pending} to review`
      : `${review.total - review.pending} of ${review.total} decided · ${review.pending} to review`;
  const text = md(`*${esc(review.campaignName, NAME_MAX)}* · ${progress} · due ${dateText(review.dueAt)}`);
  if (review.campaignId === undefined) return [{ type: 'section', text }];
  return [
    {
      type: 'section',
      text,
      accessory: button('Review', REVIEW_OPEN_ACTION, review.campaignId, 'primary'),
    },
  ];
}

function homeSection(title: string, blocks: Block[], empty: string): Block[] {
  return [header(title), ...(blocks.length > 0 ? blocks : [context(empty)])];
}

/** The Home tab: a headed section per list, each capped so the view stays ≤ 100 blocks, with "…and N more". */
export function homeView(model: HomeModel): HomeView {
  const reviews = model.reviews ?? [];
  const blocks: Block[] = [
    section(`Hello, *${esc(model.personName, NAME_MAX)}*. Type \`/access\` to request access.`),
    ...homeSection(
      'Waiting for my approval',
      capped(
        model.approvalsWaiting,
        SHOWN.homeApprovals,
        (card) => homeApproval(card, model.consoleUrl),
        'waiting',
      ),
      'Nothing is waiting for you.',
    ),
    { type: 'divider' },
    ...homeSection(
      'My open requests',
      capped(model.openRequests, SHOWN.homeRequests, homeRequest, 'requests'),
      'You have no open requests.',
    ),
    { type: 'divider' },
    ...homeSection(
      'My access',
      capped(model.activeGrants, SHOWN.homeGrants, homeGrant, 'grants'),
      'You hold no access through grantflow.',
    ),
    { type: 'divider' },
    ...homeSection(
      'My reviews',
      capped(reviews, SHOWN.homeReviews, homeReview, 'reviews'),
      'No reviews assigned to you.',
    ),
  ];
  return { type: 'home', blocks };
}
