// Block Kit builders for certification campaigns: the reviewer's digest DM, the review modal that
// pages through their items, the revoke-reason modal, and the admin's launch modal. Pure, like
// blocks.ts (whose escaping and limits they share): everything a person typed is escaped, every
// text cut to Slack's limits, and a review page stays far below a modal's 100 blocks.
import type { ActionsBlock, Button, InputBlock, Option, PlainTextOption } from '@slack/types';
import { RISK_LEVELS } from '../domain/index.js';
import {
  accessText,
  type Block,
  button,
  COMMENT_MAX,
  checkedMetadata,
  context,
  dateText,
  esc,
  fallback,
  fieldsSection,
  header,
  LIMIT,
  type ModalView,
  NAME_MAX,
  plain,
  REVIEW_OPEN_ACTION,
  type Risk,
  riskText,
  type SlackPayload,
  section,
  truncate,
} from './blocks.js';

/** Action ids of the review and its buttons (values noted; page state is in the modal's metadata). */
export const REVIEW_ACTION = {
  open: REVIEW_OPEN_ACTION, // value: campaignId
  keep: 'review_keep', // value: itemId
  revoke: 'review_revoke', // value: itemId
  keepPage: 'review_keep_page', // value: campaignId
  next: 'review_next',
  previous: 'review_previous',
  first: 'review_first', // back to the first open item
  reason: 'review_reason_input',
} as const;

/** Block ids of the review modals. */
export const REVIEW_BLOCK = { reason: 'review_reason', pageActions: 'review_page' } as const;

/** Callback ids of the campaign modals. */
export const CAMPAIGN_VIEW = {
  review: 'campaign_review',
  revokeReason: 'campaign_revoke_reason',
  launch: 'campaign_launch',
  launched: 'campaign_launched',
} as const;

/** Block ids of the launch modal; each input's action id is its block id. */
export const LAUNCH_BLOCK = {
  name: 'launch_name',
  resources: 'launch_resources',
  entitlements: 'launch_entitlements',
  riskLevels: 'launch_risk_levels',
  departments: 'launch_departments',
  reviewerRule: 'launch_reviewer_rule',
  reviewerPerson: 'launch_reviewer_person',
  dueDays: 'launch_due_days',
  reminderHours: 'launch_reminder_hours',
  escalationHours: 'launch_escalation_hours',
  defaultAction: 'launch_default_action',
  allowChanges: 'launch_allow_changes',
} as const;

/** Items per review page: 10 items take at most 3 blocks each, a page stays under 40 of Slack's 100. */
export const REVIEW_PAGE_SIZE = 10;
/** How many earlier pages "Previous" can walk back through (each is one id in the metadata). */
export const REVIEW_BACK_PAGES = 50;
/** The block id of one item's Keep / Revoke buttons. */
export const itemBlockId = (itemId: number) => `review_item_${itemId}`;

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

/**
 * Where a reviewer is in a campaign's review, carried in the modal's private_metadata: the page's
 * items (so the page keeps them after a decision), the cursor it was read from, the cursors of
 * the pages before it, and the channel the review was opened from (for private notes).
 */
