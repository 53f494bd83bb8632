// Starting the mover workflow. However a person moved (SCIM, the directory file), the move is a
// timestamp on the person (`moved_at`); SCIM starts the workflow at once, and the worker's sweep
// starts it for every move not yet handled. The workflow id is the person and the move time, so a
// second start of the same move finds the first.
import type { Client } from '@temporalio/client';
import type { Executor } from '../db/client.js';
import { listPendingMovers } from '../db/queries/movers.js';
import { startOnce } from '../temporal/start-once.js';
import { moverWorkflowId } from '../workflows/ids.js';
import type { MoverInput, MoverWorkflow } from '../workflows/messages.js';
import type { LifecycleHook } from './lifecycle.js';

/** What starting movers needs. */
export type MoverDeps = { db: Executor; temporal: Client; taskQueue: string; reviewSeconds: number };

/** Starts the mover workflow of one move; false when it was started before. */
async function startMover(
  deps: MoverDeps,
  move: { personId: string; email: string; movedAt: Date },
): Promise<boolean> {
  const movedAt = move.movedAt.getTime();
  const input: MoverInput = {
    personId: move.personId,
    email: move.email,
    movedAt,
    reviewSeconds: deps.reviewSeconds,
  };
  return startOnce<MoverWorkflow>(deps.temporal, 'mover', {
    workflowId: moverWorkflowId(move.personId, movedAt),
    taskQueue: deps.taskQueue,
    args: [input],
  });
}

/** How many moves one sweep looks at. */
const SWEEP_BATCH = 200;

/** Starts a mover workflow for every move not yet handled; returns how many. */
export async function startPendingMovers(deps: MoverDeps): Promise<number> {
  let started = 0;
  for (const move of await listPendingMovers(deps.db, SWEEP_BATCH)) {
    if (await startMover(deps, { personId: move.id, email: move.email, movedAt: move.movedAt })) started += 1;
  }
  return started;
}

/**
 * The lifecycle hook that starts a mover's workflow as soon as SCIM records the move. A start that
 * fails does not fail the IdP's committed call: the worker's sweep starts it.
 */
export function moverHook(deps: MoverDeps): LifecycleHook {
  return async (changes) => {
    for (const change of changes) {
      if (change.kind !== 'mover') continue;
      await startMover(deps, {
        personId: change.personId,
        email: change.email,
        movedAt: new Date(change.movedAt),
      }).catch(() => false);
    }
  };
}
