// Block Kit builders: pure functions from grantflow's words to Slack payloads, so every message,
// modal and Home tab can be tested without Slack. Everything a person typed (names, reasons,
// comments) is escaped before it reaches mrkdwn, and every text is cut to Slack's limits with a
// visible "…", because Slack rejects an oversized payload outright and the person is then told nothing.
import type {
  ActionsBlock,
  Button,
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  MrkdwnElement,
  PlainTextElement,
  SectionBlock,
} from '@slack/types';
import { durationWords, type RiskLevel } from '../domain/index.js';

/** Action ids of every button/select grantflow puts in Slack. */
export const ACTION = {
  approve: 'request_approve',
  deny: 'request_deny', // value: requestId
  fulfilDone: 'fulfil_done',
  fulfilRefused: 'fulfil_refused', // value: requestId
  extend: 'grant_extend',
  release: 'grant_release', // value: grantId
  entitlement: 'entitlement_select', // external_select in the request modal
  duration: 'duration_select',
  reason: 'reason_input',
} as const;

/** The Review button's action id (value: campaignId), on the App Home here and in review-blocks.ts. */
export const REVIEW_OPEN_ACTION = 'review_open';

/** Block ids of the inputs of the request and reason modals (view_submission reads state.values[block][action]). */
export const BLOCK = { entitlement: 'entitlement', duration: 'duration', reason: 'reason' } as const;

/** Callback ids of modals. */
export const VIEW = {
  request: 'access_request',
  denyReason: 'deny_reason',
  fulfilRefused: 'fulfil_refused_reason',
} as const;

/** How risky an entitlement is, in the directory's words. */
export type Risk = RiskLevel;
/** One Block Kit block, as Slack's own types describe it. */
export type Block = KnownBlock;
/** A Slack message: fallback text plus blocks. */
export type SlackPayload = { text: string; blocks: Block[] };
/** A modal view payload (type 'modal'). */
export type ModalView = {
  type: 'modal';
  callback_id: string;
  title: PlainTextElement;
  submit?: PlainTextElement;
  close?: PlainTextElement;
  private_metadata?: string;
  /** Slack then sends view_closed when the person closes the modal. */
  notify_on_close?: boolean;
  blocks: Block[];
};
/** A Home tab view payload. */
export type HomeView = { type: 'home'; blocks: Block[] };

/** Everything a card about one access request shows. */
export type RequestCard = {
  requestId: string;
  /** Mentioned as <@U…> when `slackUserId` is a well-formed member id, else shown by name. */
  requester: { name: string; email: string; slackUserId?: string };
  resourceName: string;
  entitlementName: string;
  risk: Risk;
  /** Already formatted, e.g. "8h". */
  durationText: string;
  reason?: string;
  /** The approval plan in words: "needs: your manager (Mia Manager), then 2 of Security". */
  plan?: string;
  /** The request status, e.g. 'pending_approval', 'granted', 'denied'. */
  status: string;
  /** "step 1 of 2". */
  stepText?: string;
  decisions: { approverName: string; decision: 'approve' | 'deny'; comment?: string }[];
  /** Names still able to decide on the current step. */
  waitingOn?: string[];
  /** A separation-of-duties note, shown as a warning line. */
  sodNote?: string;
  /** Words for a closed request: "denied by Mia Manager: not needed". */
  outcome?: string;
};

/** A grant as Slack shows it. */
export type GrantCard = {
  grantId: string;
  holderName: string;
  resourceName: string;
  entitlementName: string;
  risk: Risk;
  /** ISO 8601; shown in each reader's own time zone. */
  expiresAt?: string;
  status: string;
  outcome?: string;
};

/** One entitlement in the request modal's search. */
export type EntitlementOption = {
  resourceKey: string;
  resourceName: string;
  entitlementKey: string;
  entitlementName: string;
  risk: Risk;
};