export type ReviewPageState = {
  campaignId: string;
  /** The page lists open items with an id above this. */
  afterId: number;
  itemIds: number[];
  /** `afterId` of each earlier page, oldest first (at most REVIEW_BACK_PAGES). */
  back: number[];
  channel?: string;
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

/** A digest, reminder or escalation DM to a reviewer. */
export type ReviewDigest = {
  /** What the workflow said, e.g. "You have 12 access items to review in "Q4", due …". */
  heading: string;
  campaignId: string;
  campaignName: string;
  /** ISO 8601. */
  dueAt: string;
  /** The reviewer's items now, all of them and those decided. */
  total: number;
  decided: number;
  /** What happens to items nobody decides by the due date. */
  defaultAction?: 'revoke' | 'keep' | 'escalate';
};

/** A resource the launch modal offers in its multi-select. */
export type LaunchResourceOption = { key: string; name: string };

/** What the launch confirmation shows. */
export type LaunchedCampaign = {
  campaignId: string;
  name: string;
  /** ISO 8601. */
  dueAt: string;
  defaultAction: string;
  /** False when a campaign for the same period existed already. */
  created: boolean;
};

const DEFAULT_ACTION_WORDS: Record<NonNullable<ReviewDigest['defaultAction']>, string> = {
  revoke: 'are revoked',
  keep: 'are kept',
  escalate: "go to the reviewer's manager",
};

/** Serializes the page state for private_metadata (short keys: it must fit Slack's 3000 characters). */
export function reviewStateMetadata(state: ReviewPageState): string {
  const back = state.back.slice(-REVIEW_BACK_PAGES);
  return checkedMetadata(
    JSON.stringify({
      c: state.campaignId,
      a: state.afterId,
      i: state.itemIds,
      b: back,
      ...(state.channel ? { ch: state.channel } : {}),
    }),
  );
}

const isIdList = (value: unknown): value is number[] =>
  Array.isArray(value) && value.every((id) => Number.isSafeInteger(id) && id >= 0);

/** Reads the page state back; undefined when the metadata is not one (a stale or foreign view). */
export function parseReviewState(metadata: string | undefined): ReviewPageState | undefined {
  if (!metadata) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(metadata);
  } catch {
    return undefined;
  }
  const value = raw as { c?: unknown; a?: unknown; i?: unknown; b?: unknown; ch?: unknown };
  if (typeof value.c !== 'string' || !Number.isSafeInteger(value.a) || !isIdList(value.i)) return undefined;
  if (!isIdList(value.b)) return undefined;
  return {
    campaignId: value.c,
    afterId: value.a as number,
    itemIds: value.i,
    back: value.b,
    ...(typeof value.ch === 'string' ? { channel: value.ch } : {}),
  };
}

/** What the revoke-reason modal carries back: the item, the review view to update, and its state. */
export type RevokeReasonMetadata = { itemId: number; reviewViewId: string; state: ReviewPageState };

/** Serializes the revoke-reason modal's metadata. */
export function revokeReasonMetadata(metadata: RevokeReasonMetadata): string {
  return checkedMetadata(
    JSON.stringify({
      item: metadata.itemId,
      view: metadata.reviewViewId,
      s: reviewStateMetadata(metadata.state),
    }),
  );
}

/** Reads the revoke-reason modal's metadata back; undefined when malformed. */
export function parseRevokeReasonMetadata(metadata: string | undefined): RevokeReasonMetadata | undefined {
  if (!metadata) return undefined;
  try {
    const value = JSON.parse(metadata) as { item?: unknown; view?: unknown; s?: unknown };
    const state = parseReviewState(typeof value.s === 'string' ? value.s : undefined);
    if (!Number.isSafeInteger(value.item) || typeof value.view !== 'string' || !state) return undefined;
    return { itemId: value.item as number, reviewViewId: value.view, state };
  } catch {
    return undefined;
  }
}

function progressText(progress: { total: number; decided: number }): string {
  return `${progress.decided} of ${progress.total} decided · ${progress.total - progress.decided} open`;
}

/** The reviewer's DM: what the workflow said, how many items, the due date, and a Review button. */
export function reviewDigestMessage(digest: ReviewDigest): SlackPayload {
  const open = digest.total - digest.decided;
  const blocks: Block[] = [
    header(`Access review: ${digest.campaignName}`),
    section(esc(digest.heading)),
    fieldsSection([
      ['Your items', `${digest.total} (${open} open)`],
      ['Due', dateText(digest.dueAt)],
    ]),
    {
      type: 'actions',
      elements: [button('Review', REVIEW_ACTION.open, digest.campaignId, 'primary')],
    } satisfies ActionsBlock,
  ];
  const outcome = digest.defaultAction
    ? ` Items nobody decides by then ${DEFAULT_ACTION_WORDS[digest.defaultAction]}.`
    : '';
  blocks.push(context(`Keep or revoke each item; revoking asks for a reason.${outcome}`));
  return { text: fallback(digest.heading), blocks };
}

