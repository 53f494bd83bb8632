// One reconciliation of one resource: open the run, read the target to the end and compare (an
// activity that heartbeats per page), close the run and tell the resource's owner what is open.
// A target that stays unreachable ends the run as `target_unavailable`: nothing is compared, so
// an outage can never look like access that went missing.
import {
  ActivityFailure,
  ApplicationFailure,
  executeChild,
  proxyActivities,
  uuid4,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { reconcileWorkflowId } from './ids.js';
import type { ReconcileCounts, ReconcileInput, ReconcileOutcome } from './messages.js';

const {
  beginReconciliation,
  checkSeparationOfDuties,
  finishReconciliation,
  listReconcilableResources,
  notify,
} = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

// A large target takes a while to read; the heartbeat says the read still moves. A target that is
// down is retried a few times with backoff, then reported rather than waited for.
const { reconcileResource: compare } = proxyActivities<Activities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '2 minutes',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 4,
  },
});

function failureOf(error: unknown): { type: string; message: string } | undefined {
  if (!(error instanceof ActivityFailure)) return undefined;
  const cause = error.cause;
  if (cause instanceof ApplicationFailure) return { type: cause.type ?? 'failed', message: cause.message };
  return { type: 'failed', message: cause?.message ?? error.message };
}

function summary(resourceName: string, counts: ReconcileCounts): string {
  return (
    `Reconciliation of ${resourceName}: ${counts.open} open finding${counts.open === 1 ? '' : 's'} ` +
    `(${counts.opened} new) — access at the target that no grant explains, or grants it does not hold. ` +
    'See `grantflow findings list`.'
  );
}

/** Reconciles one resource once; the run id makes every step idempotent. */
export async function reconcileResource(input: ReconcileInput): Promise<ReconcileOutcome> {
  await beginReconciliation(input);
  let outcome: ReconcileOutcome;
  try {
    outcome = { outcome: 'completed', counts: await compare(input) };
  } catch (error) {
    const failure = failureOf(error);
    if (!failure) throw error;
    outcome = {
      outcome: failure.type === 'connector_unavailable' ? 'target_unavailable' : 'failed',
      error: `${failure.type}: ${failure.message}`,
    };
  }
  const { notify: owners, resourceName } = await finishReconciliation({ ...input, ...outcome });
  if (outcome.counts && outcome.counts.open > 0) {
    await notify({ kind: 'findings_opened', to: owners, text: summary(resourceName, outcome.counts) });
  } else if (outcome.outcome !== 'completed') {
    await notify({
      kind: 'findings_opened',
      to: owners,
      text: `Reconciliation of ${resourceName} could not read the target (${outcome.error}); nothing was compared.`,
    });
  }
  return outcome;
}

/** Holdings asked of a target per call by scheduled runs. */
const SCHEDULED_PAGE_SIZE = 1_000;

/**
 * The schedule's run: reconciles every resource whose connector can list, each in its own child
 * workflow (one resource's outage never stops the others), then checks separation of duties on
 * what people hold; returns how each resource's run ended.
 */
export async function scheduledReconciliation(): Promise<Record<string, ReconcileOutcome['outcome']>> {
  const resources = await listReconcilableResources();
  const outcomes = await Promise.all(
    resources.map(async (resource) => {
      const runId = uuid4();
      const workflowId = reconcileWorkflowId(runId);
      const outcome = await executeChild(reconcileResource, {
        workflowId,
        args: [{ runId, resourceId: resource.id, workflowId, pageSize: SCHEDULED_PAGE_SIZE }],
      });
      return [resource.key, outcome.outcome] as const;
    }),
  );
  // Holdings may have changed (adopted orphans): check separation of duties on the result.
  await checkSeparationOfDuties();
  return Object.fromEntries(outcomes);
}
