// The shared state of one accessRequest run: what handlers and the main flow both read and write,
// and the helpers that record a transition (row + ledger) and notify people.
import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { AuditEventInput } from '../audit/events.js';
import { formatDuration } from '../domain/index.js';
import type { Notification } from '../notifications/port.js';
import { auditWrite, type WorkflowAuditDraft } from './audit-write.js';
import type { AccessRequestInput, AccessRequestState, ActorInput, RequestStatus } from './messages.js';

const options = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
} as const;
const activities = proxyActivities<Activities>(options);
// The same activities run by the worker that runs the workflow, with no trip through the task queue
// and no workflow task of their own: for the main flow's small, idempotent reads and writes of
// grantflow's own database (the plan, row + ledger intake, the grant record). A retry after a crash
// repeats them under the same keys, which the database takes once. While one runs, the run takes in
// no timer or update; so decisions, recorded by the decide update while the policy's timers run, stay
// ordinary activities (a decision held up by a lock must not hold up the expiry). So do notifications:
// an ordinary activity runs only once the workflow task before it is committed, so nobody is asked to
// approve a step the workflow could still roll back (a workflow task that times out under load).
const localActivities = proxyLocalActivities<Activities>(options);

/** Where this run's own database writes run: local activities on the quick path. */
export const ownDatabase = (run: Pick<RequestRun, 'quick'>) => (run.quick ? localActivities : activities);

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
  /**
   * Whether this run takes the quick path: notifications written off the path of its transitions,
   * and provisioning read back in the same activity. False only for runs begun by an older worker,
   * which replay their history the way it was written.
   */
  quick: boolean;
  /** This run's notifications so far, written one after another (see `notify`). */
  notifications: Promise<void>;
};

/** Temporal's marker for runs begun with the quick path; runs without it in their history replay without it. */
const QUICK_PATH = 'request-quick-path';

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
    quick: patched(QUICK_PATH),
    notifications: Promise.resolve(),
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
  await ownDatabase(run).recordRequestTransition({
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
  await ownDatabase(run).recordAudit([requestAudit(run, name, draft)]);
}

/**
 * Sends a notification about this request. On the quick path it only queues it: the run's
 * notifications are written to the outbox one after another, in the order they were sent (so
 * nobody hears "approved" before "approval needed"), while the run moves on; the outbox is
 * delivered later anyway, and the run ends only once all of them are written (`allNotified`).
 */
export function notify(run: NotifyingRun, notification: Omit<Notification, 'requestId'>): Promise<void> {
  const send = () => activities.notify({ ...notification, requestId: run.input.requestId });
  if (!run.quick) return send();
  run.notifications = run.notifications.then(send);
  // Observed here so a failure is not an unhandled rejection meanwhile; `allNotified` rethrows it.
  run.notifications.catch(() => undefined);
  return Promise.resolve();
}
type NotifyingRun = Pick<RequestRun, 'input' | 'quick' | 'notifications'>;

/** Resolves once every notification sent so far is in the outbox. */
export const allNotified = (run: NotifyingRun): Promise<void> => run.notifications;

/** "Sam Lee asks for Payments DB / read for 8h". */
export function describeRequest(run: Pick<RequestRun, 'input'>): string {
  const { requester, resource, entitlement, durationSeconds } = run.input;
  return `${requester.name} asks for ${resource.name} / ${entitlement.name} for ${formatDuration(durationSeconds, { weeks: false })}`;
}

export { activities };
