import { and, asc, desc, eq, lt } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { type ApprovalDecision, approvalDecisions, people } from '../schema.js';

/** Columns a new decision row needs. */
export type NewApprovalDecision = typeof approvalDecisions.$inferInsert;

/** Records a decision once: a retried activity finds the row there and changes nothing. */
export async function insertApprovalDecision(db: Executor, row: NewApprovalDecision): Promise<void> {
  await db.insert(approvalDecisions).values(row).onConflictDoNothing();
}

/** A request's decisions in the order they were made, with the approver's email. */
export async function listApprovalDecisions(
  db: Executor,
  requestId: string,
): Promise<(ApprovalDecision & { approverEmail: string })[]> {
  const rows = await db
    .select({ decision: approvalDecisions, approverEmail: people.email })
    .from(approvalDecisions)
    .innerJoin(people, eq(people.id, approvalDecisions.approverId))
    .where(eq(approvalDecisions.requestId, requestId))
    .orderBy(asc(approvalDecisions.id));
  return rows.map((row) => ({ ...row.decision, approverEmail: row.approverEmail }));
}

/**
 * A page of the decisions `approverId` made, newest first (by id, which follows decision order),
 * after the id of the last one shown. No index leads with approver_id: PostgreSQL reads the
 * primary key backwards and filters, which stays cheap while decisions number in the hundreds of
 * thousands; an index on (approver_id, id) is the fix beyond that.
 */
export async function listDecisionsBy(
  db: Executor,
  approverId: string,
  page: { beforeId?: number; limit: number },
): Promise<ApprovalDecision[]> {
  return db
    .select()
    .from(approvalDecisions)
    .where(
      and(
        eq(approvalDecisions.approverId, approverId),
        page.beforeId !== undefined ? lt(approvalDecisions.id, page.beforeId) : undefined,
      ),
    )
    .orderBy(desc(approvalDecisions.id))
    .limit(page.limit);
}
