// The shared state of one accessRequest run: what handlers and the main flow both read and write,
// and the helpers that record a transition (row + ledger) and notify people.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { AuditEventInput } from '../audit/events.js';
import { formatDuration } from '../domain/index.js';
import type { Notification } from '../notifications/port.js';
import { auditWrite, type WorkflowAuditDraft } from './audit-write.js';
import type { AccessRequestInput, AccessRequestState, ActorInput, RequestStatus } from './messages.js';

const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** Statuses in which the requester (or an admin) may still withdraw the request. */
export const CANCELLABLE: readonly RequestStatus[] = [
  'pending',
  'pending_approval',
  'awaiting_fulfilment',
  'provisioning_failed',
];

/** Statuses a request ends in. */
export const FINAL_STATUSES: readonly RequestStatus[] = ['granted', 'denied', 'cancelled', 'expired'];

/** Everything one run shares between its handlers and its main flow. */
export type RequestRun = {
  input: AccessRequestInput;
  state: AccessRequestState;
  /** Set by the cancel update; the main flow acts on it at its next wait. */
  cancel?: ActorInput;
  /** Set by a deny decision. */
  denial?: { approver: string; actedBy?: string; comment?: string; slackId?: string };
  /** How many decisions the main flow has looked at; update handlers wait for theirs. */
  decisionsSeen: number;
  /** `step:approver` of decisions being recorded right now. */
  decisionsInFlight: Set<string>;
  /** Transitions whose row and ledger writes are still running. */
  writes: number;
  /** A decision is being recorded: the next waits, so each one's ledger entry sees the ones before. */
  recordingDecision: boolean;
  retryRequested?: ActorInput;
  fulfilment?: ActorInput & { outcome: 'done' | 'refused' };
};

/** Starts a run's shared state. */
export function newRun(input: AccessRequestInput): RequestRun {
  return {
    input,
    state: {
      requestId: input.requestId,
      status: 'pending',
      requester: input.requester.email,
      steps: [],
      decisions: [],
    },
    decisionsSeen: 0,
    decisionsInFlight: new Set(),
    writes: 0,
    recordingDecision: false,
  };
}

/** An audit event about this request: its entitlement as target, its ids as correlation. */
export function requestAudit(
  run: RequestRun,
  name: string,
  draft: Omit<WorkflowAuditDraft, 'target'> & { target?: AuditEventInput['target'] },
) {
  const { resource, entitlement, requestId } = run.input;
  return auditWrite(name, {
    target: { type: 'entitlement', id: `${resource.key}/${entitlement.key}`, name: entitlement.name },
    risk: entitlement.risk,
    ...draft,
    correlation: { request_id: requestId, ...draft.correlation },
  });
}

/**
 * Moves the request to `status`, writing the row and the audit event together. `closed` marks a
 * final state; `outcome` says why in words.
 */
export async function transition(
  run: RequestRun,
  status: RequestStatus,
  audit: ReturnType<typeof requestAudit>[],
  options: { outcome?: string; closed?: boolean } = {},
): Promise<void> {
  // The new status is visible to validators at once (a click right after the row changes must be
  // accepted); handlers wait for `writes` to drain before acting on it or answering with it.
  run.state.status = status;
  if (options.outcome) run.state.outcome = options.outcome;
  run.writes += 1;
  await activities.recordRequestTransition({
    requestId: run.input.requestId,
    patch: {
      status,
      currentStep: run.state.currentStep ?? null,
      ...(options.outcome ? { outcome: options.outcome } : {}),
      ...(options.closed ? { closed: true } : {}),
      ...(run.state.decision ? { plan: run.state.decision } : {}),
    },
    audit,
  });
  run.writes -= 1;
}

/** True once every transition so far is in the row and the ledger. */
export const written = (run: RequestRun) => () => run.writes === 0;

/** Records an event that changes nothing on the row (a reminder, an escalation). */
export async function recordEvent(
  run: RequestRun,
  name: string,
  draft: Parameters<typeof requestAudit>[2],
): Promise<void> {
  await activities.recordAudit([requestAudit(run, name, draft)]);
}

/** Sends a notification about this request. */
export function notify(run: RunLike, notification: Omit<Notification, 'requestId'>): Promise<void> {
  return activities.notify({ ...notification, requestId: run.input.requestId });
}
type RunLike = Pick<RequestRun, 'input'>;

/** "Sam Lee asks for Payments DB / read for 8h". */
export function describeRequest(run: RunLike): string {
  const { requester, resource, entitlement, durationSeconds } = run.input;
  return `${requester.name} asks for ${resource.name} / ${entitlement.name} for ${formatDuration(durationSeconds, { weeks: false })}`;
}

export { activities };
