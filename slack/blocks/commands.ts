// The ephemeral texts the /access command answers with: the help, and the person's list of active
// access and open requests.
import { type GrantCard, grantLine } from './grant.js';
import { accessText, clampMrkdwn, esc, escapeMrkdwn, LIMIT, NAME_MAX, SHOWN } from './kit.js';
import { type RequestCard, statusWithStep } from './request.js';

const LIST_LINE_MAX = 500;

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
