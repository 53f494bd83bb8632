// Reconciling a resource now: on demand from the CLI or the API (the schedule starts the same
// workflow). One run at a time per resource: a second request while one runs gets that run.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import type { Executor } from '../db/client.js';
import { listRuns } from '../db/queries/reconciliation-runs.js';
import { getResourceByKey } from '../db/queries/resources.js';
import type { ReconciliationRun } from '../db/schema.js';
import { canListAccess } from '../domain/index.js';
import { reconcileWorkflowId } from '../workflows/ids.js';
import type { ReconcileOutcome, ReconcileWorkflow } from '../workflows/messages.js';

/** What starting a reconciliation needs. */
export type ReconcileDeps = { db: Executor; temporal: Client; taskQueue: string };

/** Holdings asked of a target per call. */
const PAGE_SIZE = 1_000;
/** How long a run may take at most (the workflow's execution timeout). */
const RUN_LIMIT_MS = 3 * 3_600_000;

/** The run just started (or already running), and its outcome when the caller waited. */
export type StartedReconciliation = { runId: string; resource: string; outcome?: ReconcileOutcome };

/**
 * Starts reconciling `resource` (a key), and with `wait` waits for the outcome. Refuses resources
 * whose connector cannot list what the target holds (manual, webhook without `list`).
 */
export async function reconcileNow(
  deps: ReconcileDeps,
  input: { resource: string; wait?: boolean },
  actor: { by: string },
): Promise<StartedReconciliation> {
  const resource = await getResourceByKey(deps.db, input.resource);
  if (!resource) throw new NotFoundError('resource', input.resource);
  if (!canListAccess({ kind: resource.connectorKind, ...(resource.connectorConfig as object) })) {
    throw new ValidationError(
      `resource ${resource.key} has a ${resource.connectorKind} connector, which cannot list what the target holds${resource.connectorKind === 'webhook' ? ' (set list: true in its connector once its receiver answers action "list")' : ''}`,
      { resource: resource.key, connector: resource.connectorKind },
    );
  }
  const [latest] = await listRuns(deps.db, resource.id, 1);
  // A run longer than the workflow's own limit died with its worker: it no longer blocks.
  const stale = latest && Date.now() - new Date(latest.startedAt).getTime() > RUN_LIMIT_MS;
  if (latest?.outcome === 'running' && !stale) {
    throw new ConflictError(`resource ${resource.key} is being reconciled already (run ${latest.id})`, {
      runId: latest.id,
    });
  }
  const runId = randomUUID();
  const workflowId = reconcileWorkflowId(runId);
  const handle = await deps.temporal.workflow.start<ReconcileWorkflow>('reconcileResource', {
    workflowId,
    taskQueue: deps.taskQueue,
    args: [{ runId, resourceId: resource.id, workflowId, pageSize: PAGE_SIZE }],
    memo: { startedBy: actor.by },
    workflowExecutionTimeout: RUN_LIMIT_MS,
  });
  if (!input.wait) return { runId, resource: resource.key };
  return { runId, resource: resource.key, outcome: await handle.result() };
}

/** A resource's recent runs, newest first. */
export async function recentRuns(
  deps: { db: Executor },
  input: { resource: string; limit: number },
): Promise<ReconciliationRun[]> {
  const resource = await getResourceByKey(deps.db, input.resource);
  if (!resource) throw new NotFoundError('resource', input.resource);
  return listRuns(deps.db, resource.id, input.limit);
}