/** The App Home. */
export type HomeModel = {
  personName: string;
  /** "My open requests". */
  openRequests: RequestCard[];
  /** "My access", each with a Release button. */
  activeGrants: GrantCard[];
  /** "Waiting for my approval", each with Approve / Deny. */
  approvalsWaiting: RequestCard[];
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

/** A security alert for the configured channel. */
export type SecurityAlert = {
  title: string;
  severity: 'high' | 'critical' | 'warning';
  text: string;
  facts?: Record<string, string>;
};

/**
 * Slack's documented limits. Fallback text is kept far below Slack's 3000 because it is what
 * notifications and screen readers show; the blocks carry the detail.
 */
export const LIMIT = {
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  optionText: 75,
  optionValue: 150,
  options: 100,
  fieldText: 2000,
  fields: 10,
  contextElements: 10,
  fallbackText: 300,
  privateMetadata: 3000,
  modalTitle: 24,
} as const;

// How many items of a list are shown before "…and N more": chosen so the longest message stays
// well under 50 blocks and the Home tab under 100 (see homeView).
const SHOWN = {
  decisions: 10,
  names: 10,
  homeApprovals: 10,
  homeRequests: 15,
  homeGrants: 20,
  homeReviews: 10,
  listItems: 20,
  facts: 30,
} as const;

/** A single comment or reason line must not crowd out the rest of a section. */
export const COMMENT_MAX = 300;
/** The longest name (person, resource, campaign) shown before "…". */
export const NAME_MAX = 100;
const LIST_LINE_MAX = 500;

/** Cuts `text` to `max` characters, ending in "…" when cut (an indication, never silently). */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = text.slice(0, max - 1);
  // Never leave half of a surrogate pair: Slack would show a replacement character.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Escapes the three characters mrkdwn treats as control ones, so "<!channel>" in a reason pings nobody. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

// Cuts composed mrkdwn without leaving half an entity ("&am") or half a mention/date token
// ("<@U12"), which Slack would show as garbage or refuse to parse.
function clampMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = truncate(text, max).slice(0, -1);
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.includes(';', amp)) cut = cut.slice(0, amp);
  const open = cut.lastIndexOf('<');
  if (open >= 0 && !cut.includes('>', open)) cut = cut.slice(0, open);
  return `${cut}…`;
}

/** User text for mrkdwn: cut first (so the limit is about what the person wrote), then escaped. */
export function esc(text: string, max: number = LIMIT.sectionText): string {
  return escapeMrkdwn(truncate(text, max));
}

/** A plain_text element cut to `max` characters. */
export function plain(text: string, max: number): PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

/** A mrkdwn element of composed (already escaped) text, cut without breaking an entity or token. */
export function md(text: string, max: number = LIMIT.sectionText): MrkdwnElement {
  return { type: 'mrkdwn', text: clampMrkdwn(text, max) };
}

/** A header block (plain text, cut to Slack's 150). */
export function header(text: string): HeaderBlock {
  return { type: 'header', text: plain(text, LIMIT.headerText) };
}

/** A section of composed mrkdwn. */
export function section(text: string): SectionBlock {
  return { type: 'section', text: md(text) };
}

/** A section of labelled fields (at most Slack's ten), values already mrkdwn. */
export function fieldsSection(fields: [label: string, valueMrkdwn: string][]): SectionBlock {
  return {
    type: 'section',
    fields: fields
      .slice(0, LIMIT.fields)
      .map(([label, value]) => md(`*${label}*\n${value}`, LIMIT.fieldText)),
  };
}

/** A context block of composed mrkdwn texts (at most Slack's ten). */
export function context(...texts: string[]): ContextBlock {
  return { type: 'context', elements: texts.slice(0, LIMIT.contextElements).map((text) => md(text)) };
}

function more(hidden: number, noun: string): ContextBlock {
  return context(`…and ${hidden} more ${noun}`);
}

/** A button with an action id and a value. */
export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  const element: Button = { type: 'button', text: plain(text, LIMIT.buttonText), action_id: actionId, value };
  if (style !== undefined) element.style = style;
  return element;
}