/** The launching admin's DM once every item is settled: what happened, and how to sign off. */
export function signOffNeededMessage(campaign: {
  campaignId: string;
  name: string;
  text: string;
}): SlackPayload {
  const heading = `Ready for sign-off: ${campaign.name}`;
  return {
    text: fallback(campaign.text),
    blocks: [
      header(heading),
      section(esc(campaign.text)),
      context(`Sign off with \`/access campaign signoff ${esc(campaign.campaignId, NAME_MAX)}\``),
    ],
  };
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

function option(text: string, value: string): PlainTextOption {
  return { text: plain(text, LIMIT.optionText), value };
}

function textInput(
  blockId: string,
  label: string,
  options: { optional?: boolean; placeholder?: string; hint?: string; maxLength?: number } = {},
): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: options.optional ?? false,
    label: plain(label, 2000),
    ...(options.hint ? { hint: plain(options.hint, 2000) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: blockId,
      max_length: options.maxLength ?? 2000,
      ...(options.placeholder ? { placeholder: plain(options.placeholder, 150) } : {}),
    },
  };
}

function numberInput(blockId: string, label: string, initial: number, hint: string): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label, 2000),
    hint: plain(hint, 2000),
    element: {
      type: 'number_input',
      action_id: blockId,
      is_decimal_allowed: false,
      initial_value: String(initial),
      min_value: '1',
    },
  };
}

const REVIEWER_RULES: [value: string, text: string][] = [
  ['manager', "The holder's manager (default)"],
  ['resource_owner', "The resource's owner"],
  ['person', 'One named person (email below)'],
];
const DEFAULT_ACTIONS: [value: string, text: string][] = [
  ['revoke', 'Revoke: unanswered access is removed'],
  ['keep', 'Keep: unanswered access stays'],
  ['escalate', "Escalate: to the reviewer's manager, one more round"],
];

/**
 * The admin's launch form. Resources are a multi-select when the catalog has 1 to 100 of them
 * (Slack's limit on options), else a text field of keys.
 */
