// The sweep that finishes what a dead API began. Filing a request records it (row and
// `access.request.created`, one transaction) and then starts its workflow; an API killed between
// the two leaves a request nothing would ever move, still `pending`, blocking its requester from
// asking again. The worker calls this every few seconds: a request pending for longer than the API
// takes to start a workflow gets its workflow, once (a running or finished one is left alone).
import { listStalePendingRequests } from '../db/queries/access-requests.js';
import { loadRequestContext } from './policy-input.js';
import { type SubmitDeps, startRequestWorkflow } from './submit.js';

/** How long a request may stay pending before the sweep looks at it: far above a workflow start. */
const STRANDED_AFTER_SECONDS = 60;
const SWEEP_BATCH = 100;

/** Starts the workflow of every request stranded before its workflow started; returns how many. */
export async function startStrandedRequests(
  deps: SubmitDeps,
  options: { olderThanSeconds: number } = { olderThanSeconds: STRANDED_AFTER_SECONDS },
): Promise<number> {
  let started = 0;
  const stale = await listStalePendingRequests(deps.db, { ...options, limit: SWEEP_BATCH });
  for (const request of stale) {
    const context = await loadRequestContext(deps.db, {
      requesterId: request.requesterId,
      entitlementId: request.entitlementId,
    });
    const fresh = await startRequestWorkflow(deps, {
      requestId: request.id,
      requester: { email: request.requesterEmail, name: request.requesterName },
      submittedBy: { email: request.submittedByEmail, name: request.submittedByName },
      target: context.target,
      durationSeconds: request.durationSeconds,
      ...(request.reason ? { reason: request.reason } : {}),
    });
    if (fresh) started += 1;
  }
  return started;
}