// Releasing access is hard to undo (it needs a new request and approvals), so it asks first.
function releaseButton(grantId: string): Button {
  return {
    ...button('Release', ACTION.release, grantId),
    confirm: {
      title: plain('Release this access?', 100),
      text: plain('You will lose this access now. Getting it back needs a new request.', 300),
      confirm: plain('Release', 30),
      deny: plain('Keep it', 30),
      style: 'danger',
    },
  };
}

// Renders the first `shown` items and says how many were left out, so a long list never breaks
// the block budget and never hides that it was cut.
function capped<T>(items: T[], shown: number, render: (item: T) => Block[], noun: string): Block[] {
  const blocks = items.slice(0, shown).flatMap(render);
  if (items.length > shown) blocks.push(more(items.length - shown, noun));
  return blocks;
}

const RISK_MARKER: Record<Risk, string> = {
  low: ':large_green_circle:',
  medium: ':large_yellow_circle:',
  high: ':large_orange_circle:',
  critical: ':red_circle:',
};

/** A risk level with its coloured marker. */
export function riskText(risk: Risk): string {
  return `${RISK_MARKER[risk]} ${risk}`;
}

const STATUS_MARKER: Record<string, string> = {
  granted: ':white_check_mark:',
  approved: ':white_check_mark:',
  fulfilled: ':white_check_mark:',
  extended: ':white_check_mark:',
  denied: ':no_entry:',
  refused: ':no_entry:',
  failed: ':x:',
  cancelled: ':heavy_minus_sign:',
  expired: ':hourglass:',
  released: ':heavy_minus_sign:',
  revoked: ':no_entry:',
};

function statusWords(status: string): string {
  return esc(status.replaceAll('_', ' '), NAME_MAX);
}

function statusLine(status: string, outcome?: string): string {
  const marker = STATUS_MARKER[status] ?? ':information_source:';
  const words = statusWords(status);
  const line = `${marker} *${words.charAt(0).toUpperCase()}${words.slice(1)}*`;
  return outcome === undefined ? line : `${line} — ${esc(outcome)}`;
}

// Only a well-formed member id becomes a mention; anything else is shown as the escaped name,
// so a malformed id from a directory sync cannot turn into "<!here>".
function personText(person: { name: string; slackUserId?: string }): string {
  if (person.slackUserId !== undefined && /^[UW][A-Z0-9]{2,}$/.test(person.slackUserId)) {
    return `<@${person.slackUserId}>`;
  }
  return esc(person.name, NAME_MAX);
}

/** "Resource / Entitlement", escaped. */
export function accessText(item: { resourceName: string; entitlementName: string }): string {
  return `${esc(item.resourceName, NAME_MAX)} / ${esc(item.entitlementName, NAME_MAX)}`;
}

function accessWords(item: { resourceName: string; entitlementName: string }): string {
  return `${item.resourceName} / ${item.entitlementName}`;
}

