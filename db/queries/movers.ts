// What the mover workflow reads and marks: people whose latest move has not been handled yet, and a
// mover's active grants (but birthright ones) with what their resource says a move does to them.
import { and, eq, ne, sql } from 'drizzle-orm';
import type { MoveAction } from '../../domain/index.js';
import type { Executor } from '../client.js';
import { grants, people, resources } from '../schema.js';
import { entitlementRef, joinAccessNames } from './access-names.js';

/** A person whose move still needs its workflow. */
export type PendingMover = { id: string; email: string; movedAt: Date };

/** Active people whose last move has no workflow yet, oldest move first. */
export async function listPendingMovers(db: Executor, limit: number): Promise<PendingMover[]> {
  const rows = await db
    .select({ id: people.id, email: people.email, movedAt: people.movedAt })
    .from(people)
    .where(
      and(
        eq(people.status, 'active'),
        sql`${people.movedAt} is not null`,
        sql`(${people.moveHandledAt} is null or ${people.moveHandledAt} < ${people.movedAt})`,
      ),
    )
    .orderBy(people.movedAt, people.id)
    .limit(limit);
  return rows.map((row) => ({ id: row.id, email: row.email, movedAt: row.movedAt as Date }));
}

/** Marks the move at `movedAt` as handled (a later move stays pending). */
export async function markMoveHandled(db: Executor, personId: string, movedAt: Date): Promise<void> {
  await db
    .update(people)
    .set({ moveHandledAt: movedAt })
    .where(
      and(
        eq(people.id, personId),
        sql`(${people.moveHandledAt} is null or ${people.moveHandledAt} < ${movedAt.toISOString()}::timestamptz)`,
      ),
    );
}

/** One active grant of a mover, with its resource's move action. */
export type MoverGrant = {
  grantId: string;
  resourceKey: string;
  entitlementRef: string;
  onMove: MoveAction;
  ownerId: string;
};

/**
 * The person's active grants with what a move does to each, in grant id order. Birthright grants
 * are left out: they follow their rules, and the birthright sweep revokes those the move ends.
 */
export async function listMoverGrants(db: Executor, personId: string): Promise<MoverGrant[]> {
  return joinAccessNames(
    db
      .select({
        grantId: grants.id,
        resourceKey: resources.key,
        entitlementRef,
        onMove: resources.onMove,
        ownerId: resources.ownerId,
      })
      .from(grants)
      .$dynamic(),
    { holder: grants.personId, entitlement: grants.entitlementId },
  )
    .where(and(eq(grants.personId, personId), eq(grants.status, 'active'), ne(grants.source, 'birthright')))
    .orderBy(grants.id);
}
