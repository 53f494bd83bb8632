// Cards about one access request: the approver's DM with Approve / Deny, the requester's status DM,
// and the resource owner's manual provisioning task, all sharing one body of details.
import type { ActionsBlock, ContextBlock } from '@slack/types';
import { ACTION } from './ids.js';
import {
  accessText,
  accessWords,
  type Block,
  button,
  COMMENT_MAX,
  context,
  esc,
  fallback,
  fieldsSection,
  header,
  linkButton,
  more,
  NAME_MAX,
  personText,
  type Risk,
  riskText,
  SHOWN,
  type SlackPayload,
  section,
  statusLine,
  statusWords,
} from './kit.js';

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
  /** Approving needs a passkey: Approve opens the console's confirm page instead of deciding. */
  stepUp?: boolean;
};

/** Where the console confirms an approval that needs a passkey. */
const confirmUrl = (consoleUrl: string, requestId: string) =>
  `${consoleUrl}/requests/${encodeURIComponent(requestId)}/confirm?decision=approve`;

/**
 * The Approve / Deny buttons of a decidable request. A request that needs a passkey cannot be
 * approved by a click: its Approve is a link to the console (`consoleUrl`, the public URL), and
 * without one there is no Approve at all, only Deny.
 */
export function decisionButtons(card: RequestCard, consoleUrl: string | undefined): ActionsBlock {
  const approve = !card.stepUp
    ? [button('Approve', ACTION.approve, card.requestId, 'primary')]
    : consoleUrl
      ? [
          linkButton(
            'Approve with passkey',
            ACTION.approveInConsole,
            confirmUrl(consoleUrl, card.requestId),
            'primary',
          ),
        ]
      : [];
  return {
    type: 'actions',
    elements: [...approve, button('Deny', ACTION.deny, card.requestId, 'danger')],
  };
}

/** The line under a step-up request's buttons saying why Approve opens the console. */
const stepUpNote = () =>
  context(
    ':key: Approving this access needs your passkey: *Approve with passkey* opens the grantflow console.',
  );

export function statusWithStep(card: RequestCard): string {
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

/**
 * The approver's DM: Approve / Deny while `decidable` (Approve a link to the console at
 * `consoleUrl` when the request needs a passkey), else a context line with the status, outcome and
 * who decided.
 */
export function approvalMessage(
  card: RequestCard,
  options: { decidable: boolean; heading?: string; consoleUrl?: string },
): SlackPayload {
  const heading = options.heading ?? `${card.requester.name} requests ${accessWords(card)}`;
  const blocks: Block[] = [header(heading), ...requestDetails(card, { withRequester: true })];
  if (options.decidable) {
    blocks.push(decisionButtons(card, options.consoleUrl));
    if (card.stepUp) blocks.push(stepUpNote());
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