export function launchModal(options: { resources: LaunchResourceOption[] }): ModalView {
  const usable = options.resources.filter((resource) => resource.key.length <= LIMIT.optionValue);
  const resources: InputBlock =
    usable.length > 0 && usable.length <= LIMIT.options && usable.length === options.resources.length
      ? {
          type: 'input',
          block_id: LAUNCH_BLOCK.resources,
          optional: true,
          label: plain('Resources', 2000),
          hint: plain('Leave empty with no entitlements either to review every resource.', 2000),
          element: {
            type: 'multi_static_select',
            action_id: LAUNCH_BLOCK.resources,
            placeholder: plain('Choose resources', 150),
            options: usable.map((resource) =>
              option(`${truncate(resource.name, 50)} (${truncate(resource.key, 20)})`, resource.key),
            ),
          },
        }
      : textInput(LAUNCH_BLOCK.resources, 'Resources', {
          optional: true,
          placeholder: 'Resource keys, comma separated: db, crm',
          hint: 'Leave empty with no entitlements either to review every resource.',
        });
  const riskOptions: Option[] = RISK_LEVELS.map((risk) => option(risk, risk));
  return {
    type: 'modal',
    callback_id: CAMPAIGN_VIEW.launch,
    title: plain('Launch a campaign', LIMIT.modalTitle),
    submit: plain('Launch', LIMIT.modalTitle),
    close: plain('Cancel', LIMIT.modalTitle),
    blocks: [
      textInput(LAUNCH_BLOCK.name, 'Name', { placeholder: 'Q4 access review', maxLength: 200 }),
      resources,
      textInput(LAUNCH_BLOCK.entitlements, 'Entitlements', {
        optional: true,
        placeholder: 'resource/entitlement keys, comma separated: db/admin, crm/export',
      }),
      {
        type: 'input',
        block_id: LAUNCH_BLOCK.riskLevels,
        optional: true,
        label: plain('Risk levels', 2000),
        hint: plain('None ticked: every risk level.', 2000),
        element: { type: 'checkboxes', action_id: LAUNCH_BLOCK.riskLevels, options: riskOptions },
      },
      textInput(LAUNCH_BLOCK.departments, 'Departments', {
        optional: true,
        placeholder: 'Department names, comma separated',
      }),
      {
        type: 'input',
        block_id: LAUNCH_BLOCK.reviewerRule,
        label: plain('Who reviews each grant', 2000),
        element: {
          type: 'radio_buttons',
          action_id: LAUNCH_BLOCK.reviewerRule,
          initial_option: option(REVIEWER_RULES[0]?.[1] ?? '', REVIEWER_RULES[0]?.[0] ?? ''),
          options: REVIEWER_RULES.map(([value, text]) => option(text, value)),
        },
      },
      {
        type: 'input',
        block_id: LAUNCH_BLOCK.reviewerPerson,
        optional: true,
        label: plain('Reviewer email (named person only)', 2000),
        element: {
          type: 'email_text_input',
          action_id: LAUNCH_BLOCK.reviewerPerson,
          placeholder: plain('reviewer@example.com', 150),
        },
      },
      numberInput(LAUNCH_BLOCK.dueDays, 'Due in (days)', 14, 'Unanswered items get the default action then.'),
      numberInput(
        LAUNCH_BLOCK.reminderHours,
        'Remind every (hours)',
        48,
        'Reviewers with open items are reminded.',
      ),
      numberInput(
        LAUNCH_BLOCK.escalationHours,
        'Escalate after (hours)',
        120,
        "A reviewer's open items then go to their manager.",
      ),
      {
        type: 'input',
        block_id: LAUNCH_BLOCK.defaultAction,
        label: plain('Unanswered at the due date', 2000),
        // No initial option: keeping or revoking unanswered access is chosen on purpose.
        element: {
          type: 'radio_buttons',
          action_id: LAUNCH_BLOCK.defaultAction,
          options: DEFAULT_ACTIONS.map(([value, text]) => option(text, value)),
        },
      },
      {
        type: 'input',
        block_id: LAUNCH_BLOCK.allowChanges,
        optional: true,
        label: plain('Changes', 2000),
        element: {
          type: 'checkboxes',
          action_id: LAUNCH_BLOCK.allowChanges,
          options: [option('Reviewers may change a decision until the due date', 'allow')],
        },
      },
    ],
  };
}

/** What the launch modal turns into once the campaign is launched. */
export function launchedModal(campaign: LaunchedCampaign): ModalView {
  const what = campaign.created ? 'Launched' : 'Already launched for this period';
  return {
    type: 'modal',
    callback_id: CAMPAIGN_VIEW.launched,
    title: plain('Campaign launched', LIMIT.modalTitle),
    close: plain('Close', LIMIT.modalTitle),
    blocks: [
      section(`:rocket: ${what}: *${esc(campaign.name, NAME_MAX)}*`),
      fieldsSection([
        ['Campaign', `\`${esc(campaign.campaignId, NAME_MAX)}\``],
        ['Due', dateText(campaign.dueAt)],
        ['Unanswered items', esc(campaign.defaultAction, NAME_MAX)],
      ]),
      context(
        'Reviewers get a digest once the population is snapshotted. ' +
          `Sign off later with \`/access campaign signoff ${esc(campaign.campaignId, NAME_MAX)}\`.`,
      ),
    ],
  };
}