/** A date token Slack renders in each reader's own time zone; the ISO text is the fallback. */
export function dateText(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return esc(iso, NAME_MAX);
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} at {time}|${esc(iso, NAME_MAX)}>`;
}

/** A message's notification text: short, escaped. */
export function fallback(text: string): string {
  return escapeMrkdwn(truncate(text, LIMIT.fallbackText));
}

function statusWithStep(card: RequestCard): string {
  const step = card.stepText === undefined ? '' : ` (${esc(card.stepText, NAME_MAX)})`;
  return `${statusWords(card.status)}${step}`;
}

function decisionLine(decision: RequestCard['decisions'][number]): string {
  const verb = decision.decision === 'approve' ? ':white_check_mark: approved' : ':no_entry: denied';
  const comment = decision.comment === undefined ? '' : `: ${esc(decision.comment, COMMENT_MAX)}`;
  return `${verb} by *${esc(decision.approverName, NAME_MAX)}*${comment}`;
}

function namesContext(label: string, names: string[]): ContextBlock {
  const shown = names
    .slice(0, SHOWN.names)
    .map((name) => esc(name, NAME_MAX))
    .join(', ');
  const elements = [`${label}: ${shown}`];
  if (names.length > SHOWN.names) elements.push(`…and ${names.length - SHOWN.names} more`);
  return context(...elements);
}

// The body every request card shares: what, for how long, why, the plan and where it stands.
function requestDetails(card: RequestCard, options: { withRequester: boolean }): Block[] {
  const fields: [string, string][] = [];
  if (options.withRequester) fields.push(['Requester', personText(card.requester)]);
  fields.push(['Access', accessText(card)], ['Risk', riskText(card.risk)]);
  fields.push(['Duration', esc(card.durationText, NAME_MAX)], ['Status', statusWithStep(card)]);
  const blocks: Block[] = [fieldsSection(fields)];
  if (card.reason !== undefined && card.reason.trim() !== '') {
    blocks.push(section(`*Reason*\n${esc(card.reason)}`));
  }
  if (card.plan !== undefined) blocks.push(context(`:busts_in_silhouette: ${esc(card.plan)}`));
  if (card.sodNote !== undefined) blocks.push(context(`:warning: ${esc(card.sodNote)}`));
  if (card.decisions.length > 0) {
    const lines = card.decisions.slice(0, SHOWN.decisions).map(decisionLine);
    blocks.push(section(`*Decisions*\n${lines.join('\n')}`));
    if (card.decisions.length > SHOWN.decisions) {
      blocks.push(more(card.decisions.length - SHOWN.decisions, 'decisions'));
    }
  }
  if (card.waitingOn !== undefined && card.waitingOn.length > 0) {
    blocks.push(namesContext('Waiting on', card.waitingOn));
  }
  return blocks;
}

function closedContext(status: string, outcome: string | undefined, deciders: string[]): ContextBlock {
  if (outcome !== undefined || deciders.length === 0) return context(statusLine(status, outcome));
  const unique = [...new Set(deciders)];
  const shown = unique
    .slice(0, SHOWN.names)
    .map((name) => esc(name, NAME_MAX))
    .join(', ');
  const rest = unique.length > SHOWN.names ? ` and ${unique.length - SHOWN.names} more` : '';
  return context(`${statusLine(status)} · decided by ${shown}${rest}`);
}

/** The approver's DM: Approve / Deny while `decidable`, else a context line with the status, outcome and who decided. */
export function approvalMessage(
  card: RequestCard,
  options: { decidable: boolean; heading?: string },
): SlackPayload {
  const heading = options.heading ?? `${card.requester.name} requests ${accessWords(card)}`;
  const blocks: Block[] = [header(heading), ...requestDetails(card, { withRequester: true })];
  if (options.decidable) {
    blocks.push({
      type: 'actions',
      elements: [
        button('Approve', ACTION.approve, card.requestId, 'primary'),
        button('Deny', ACTION.deny, card.requestId, 'danger'),
      ],
    } satisfies ActionsBlock);
    return { text: fallback(`${heading} (${card.risk} risk)`), blocks };
  }
  const deciders = card.decisions.map((decision) => decision.approverName);
  blocks.push(closedContext(card.status, card.outcome, deciders));
  return { text: fallback(`${heading}: ${card.status.replaceAll('_', ' ')}`), blocks };
}

/** The requester's DM about their request: what, duration, reason, plan in words, status, decisions so far, outcome. */
export function requestStatusMessage(card: RequestCard, heading?: string): SlackPayload {
  const title = heading ?? `Your request for ${accessWords(card)}`;
  const blocks: Block[] = [header(title), ...requestDetails(card, { withRequester: false })];
  if (card.outcome !== undefined) blocks.push(context(statusLine(card.status, card.outcome)));
  return { text: fallback(`${title}: ${card.outcome ?? card.status.replaceAll('_', ' ')}`), blocks };
}

/** The resource owner's manual provisioning task: Done / Can't do while `open`, the outcome line otherwise. */
export function fulfilmentTaskMessage(
  card: RequestCard,
  options: { open: boolean; heading?: string },
): SlackPayload {
  const heading = options.heading ?? `Please grant ${accessWords(card)} to ${card.requester.name}`;
  const blocks: Block[] = [header(heading), ...requestDetails(card, { withRequester: true })];
  if (options.open) {
    blocks.push(
      section(
        `Grant this access in *${esc(card.resourceName, NAME_MAX)}*, then press *Done*. ` +
          "If you can't, press *Can't do* and say why: the requester is told.",
      ),
      {
        type: 'actions',
        elements: [
          button('Done', ACTION.fulfilDone, card.requestId, 'primary'),
          button("Can't do", ACTION.fulfilRefused, card.requestId),
        ],
      } satisfies ActionsBlock,
    );
    return { text: fallback(heading), blocks };
  }
  blocks.push(context(statusLine(card.status, card.outcome)));
  return { text: fallback(`${heading}: ${card.outcome ?? card.status.replaceAll('_', ' ')}`), blocks };
}

/** The holder's "expires soon" DM with Extend / Release (value grantId) while `open`; the outcome line otherwise. */
export function grantExpiringMessage(grant: GrantCard, options: { open: boolean }): SlackPayload {
  const heading = `Your access to ${accessWords(grant)} expires soon`;
  const fields: [string, string][] = [
    ['Access', accessText(grant)],
    ['Risk', riskText(grant.risk)],
  ];
  if (grant.expiresAt !== undefined) fields.push(['Expires', dateText(grant.expiresAt)]);
  const blocks: Block[] = [header(heading), fieldsSection(fields)];
  if (options.open) {
    blocks.push(section('Still need it? *Extend* asks for more time; *Release* gives it up now.'), {
      type: 'actions',
      elements: [button('Extend', ACTION.extend, grant.grantId, 'primary'), releaseButton(grant.grantId)],
    } satisfies ActionsBlock);
    return { text: fallback(heading), blocks };
  }
  blocks.push(context(statusLine(grant.status, grant.outcome)));
  return {
    text: fallback(`${accessWords(grant)}: ${grant.outcome ?? grant.status.replaceAll('_', ' ')}`),
    blocks,
  };
}

// Facts as fields, ten per section (Slack's limit), at most SHOWN.facts before "…and N more".
function factBlocks(facts: Record<string, string> | undefined): Block[] {
  const entries = Object.entries(facts ?? {});
  const shown = entries.slice(0, SHOWN.facts);
  const blocks: Block[] = [];
  for (let i = 0; i < shown.length; i += LIMIT.fields) {
    const chunk = shown.slice(i, i + LIMIT.fields);
    blocks.push(
      fieldsSection(chunk.map(([key, value]) => [esc(key, NAME_MAX), esc(value, LIMIT.fieldText)])),
    );
  }
  if (entries.length > shown.length) blocks.push(more(entries.length - shown.length, 'facts'));
  return blocks;
}

/** A plain notice DM (reminders without buttons, outcomes): the text as a section, optional facts as fields. */
export function noticeMessage(text: string, facts?: Record<string, string>): SlackPayload {
  return { text: fallback(text), blocks: [section(esc(text)), ...factBlocks(facts)] };
}

/** Options for the external_select: value `resourceKey/entitlementKey`, text "Resource / Entitlement (risk)", ≤ 100, texts ≤ 75. */
export function entitlementOptions(items: EntitlementOption[]): {
  options: { text: { type: 'plain_text'; text: string }; value: string }[];
} {
  const options = items
    .map((item) => {
      const suffix = ` (${item.risk})`;
      const name = truncate(accessWords(item), LIMIT.optionText - suffix.length);
      return {
        text: { type: 'plain_text' as const, text: `${name}${suffix}` },
        value: `${item.resourceKey}/${item.entitlementKey}`,
      };
    })
    // A value Slack cannot take would make it reject the whole list; a cut value would name
    // another entitlement. Such an entitlement cannot be requested from Slack at all.
    .filter((option) => option.value.length <= LIMIT.optionValue)
    .slice(0, LIMIT.options);
  return { options };
}

/** Duration choices the request modal offers, in seconds (1h, 4h, 8h, 1d, 3d, 7d, 30d, 90d). */
export const DURATION_CHOICES_SECONDS: readonly number[] = Object.freeze([
  3_600, 14_400, 28_800, 86_400, 259_200, 604_800, 2_592_000, 7_776_000,
]);

/**
 * Metadata carries ids back to the submit handler: a cut id would act on the wrong thing, so an
 * oversized one is a programming error rather than something to truncate.
 */
export function checkedMetadata(privateMetadata: string): string {
  if (privateMetadata.length > LIMIT.privateMetadata) {
    throw new RangeError(
      `private_metadata is ${privateMetadata.length} characters; Slack allows ${LIMIT.privateMetadata}`,
    );
  }
  return privateMetadata;
}

function reasonInput(optional: boolean, label: string, placeholder: string): Block {
  return {
    type: 'input',
    block_id: BLOCK.reason,
    optional,
    label: plain(label, 2000),
    element: {
      type: 'plain_text_input',
      action_id: ACTION.reason,
      multiline: true,
      max_length: 2000,
      placeholder: plain(placeholder, 150),
    },
  };
}

/** The /access modal: entitlement search, duration (≤ `maxSeconds`, always the shortest), optional reason. */
export function requestModal(options: { maxSeconds?: number; privateMetadata?: string }): ModalView {
  const { maxSeconds } = options;
  const allowed = DURATION_CHOICES_SECONDS.filter(
    (seconds) => maxSeconds === undefined || seconds <= maxSeconds,
  );
  // The policy decides the real bound; offering nothing would leave a form nobody can submit.
  const choices = allowed.length > 0 ? allowed : DURATION_CHOICES_SECONDS.slice(0, 1);
  const view: ModalView = {
    type: 'modal',
    callback_id: VIEW.request,
    title: plain('Request access', LIMIT.modalTitle),
    submit: plain('Request', LIMIT.modalTitle),
    close: plain('Cancel', LIMIT.modalTitle),
    blocks: [
      {
        type: 'input',
        block_id: BLOCK.entitlement,
        label: plain('Access', 2000),
        element: {
          type: 'external_select',
          action_id: ACTION.entitlement,
          min_query_length: 0,
          placeholder: plain('Search resources and roles', 150),
        },
      },
      {
        type: 'input',
        block_id: BLOCK.duration,
        label: plain('For how long', 2000),
        // No initial option: the requester chooses the duration on purpose, not by default.
        element: {
          type: 'static_select',
          action_id: ACTION.duration,
          placeholder: plain('Choose a duration', 150),
          options: choices.map((seconds) => ({
            text: plain(durationWords(seconds), LIMIT.optionText),
            value: String(seconds),
          })),
        },
      },
      reasonInput(true, 'Why do you need it?', 'The approvers read this. Some access requires it.'),
    ],
  };
  if (options.privateMetadata !== undefined) view.private_metadata = checkedMetadata(options.privateMetadata);
  return view;
}

/** Modal asking why a request is denied or cannot be fulfilled; the reason is required, metadata passed through. */
export function reasonModal(
  kind: 'deny' | 'fulfil_refused',
  privateMetadata: string,
  title?: string,
): ModalView {
  const deny = kind === 'deny';
  return {
    type: 'modal',
    callback_id: deny ? VIEW.denyReason : VIEW.fulfilRefused,
    title: plain(title ?? (deny ? 'Deny request' : "Can't fulfil"), LIMIT.modalTitle),
    submit: plain(deny ? 'Deny' : 'Send', LIMIT.modalTitle),
    close: plain('Cancel', LIMIT.modalTitle),
    private_metadata: checkedMetadata(privateMetadata),
    blocks: [reasonInput(false, 'Why?', 'The requester is shown this reason.')],
  };
}

function homeApproval(card: RequestCard): Block[] {
  const reason = card.reason === undefined ? '' : `\n> ${esc(card.reason, COMMENT_MAX)}`;
  return [
    section(
      `${personText(card.requester)} requests *${accessText(card)}* for ${esc(card.durationText, NAME_MAX)}` +
        ` · ${riskText(card.risk)}${reason}`,
    ),
    {
      type: 'actions',
      elements: [
        button('Approve', ACTION.approve, card.requestId, 'primary'),
        button('Deny', ACTION.deny, card.requestId, 'danger'),
      ],
    } satisfies ActionsBlock,
  ];
}

function homeRequest(card: RequestCard): Block[] {
  return [
    section(
      `*${accessText(card)}* for ${esc(card.durationText, NAME_MAX)} · ${riskText(card.risk)}\n${statusWithStep(card)}`,
    ),
  ];
}

function grantLine(grant: GrantCard): string {
  const expires = grant.expiresAt === undefined ? '' : ` · expires ${dateText(grant.expiresAt)}`;
  return `*${accessText(grant)}* · ${riskText(grant.risk)}${expires}`;
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
      capped(model.approvalsWaiting, SHOWN.homeApprovals, homeApproval, 'waiting'),
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

const SEVERITY_MARKER: Record<SecurityAlert['severity'], string> = {
  critical: ':rotating_light: CRITICAL',
  high: ':red_circle: HIGH',
  warning: ':warning: WARNING',
};

/** The alert as a message (header with a severity marker, text, facts as fields). */
export function securityAlertMessage(alert: SecurityAlert): SlackPayload {
  return {
    text: fallback(`${alert.severity.toUpperCase()}: ${alert.title}`),
    blocks: [
      header(`${SEVERITY_MARKER[alert.severity]} ${alert.title}`),
      section(esc(alert.text)),
      ...factBlocks(alert.facts),
    ],
  };
}

/** Help text for `/access help` (and unknown subcommands), as mrkdwn. */
export function helpText(): string {
  // "<grant-id>" is escaped: raw angle brackets are a link or mention to Slack, even in code.
  return [
    '*grantflow: access requests*',
    '• `/access`: open the request form (what, for how long, and why)',
    '• `/access list`: your active access and open requests',
    `• \`/access release ${escapeMrkdwn('<grant-id>')}\`: give up access you no longer need`,
    '• `/access help`: this help',
    '',
    '*Certification campaigns* (admins)',
    '• `/access campaign launch`: open the launch form (scope, reviewers, due date, default action)',
    `• \`/access campaign signoff ${escapeMrkdwn('<campaign-id>')}\`: sign off a campaign awaiting sign-off`,
    'Reviewers: press *Review* in the digest message or on the App Home.',
  ].join('\n');
}

