// The certification campaign DMs: the reviewer's digest (also reminders and escalations) with a
// Review button, and the launching admin's "ready for sign-off" note. Pure, like the rest of
// slack/blocks/: everything a person typed is escaped and every text cut to Slack's limits.
import type { ActionsBlock } from '@slack/types';
import { REVIEW_ACTION } from './ids.js';
import {
  type Block,
  button,
  context,
  dateText,
  esc,
  fallback,
  fieldsSection,
  header,
  NAME_MAX,
  type SlackPayload,
  section,
} from './kit.js';

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

const DEFAULT_ACTION_WORDS: Record<NonNullable<ReviewDigest['defaultAction']>, string> = {
  revoke: 'are revoked',
  keep: 'are kept',
  escalate: "go to the reviewer's manager",
};

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
