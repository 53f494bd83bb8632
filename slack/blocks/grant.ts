// Cards about one grant: the holder's "expires soon" DM with Extend / Release, the guarded Release
// button (also on the App Home), and the one-line summary of a grant.
import type { ActionsBlock, Button } from '@slack/types';
import { ACTION } from './ids.js';
import {
  accessText,
  accessWords,
  type Block,
  button,
  context,
  dateText,
  fallback,
  fieldsSection,
  header,
  plain,
  type Risk,
  riskText,
  type SlackPayload,
  section,
  statusLine,
} from './kit.js';

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

// Releasing access is hard to undo (it needs a new request and approvals), so it asks first.
export function releaseButton(grantId: string): Button {
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

export function grantLine(grant: GrantCard): string {
  const expires = grant.expiresAt === undefined ? '' : ` · expires ${dateText(grant.expiresAt)}`;
  return `*${accessText(grant)}* · ${riskText(grant.risk)}${expires}`;
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
