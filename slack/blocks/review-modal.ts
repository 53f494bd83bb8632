// The review modal that pages through a reviewer's items with Keep / Revoke, keep-all and paging,
// and the revoke-reason modal pushed over it. Everything a person typed is escaped, every text cut
// to Slack's limits, and a review page stays far below a modal's 100 blocks.
import type { ActionsBlock, Button, InputBlock } from '@slack/types';
import { CAMPAIGN_VIEW, itemBlockId, REVIEW_ACTION, REVIEW_BLOCK } from './ids.js';
import {
  accessText,
  type Block,
  button,
  COMMENT_MAX,
  context,
  dateText,
  esc,
  header,
  LIMIT,
  type ModalView,
  NAME_MAX,
  plain,
  type Risk,
  riskText,
  section,
} from './kit.js';
import {
  type ReviewPageState,
  type RevokeReasonMetadata,
  reviewStateMetadata,
  revokeReasonMetadata,
} from './review-state.js';

/** Items per review page: 10 items take at most 3 blocks each, a page stays under 40 of Slack's 100. */
export const REVIEW_PAGE_SIZE = 10;

/** One item as the review page shows it. */
export type ReviewItemCard = {
  itemId: number;
  holder: { name: string; email: string };
  resourceName: string;
  entitlementName: string;
  risk: Risk;
  /** ISO 8601. */
  grantedAt: string;
  /** The request the grant came from; absent for imported grants. */
  requestId?: string;
  decision?: 'keep' | 'revoke';
  reason?: string;
  /** How the item reached this reviewer, when it was not theirs from the start. */
  movedHere?: 'delegated' | 'escalated';
};

/** A note at the top of the review page: what just happened, or why it did not. */
export type ReviewNotice = { tone: 'done' | 'refused'; text: string };

/** Everything one review page shows. */
export type ReviewPage = {
  campaignName: string;
  /** ISO 8601. */
  dueAt: string;
  /** Whether the campaign takes decisions now (it is `reviewing`). */
  open: boolean;
  /** The campaign's status in words when it does not ("enforcing"). */
  statusText?: string;
  /** Whether a reviewer may change a decision before the campaign closes. */
  allowChanges: boolean;
  /** This reviewer's items in the campaign, all pages. */
  progress: { total: number; decided: number };
  items: ReviewItemCard[];
  /** More open items after this page. */
  hasNext: boolean;
  notice?: ReviewNotice;
  state: ReviewPageState;
};

function progressText(progress: { total: number; decided: number }): string {
  return `${progress.decided} of ${progress.total} decided · ${progress.total - progress.decided} open`;
}

function itemText(item: ReviewItemCard): string {
  const moved =
    item.movedHere === 'escalated'
      ? ' · _escalated to you_'
      : item.movedHere === 'delegated'
        ? ' · _delegated to you_'
        : '';
  const origin =
    item.requestId === undefined ? 'no request (imported)' : `request \`${esc(item.requestId, NAME_MAX)}\``;
  return (
    `*${esc(item.holder.name, NAME_MAX)}* · ${esc(item.holder.email, NAME_MAX)}${moved}\n` +
    `*${accessText(item)}* · ${riskText(item.risk)}\n` +
    `Granted ${dateText(item.grantedAt)} · ${origin}`
  );
}

function decisionText(item: ReviewItemCard): string {
  if (item.decision === 'keep') return ':white_check_mark: *Kept*';
  const reason = item.reason ? `: ${esc(item.reason, COMMENT_MAX)}` : '';
  return `:no_entry: *Revoke*${reason}`;
}

function itemBlocks(item: ReviewItemCard, page: ReviewPage): Block[] {
  const blocks: Block[] = [section(itemText(item))];
  if (item.decision !== undefined) blocks.push(context(decisionText(item)));
  if (page.open && (item.decision === undefined || page.allowChanges)) {
    const id = String(item.itemId);
    blocks.push({
      type: 'actions',
      block_id: itemBlockId(item.itemId),
      elements: [
        button(item.decision === 'keep' ? 'Keep (kept)' : 'Keep', REVIEW_ACTION.keep, id, 'primary'),
        button(
          item.decision === 'revoke' ? 'Revoke (revoked)' : 'Revoke…',
          REVIEW_ACTION.revoke,
          id,
          'danger',
        ),
      ],
    } satisfies ActionsBlock);
  }
  return blocks;
}

