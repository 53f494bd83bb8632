// Block Kit builders: pure functions from grantflow's words to Slack payloads, so every message,
// modal and Home tab can be tested without Slack. Everything a person typed (names, reasons,
// comments) is escaped before it reaches mrkdwn, and every text is cut to Slack's limits with a
// visible "…", because Slack rejects an oversized payload outright and the person is then told nothing.
// This file holds the primitives every builder shares: payload types, limits, escaping and
// cutting, text and block elements, and the small words (risk, status, people, dates).
import type {
  Button,
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  MrkdwnElement,
  PlainTextElement,
  SectionBlock,
} from '@slack/types';
import type { RiskLevel } from '../../domain/index.js';

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
export const SHOWN = {
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
export function clampMrkdwn(text: string, max: number): string {
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

export function more(hidden: number, noun: string): ContextBlock {
  return context(`…and ${hidden} more ${noun}`);
}

/** A button with an action id and a value. */
export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  const element: Button = { type: 'button', text: plain(text, LIMIT.buttonText), action_id: actionId, value };
  if (style !== undefined) element.style = style;
  return element;
}

/** A button that opens `url` in the browser; Slack still reports the click under `actionId`. */
export function linkButton(
  text: string,
  actionId: string,
  url: string,
  style?: 'primary' | 'danger',
): Button {
  const element: Button = { type: 'button', text: plain(text, LIMIT.buttonText), action_id: actionId, url };
  if (style !== undefined) element.style = style;
  return element;
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

export function statusWords(status: string): string {
  return esc(status.replaceAll('_', ' '), NAME_MAX);
}

export function statusLine(status: string, outcome?: string): string {
  const marker = STATUS_MARKER[status] ?? ':information_source:';
  const words = statusWords(status);
  const line = `${marker} *${words.charAt(0).toUpperCase()}${words.slice(1)}*`;
  return outcome === undefined ? line : `${line} — ${esc(outcome)}`;
}

// Only a well-formed member id becomes a mention; anything else is shown as the escaped name,
// so a malformed id from a directory sync cannot turn into "<!here>".
export function personText(person: { name: string; slackUserId?: string }): string {
  if (person.slackUserId !== undefined && /^[UW][A-Z0-9]{2,}$/.test(person.slackUserId)) {
    return `<@${person.slackUserId}>`;
  }
  return esc(person.name, NAME_MAX);
}

/** "Resource / Entitlement", escaped. */
export function accessText(item: { resourceName: string; entitlementName: string }): string {
  return `${esc(item.resourceName, NAME_MAX)} / ${esc(item.entitlementName, NAME_MAX)}`;
}

export function accessWords(item: { resourceName: string; entitlementName: string }): string {
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
