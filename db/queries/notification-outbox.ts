import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import {
  type NotificationOutage,
  type NotificationOutboxRow,
  notificationOutages,
  notificationOutbox,
} from '../schema.js';

/** Columns a new outbox row needs. */
export type NewOutboxRow = Pick<
  typeof notificationOutbox.$inferInsert,
  'idempotencyKey' | 'recipient' | 'notification' | 'part'
>;

/** Adds rows; one whose idempotency key is there already (a retried activity) is ignored. Returns how many were new. */
export async function enqueueOutboxRows(db: Executor, rows: NewOutboxRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db
    .insert(notificationOutbox)
    .values(rows)
    .onConflictDoNothing({ target: notificationOutbox.idempotencyKey })
    .returning({ id: notificationOutbox.id });
  return inserted.length;
}

// Serialises claimers across deliverer processes: without it two could both take a recipient's head.
const CLAIM_LOCK = sql`pg_advisory_xact_lock(hashtext('grantflow.notification_outbox.claim'))`;

/**
 * Takes up to `limit` rows to deliver now: for each recipient only its oldest open row (so
 * messages reach each person in order), when due, or when a dead deliverer's lease ran out.
 * Claimed rows are `sending` until `leaseMs` from now.
 */
export async function claimDueOutboxRows(
  db: Executor,
  limit: number,
  leaseMs: number,
): Promise<NotificationOutboxRow[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select ${CLAIM_LOCK}`);
    const rows = await tx.execute<{ id: number }>(sql`
      with heads as (
        select distinct on (recipient) id, status, next_attempt_at, claimed_until
        from notification_outbox
        where status in ('pending', 'sending')
        order by recipient, id
      ), due as (
        select id from heads
        where (status = 'pending' and next_attempt_at <= now())
           or (status = 'sending' and claimed_until < now())
        order by id
        limit ${limit}
      )
      update notification_outbox o
      set status = 'sending', claimed_until = now() + ${leaseMs} * interval '1 millisecond'
      from due where o.id = due.id
      returning o.id`);
    const ids = rows.map((row) => Number(row.id));
    if (ids.length === 0) return [];
    return tx
      .select()
      .from(notificationOutbox)
      .where(inArray(notificationOutbox.id, ids))
      .orderBy(asc(notificationOutbox.id));
  });
}

/** Ends a row: delivered, moot (no longer true or needed) or refused for good. */
export async function finishOutboxRow(
  db: Executor,
  id: number,
  status: 'delivered' | 'moot' | 'refused',
  note?: string,
): Promise<void> {
  await db
    .update(notificationOutbox)
    .set({
      status,
      finishedAt: sql`now()`,
      claimedUntil: null,
      attempts: sql`${notificationOutbox.attempts} + 1`,
      ...(note ? { lastError: note } : {}),
    })
    .where(eq(notificationOutbox.id, id));
}

/** Puts a row back after a failed attempt, not to be tried before `retryAt`. */
export async function retryOutboxRowLater(
  db: Executor,
  id: number,
  retryAt: Date,
  error: string,
): Promise<void> {
  await db
    .update(notificationOutbox)
    .set({
      status: 'pending',
      claimedUntil: null,
      nextAttemptAt: retryAt,
      lastError: error.slice(0, 2_000),
      attempts: sql`${notificationOutbox.attempts} + 1`,
    })
    .where(eq(notificationOutbox.id, id));
}

/** Gives back claimed rows that were not attempted (the pass stopped at a failure), due again at `at`. */
export async function releaseOutboxRows(db: Executor, ids: number[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(notificationOutbox)
    .set({ status: 'pending', claimedUntil: null, nextAttemptAt: at })
    .where(and(inArray(notificationOutbox.id, ids), eq(notificationOutbox.status, 'sending')));
}

/** How many messages wait to be delivered. */
export async function countWaitingOutboxRows(db: Executor): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notificationOutbox)
    .where(inArray(notificationOutbox.status, ['pending', 'sending']));
  return row?.n ?? 0;
}

/** The outage going on now, if any. */
export async function currentOutage(db: Executor): Promise<NotificationOutage | undefined> {
  const [row] = await db
    .select()
    .from(notificationOutages)
    .where(sql`${notificationOutages.endedAt} is null`)
    .limit(1);
  return row;
}

/** Opens an outage unless one is open (another deliverer's, say); returns the open one. */
export async function openOutage(db: Executor, error: string): Promise<NotificationOutage> {
  await db
    .insert(notificationOutages)
    .values({ lastError: error.slice(0, 2_000) })
    .onConflictDoNothing();
  await db
    .update(notificationOutages)
    .set({ lastError: error.slice(0, 2_000) })
    .where(sql`${notificationOutages.endedAt} is null`);
  const open = await currentOutage(db);
  if (!open) throw new Error('an outage was opened but cannot be read back');
  return open;
}

/** Marks the open outage as announced; false when someone else announced it first. */
export async function markOutageAlerted(db: Executor, id: number): Promise<boolean> {
  const updated = await db
    .update(notificationOutages)
    .set({ alertedAt: sql`now()` })
    .where(and(eq(notificationOutages.id, id), sql`${notificationOutages.alertedAt} is null`))
    .returning({ id: notificationOutages.id });
  return updated.length > 0;
}

/** Closes an outage; returns it as closed, or undefined when someone else closed it first. */
export async function endOutage(db: Executor, id: number): Promise<NotificationOutage | undefined> {
  const [row] = await db
    .update(notificationOutages)
    .set({ endedAt: sql`now()` })
    .where(and(eq(notificationOutages.id, id), sql`${notificationOutages.endedAt} is null`))
    .returning();
  return row;
}