// Takes lines while they fit `budget` characters (keeping room for the "…and N more" line), so one
// long list cannot push the other out of the message.
function linesWithin(items: string[], total: number, budget: number): string[] {
  const reserve = 30;
  const lines: string[] = [];
  let used = 0;
  for (const item of items) {
    if (used + item.length + 1 > budget - reserve) break;
    lines.push(item);
    used += item.length + 1;
  }
  if (total > lines.length) lines.push(`…and ${total - lines.length} more`);
  return lines;
}

/** `/access list`: the person's active grants and open requests as mrkdwn text (ephemeral). */
export function accessListText(grants: GrantCard[], requests: RequestCard[]): string {
  // The id comes first: it is what `/access release` needs, and a cut line then loses only words.
  const grantItems = grants
    .slice(0, SHOWN.listItems)
    .map((grant) => clampMrkdwn(`• \`${esc(grant.grantId, NAME_MAX)}\` ${grantLine(grant)}`, LIST_LINE_MAX));
  const requestItems = requests
    .slice(0, SHOWN.listItems)
    .map((card) =>
      clampMrkdwn(
        `• \`${esc(card.requestId, NAME_MAX)}\` *${accessText(card)}* for ${esc(card.durationText, NAME_MAX)}` +
          ` · ${statusWithStep(card)}`,
        LIST_LINE_MAX,
      ),
    );
  const half = Math.floor((LIMIT.sectionText - 100) / 2);
  const text = [
    `*Your access* (${grants.length})`,
    ...(grants.length === 0
      ? ['You hold no access through grantflow.']
      : linesWithin(grantItems, grants.length, half)),
    '',
    `*Your open requests* (${requests.length})`,
    ...(requests.length === 0
      ? ['You have no open requests.']
      : linesWithin(requestItems, requests.length, half)),
  ];
  return clampMrkdwn(text.join('\n'), LIMIT.sectionText);
}
