// What Slack shows about a request or a grant, read from PostgreSQL: the notifier, the listeners and
// the App Home all render from the same rows, so a message rewritten later says what the row says.
import type { Executor } from '../db/client.js';
import { type AccessRequestView, getAccessRequest } from '../db/queries/access-requests.js';
import { listApprovalDecisions } from '../db/queries/approval-decisions.js';
import type { GrantView } from '../db/queries/grants.js';
import { getPeopleByEmails } from '../db/queries/people.js';
import { formatDuration } from '../domain/index.js';
import { explainPlan } from '../policy/explain.js';
import type { PolicyDecision } from '../policy/types.js';
import type { GrantCard } from './blocks/grant.js';
import type { RequestCard } from './blocks/request.js';

/** Statuses in which approvers may still decide. */
const DECIDABLE = new Set(['pending', 'pending_approval']);

/** A request card plus who may decide its current step (emails), for routing buttons. */
export type RequestFacts = { card: RequestCard; request: AccessRequestView; deciders: string[] };

/** True while the request still takes Approve / Deny. */
export const isDecidable = (request: AccessRequestView) => DECIDABLE.has(request.status);

/**
 * Loads one request as Slack shows it to `reader` (an email: the plan says "your manager" to the
 * requester and "Sam's manager" to anyone else); undefined when there is no such request.
 */
export async function loadRequestFacts(
  db: Executor,
  requestId: string,
  reader?: string,
): Promise<RequestFacts | undefined> {
  const request = await getAccessRequest(db, requestId);
  if (!request) return undefined;
  return requestFacts(db, request, reader);
}

/** Builds the card of a request already read, for `reader` (the requester when omitted). */
export async function requestFacts(
  db: Executor,
  request: AccessRequestView,
  reader: string = request.requesterEmail,
): Promise<RequestFacts> {
  const decisions = await listApprovalDecisions(db, request.id);
  const plan = request.plan as PolicyDecision | null;
  const steps = plan?.outcome === 'approval_required' ? plan.steps : [];
  const step = request.currentStep === null ? undefined : steps[request.currentStep];
  // Whoever decided this step, or approved an earlier one (their approval counts here, or the
  // policy wants someone else), is not asked.
  const decided = new Set(
    decisions
      .filter(
        (d) =>
          d.stepIndex === request.currentStep ||
          (d.decision === 'approve' && d.stepIndex < (request.currentStep ?? 0)),
      )
      .map((d) => d.approverEmail),
  );
  const deciders = step
    ? [...new Set([...step.eligible, ...step.escalation.approvers])].filter((email) => !decided.has(email))
    : [];
  const names = new Map(
    (await getPeopleByEmails(db, [...decisions.map((d) => d.approverEmail), ...deciders])).map((p) => [
      p.email,
      p.name,
    ]),
  );
  const sodSteps = steps.filter((s) => s.source === 'sod');
  const card: RequestCard = {
    requestId: request.id,
    requester: {
      name: request.requesterName,
      email: request.requesterEmail,
      ...(request.requesterSlackUserId ? { slackUserId: request.requesterSlackUserId } : {}),
    },
    resourceName: request.resourceName,
    entitlementName: request.entitlementName,
    risk: request.risk,
    durationText: formatDuration(request.durationSeconds, { weeks: false }),
    ...(request.reason ? { reason: request.reason } : {}),
    ...(plan
      ? {
          plan: explainPlan(plan, {
            requester: { email: request.requesterEmail, name: request.requesterName },
            reader,
          }),
        }
      : {}),
    status: request.status,
    ...(step && steps.length > 0 ? { stepText: `step ${step.index + 1} of ${steps.length}` } : {}),
    decisions: decisions.map((d) => ({
      approverName: names.get(d.approverEmail) ?? d.approverEmail,
      decision: d.decision as 'approve' | 'deny',
      ...(d.comment ? { comment: d.comment } : {}),
    })),
    ...(isDecidable(request) && step
      ? { waitingOn: deciders.map((email) => names.get(email) ?? email) }
      : {}),
    ...(sodSteps.length > 0
      ? {
          sodNote: `Separation of duties: ${sodSteps.map((s) => `rule "${s.sodRule}"`).join(', ')} adds an approval step`,
        }
      : {}),
    ...(request.outcome ? { outcome: request.outcome } : {}),
    ...(plan?.outcome === 'approval_required' && plan.stepUp ? { stepUp: true } : {}),
  };
  return { card, request, deciders };
}

/** A grant as Slack shows it. */
export function grantCard(grant: GrantView): GrantCard {
  return {
    grantId: grant.id,
    holderName: grant.holderName,
    resourceName: grant.resourceName,
    entitlementName: grant.entitlementName,
    risk: grant.risk,
    ...(grant.expiresAt ? { expiresAt: new Date(grant.expiresAt).toISOString() } : {}),
    status: grant.status,
    ...(grant.endReason ? { outcome: grant.endReason } : {}),
  };
}
