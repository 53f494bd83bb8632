// Log reviews: one per month, its items the security events the ledger recorded that month, copied
// once when the review is opened. Items are marked reviewed once (the review is final, so what a
// pack shows as of a moment never changes afterwards) and the review is signed off in place.
import { and, asc, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { type LogReview, type LogReviewItem, logReviewItems, logReviews, people } from '../schema.js';
import { isUuid } from './ids.js';

/** Columns a new review needs. */
export type NewLogReview = Pick<
  typeof logReviews.$inferInsert,
  'period' | 'periodStart' | 'periodEnd' | 'reviewerGroup' | 'dueAt'
>;

/** A review with who signed it off and how far its items are. */
export type LogReviewView = LogReview & {
  signedOffBy: string | null;
  items: number;
  reviewed: number;
  actionTaken: number;
};

/** An item with its reviewer's email. */
export type LogReviewItemView = LogReviewItem & { reviewedBy: string | null };

/** Inserts the review of a period; undefined when that period has one already. */
export async function insertLogReview(db: Executor, row: NewLogReview): Promise<LogReview | undefined> {
  const [inserted] = await db
    .insert(logReviews)
    .values(row)
    .onConflictDoNothing({ target: logReviews.period })
    .returning();
  return inserted;
}

/**
 * Copies the ledger's security events recorded in the review's period into its items: refusals
 * (`denied` results, `*.refused` and `security.*` types), anything done on someone's behalf, and
 * the `eventTypes` given (administrators' actions, alerts). Returns how many items it wrote and the
 * ledger's tail when it looked, which the opening event records.
 */
export async function snapshotLogReviewItems(
  db: Executor,
  review: Pick<LogReview, 'id' | 'periodStart' | 'periodEnd'>,
  eventTypes: readonly string[],
): Promise<{ items: number; throughSeq: number }> {
  const inserted = await db.execute<{ id: number }>(sql`
    insert into log_review_items (review_id, ledger_seq, event_type, summary)
    select ${review.id}::uuid, l.seq, l.event_type,
      left(concat_ws(' ', coalesce(l.event->'actor'->>'email', l.event->'actor'->>'id'),
                     'for ' || (l.event->'actor'->>'on_behalf_of'), l.event->>'action',
                     (l.event->'target'->>'type') || ' ' || (l.event->'target'->>'id'))
           || ': ' || (l.event->>'result') || coalesce(' (' || (l.event->>'reason') || ')', ''), 1000)
    from audit_ledger l
    where l.recorded_at >= ${review.periodStart.toISOString()}::timestamptz
      and l.recorded_at < ${review.periodEnd.toISOString()}::timestamptz
      and (l.event->>'result' = 'denied' or l.event_type like '%.refused' or l.event_type like 'security.%'
           or l.event->'actor'->>'on_behalf_of' is not null
           or l.event_type in (select jsonb_array_elements_text(${JSON.stringify(eventTypes)}::jsonb)))
    order by l.seq
    on conflict (review_id, ledger_seq) do nothing
    returning id`);
  const [tail] = await db.execute<{ seq: string }>(
    sql`select coalesce(max(seq), 0) as seq from audit_ledger`,
  );
  return { items: inserted.length, throughSeq: Number(tail?.seq ?? 0) };
}

function selectViews(db: Executor) {
  const items = sql<number>`(select count(*)::int from log_review_items i where i.review_id = ${logReviews.id})`;
  const reviewed = sql<number>`(select count(*)::int from log_review_items i
    where i.review_id = ${logReviews.id} and i.reviewed_at is not null)`;
  const actionTaken = sql<number>`(select count(*)::int from log_review_items i
    where i.review_id = ${logReviews.id} and i.action_taken)`;
  return db
    .select({ review: logReviews, signedOffBy: people.email, items, reviewed, actionTaken })
    .from(logReviews)
    .leftJoin(people, eq(people.id, logReviews.signedOffById))
    .$dynamic();
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof selectViews>['execute']>>[number];
const toView = ({ review, ...rest }: ViewRow): LogReviewView => ({ ...review, ...rest });

/** One review with its progress, by id. */
export async function getLogReview(db: Executor, id: string): Promise<LogReviewView | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await selectViews(db).where(eq(logReviews.id, id));
  return row ? toView(row) : undefined;
}

/** The review of a period (`2026-11`), with its progress. */
export async function getLogReviewByPeriod(db: Executor, period: string): Promise<LogReviewView | undefined> {
  const [row] = await selectViews(db).where(eq(logReviews.period, period));
  return row ? toView(row) : undefined;
}

/** Reviews, latest period first. */
export async function listLogReviews(db: Executor, filter: { limit: number }): Promise<LogReviewView[]> {
  const rows = await selectViews(db).orderBy(desc(logReviews.periodStart)).limit(filter.limit);
  return rows.map(toView);
}

/** A page of a review's items in ledger order, after `afterId`; only the unreviewed ones if asked. */
export async function listLogReviewItems(
  db: Executor,
  filter: { reviewId: string; unreviewedOnly: boolean; afterId?: number; limit: number },
): Promise<LogReviewItemView[]> {
  const rows = await db
    .select({ item: logReviewItems, reviewedBy: people.email })
    .from(logReviewItems)
    .leftJoin(people, eq(people.id, logReviewItems.reviewedById))
    .where(
      and(
        eq(logReviewItems.reviewId, filter.reviewId),
        filter.unreviewedOnly ? isNull(logReviewItems.reviewedAt) : undefined,
        filter.afterId !== undefined ? gt(logReviewItems.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(logReviewItems.id))
    .limit(filter.limit);
  return rows.map(({ item, reviewedBy }) => ({ ...item, reviewedBy }));
}

/** Which of `itemIds` belong to the review. */
export async function itemIdsOfReview(db: Executor, reviewId: string, itemIds: number[]): Promise<number[]> {
  const rows = await db
    .select({ id: logReviewItems.id })
    .from(logReviewItems)
    .where(and(eq(logReviewItems.reviewId, reviewId), inArray(logReviewItems.id, itemIds)));
  return rows.map((row) => row.id);
}

/** Marks the listed items of the review reviewed, those not reviewed yet; returns their ids. */
export async function markLogReviewItems(
  db: Executor,
  input: {
    reviewId: string;
    itemIds: number[];
    reviewedById: string;
    note: string | null;
    actionTaken: boolean;
  },
): Promise<number[]> {
  const rows = await db
    .update(logReviewItems)
    .set({
      reviewedById: input.reviewedById,
      reviewedAt: sql`now()`,
      note: input.note,
      actionTaken: input.actionTaken,
    })
    .where(
      and(
        eq(logReviewItems.reviewId, input.reviewId),
        inArray(logReviewItems.id, input.itemIds),
        isNull(logReviewItems.reviewedAt),
      ),
    )
    .returning({ id: logReviewItems.id });
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

/**
 * Signs an open review off, in one statement that also checks that no item is left unreviewed;
 * undefined when it is signed off already or an item is still open.
 */
export async function signOffLogReview(
  db: Executor,
  input: { id: string; signedOffById: string },
): Promise<LogReview | undefined> {
  const [row] = await db
    .update(logReviews)
    .set({ status: 'signed_off', signedOffById: input.signedOffById, signedOffAt: sql`now()` })
    .where(
      and(
        eq(logReviews.id, input.id),
        eq(logReviews.status, 'open'),
        sql`not exists (select 1 from log_review_items i where i.review_id = ${input.id}::uuid and i.reviewed_at is null)`,
      ),
    )
    .returning();
  return row;
}