function keepPageButton(campaignId: string, open: number): Button {
  return {
    ...button(`Keep all on this page (${open})`, REVIEW_ACTION.keepPage, campaignId),
    confirm: {
      title: plain('Keep all on this page?', 100),
      text: plain(`You certify that the ${open} open items on this page should stay.`, 300),
      confirm: plain('Keep all', 30),
      deny: plain('Go back', 30),
    },
  };
}

function pageButtons(page: ReviewPage): Button[] {
  const open = page.items.filter((item) => item.decision === undefined).length;
  const buttons: Button[] = [];
  if (page.open && open > 0) buttons.push(keepPageButton(page.state.campaignId, open));
  if (page.state.back.length > 0) buttons.push(button('Previous', REVIEW_ACTION.previous, 'previous'));
  if (page.hasNext) buttons.push(button('Next', REVIEW_ACTION.next, 'next'));
  // Open items may lie behind the cursor (delegated or escalated here after it passed them).
  const openElsewhere = page.progress.total - page.progress.decided - open;
  if (page.open && !page.hasNext && openElsewhere > 0 && page.state.afterId > 0) {
    buttons.push(button('Back to the first open item', REVIEW_ACTION.first, 'first'));
  }
  return buttons;
}

/** The review modal: one page of the reviewer's items with Keep / Revoke, keep-all, and paging. */
export function reviewModal(page: ReviewPage): ModalView {
  const pageNumber = page.state.back.length + 1;
  const blocks: Block[] = [
    header(page.campaignName),
    context(`Due ${dateText(page.dueAt)} · ${progressText(page.progress)} · page ${pageNumber}`),
  ];
  if (page.notice) {
    const marker = page.notice.tone === 'done' ? ':white_check_mark:' : ':warning:';
    blocks.push(section(`${marker} ${esc(page.notice.text)}`));
  }
  if (!page.open) {
    const status = page.statusText ? ` (it is ${esc(page.statusText, NAME_MAX)})` : '';
    blocks.push(context(`:lock: This campaign no longer takes decisions${status}.`));
  }
  blocks.push({ type: 'divider' });
  if (page.items.length === 0) {
    const { total, decided } = page.progress;
    blocks.push(
      section(
        total === 0
          ? 'You have no items to review in this campaign.'
          : decided === total
            ? `You have decided all ${total} of your items. Thank you!`
            : 'No open items from here on.',
      ),
    );
  }
  for (const item of page.items.slice(0, REVIEW_PAGE_SIZE + 5)) blocks.push(...itemBlocks(item, page));
  const buttons = pageButtons(page);
  if (buttons.length > 0) {
    blocks.push({ type: 'divider' }, {
      type: 'actions',
      block_id: REVIEW_BLOCK.pageActions,
      elements: buttons,
    } satisfies ActionsBlock);
  }
  return {
    type: 'modal',
    callback_id: CAMPAIGN_VIEW.review,
    title: plain('Access review', LIMIT.modalTitle),
    close: plain('Done', LIMIT.modalTitle),
    // Closing the review refreshes the App Home's progress.
    notify_on_close: true,
    private_metadata: reviewStateMetadata(page.state),
    blocks,
  };
}

/** The modal pushed over the review when Revoke is pressed: the item, and a required reason. */
export function revokeReasonModal(item: ReviewItemCard, metadata: RevokeReasonMetadata): ModalView {
  return {
    type: 'modal',
    callback_id: CAMPAIGN_VIEW.revokeReason,
    title: plain('Revoke access', LIMIT.modalTitle),
    submit: plain('Revoke', LIMIT.modalTitle),
    close: plain('Back', LIMIT.modalTitle),
    private_metadata: revokeReasonMetadata(metadata),
    blocks: [
      section(itemText(item)),
      {
        type: 'input',
        block_id: REVIEW_BLOCK.reason,
        label: plain('Why should this access go?', 2000),
        element: {
          type: 'plain_text_input',
          action_id: REVIEW_ACTION.reason,
          multiline: true,
          max_length: 2000,
          placeholder: plain('Recorded with the decision; the auditor reads it.', 150),
        },
      } satisfies InputBlock,
      context('The access is removed after the due date, then checked at the target.'),
    ],
  };
}
