// Starting the leaver workflow. However a person became inactive (SCIM, the directory file, an
// admin), the worker's sweep finds inactive people who still hold grants and starts one leaver
// workflow per deactivation; SCIM also starts it at once. The workflow id is the person and the
// deactivation time, so a second start of the same departure finds the first.
import type { Client } from '@temporalio/client';
import type { Executor } from '../db/client.js';
import { getPersonById, listLeaversHoldingAccess } from '../db/queries/people.js';
import { startOnce } from '../temporal/start-once.js';
import { leaverWorkflowId } from '../workflows/ids.js';
import type { LeaverInput, LeaverWorkflow } from '../workflows/messages.js';
import type { LifecycleHook } from './lifecycle.js';

/** What starting leavers needs. */
export type LeaverDeps = { db: Executor; temporal: Client; taskQueue: string; slaSeconds: number };

/** Starts the leaver workflow of one departure; false when it was started before. */
async function startLeaver(
  deps: LeaverDeps,
  leaver: { personId: string; email: string; deactivatedAt: Date; by: string },
): Promise<boolean> {
  const deactivatedAt = leaver.deactivatedAt.getTime();
  const input: LeaverInput = {
    personId: leaver.personId,
    email: leaver.email,
    deactivatedAt,
    by: leaver.by,
    slaSeconds: deps.slaSeconds,
  };
  // A departure is processed once, even after its workflow closed.
  return startOnce<LeaverWorkflow>(deps.temporal, 'leaver', {
    workflowId: leaverWorkflowId(leaver.personId, deactivatedAt),
    taskQueue: deps.taskQueue,
    args: [input],
  });
}

/** How many leavers one sweep looks at. */
const SWEEP_BATCH = 200;

/** Starts a leaver workflow for every inactive person still holding grants; returns how many. */
export async function startPendingLeavers(deps: LeaverDeps): Promise<number> {
  let started = 0;
  for (const person of await listLeaversHoldingAccess(deps.db, SWEEP_BATCH)) {
    const fresh = await startLeaver(deps, {
      personId: person.id,
      email: person.email,
      deactivatedAt: person.deactivatedAt,
      by: person.source,
    });
    if (fresh) started += 1;
  }
  return started;
}

/**
 * The lifecycle hook that starts a leaver's workflow as soon as SCIM deactivates them. A start
 * that fails (Temporal unreachable) does not fail the IdP's call, whose change has committed:
 * the worker's sweep starts the workflow for every inactive person still holding grants.
 */
export function leaverHook(deps: LeaverDeps): LifecycleHook {
  return async (changes) => {
    for (const change of changes) {
      if (change.kind !== 'leaver') continue;
      const person = await getPersonById(deps.db, change.personId);
      await startLeaver(deps, {
        personId: change.personId,
        email: change.email,
        deactivatedAt: new Date(change.deactivatedAt),
        by: person?.source ?? 'scim',
      }).catch(() => false);
    }
  };
}
