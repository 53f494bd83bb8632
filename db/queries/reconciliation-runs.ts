// Reconciliation runs: one row per comparison of a resource's target with its grants, so that
// "when was this resource last reconciled, and what did it find" is a query, not a log search.
import { desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { type ReconciliationRun, reconciliationRuns } from '../schema.js';

/** Starts a run once: a retried activity finds its row and changes nothing. */
export async function beginRun(
  db: Executor,
  run: { id: string; resourceId: string; workflowId: string },
): Promise<ReconciliationRun> {
  await db.insert(reconciliationRuns).values(run).onConflictDoNothing();
  const [row] = await db.select().from(reconciliationRuns).where(eq(reconciliationRuns.id, run.id));
  if (!row) throw new Error(`reconciliation run ${run.id} vanished`);
  return row;
}

/** Ends a run with its outcome and counts. */
export async function finishRun(
  db: Executor,
  id: string,
  end: { outcome: ReconciliationRun['outcome']; counts: Record<string, number>; error?: string },
): Promise<void> {
  await db
    .update(reconciliationRuns)
    .set({ outcome: end.outcome, counts: end.counts, error: end.error ?? null, finishedAt: sql`now()` })
    .where(eq(reconciliationRuns.id, id));
}

/** A resource's runs, newest first. */
export async function listRuns(
  db: Executor,
  resourceId: string,
  limit: number,
): Promise<ReconciliationRun[]> {
  return db
    .select()
    .from(reconciliationRuns)
    .where(eq(reconciliationRuns.resourceId, resourceId))
    .orderBy(desc(reconciliationRuns.startedAt))
    .limit(limit);
}
