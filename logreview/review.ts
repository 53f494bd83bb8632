// Working through a log review: list the reviews and a review's items (auditors, admins and the
// reviewer group), and mark items reviewed (admins and the reviewer group), with a note that is
// required when action was taken. Marking is final, and each call is one ledger entry listing the
// items it marked.
import { recordAudit } from '../audit/intake.js';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import type { Database, Executor } from '../db/client.js';
import {
  getLogReview,
  itemIdsOfReview,
  type LogReviewItemView,
  type LogReviewView,
  listLogReviewItems,
  listLogReviews,
  markLogReviewItems,
} from '../db/queries/log-reviews.js';
import { auditActorOf, type LogReviewActor, requireLogReviewAccess } from './access.js';

/** The most items one call may mark (one page of the CLI's `--all`). */
export const MAX_ITEMS_PER_MARK = 500;

/** How a call to mark items went: those it marked, and those someone had marked already. */
export type ItemsMarked = { reviewed: number[]; alreadyReviewed: number[] };

/** A review by id; 404 when there is none. */
export async function foundLogReview(db: Executor, reviewId: string): Promise<LogReviewView> {
  const review = await getLogReview(db, reviewId);
  if (!review) throw new NotFoundError('log review', reviewId);
  return review;
}

/** Reviews, latest period first (auditors, admins, the reviewer group). */
export async function findLogReviews(
  deps: { db: Database; reviewerGroup: string },
  filter: { limit: number },
  actor: LogReviewActor,
): Promise<LogReviewView[]> {
  await requireLogReviewAccess(deps.db, actor, {
    action: 'list',
    target: 'list',
    roles: ['admin', 'auditor'],
    group: deps.reviewerGroup,
  });
  return listLogReviews(deps.db, filter);
}

/** A page of a review's items in ledger order (auditors, admins, the review's group). */
export async function logReviewItems(
  deps: { db: Database },
  input: { reviewId: string; unreviewedOnly: boolean; afterId?: number; limit: number },
  actor: LogReviewActor,
): Promise<{ review: LogReviewView; items: LogReviewItemView[] }> {
  const review = await foundLogReview(deps.db, input.reviewId);
  await requireLogReviewAccess(deps.db, actor, {
    action: 'read',
    target: review.id,
    roles: ['admin', 'auditor'],
    group: review.reviewerGroup,
  });
  return { review, items: await listLogReviewItems(deps.db, input) };
}

function markInput(input: { itemIds: number[]; note?: string; actionTaken?: boolean }) {
  const itemIds = [...new Set(input.itemIds)];
  if (itemIds.length === 0 || itemIds.length > MAX_ITEMS_PER_MARK) {
    throw new ValidationError(`items must list 1 to ${MAX_ITEMS_PER_MARK} item ids`, {
      fields: [{ field: 'body.items', message: `must list 1 to ${MAX_ITEMS_PER_MARK} item ids` }],
    });
  }
  const note = input.note?.trim() || null;
  const actionTaken = input.actionTaken ?? false;
  if (actionTaken && !note) {
    throw new ValidationError('Say what was done: a note is required when action was taken.', {
      fields: [{ field: 'body.note', message: 'is required when actionTaken is true' }],
    });
  }
  return { itemIds, note, actionTaken };
}

/**
 * Marks items of an open review reviewed (admins, the review's group). An id not in the review
 * refuses the whole call; items someone marked already are left as they were and listed.
 */
export async function markItemsReviewed(
  deps: { db: Database },
  input: { reviewId: string; itemIds: number[]; note?: string; actionTaken?: boolean },
  actor: LogReviewActor,
): Promise<ItemsMarked> {
  const review = await foundLogReview(deps.db, input.reviewId);
  await requireLogReviewAccess(deps.db, actor, {
    action: 'review',
    target: review.id,
    roles: ['admin'],
    group: review.reviewerGroup,
  });
  const { itemIds, note, actionTaken } = markInput(input);
  if (review.status !== 'open') {
    throw new ConflictError(`The ${review.period} log review is signed off: its items can no longer change.`);
  }
  const known = new Set(await itemIdsOfReview(deps.db, review.id, itemIds));
  const unknown = itemIds.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new ValidationError(`Not items of the ${review.period} log review: ${unknown.join(', ')}.`, {
      fields: [{ field: 'body.items', message: `${unknown.join(', ')} are not in this review` }],
      unknown,
    });
  }
  return deps.db.transaction(async (tx) => {
    const reviewed = await markLogReviewItems(tx, {
      reviewId: review.id,
      itemIds,
      reviewedById: actor.personId,
      note,
      actionTaken,
    });
    const marked = new Set(reviewed);
    const alreadyReviewed = itemIds.filter((id) => !marked.has(id)).sort((a, b) => a - b);
    if (reviewed.length > 0) {
      await recordAudit(
        tx,
        {
          event_type: 'audit.log_review.item_reviewed',
          actor: auditActorOf(actor),
          target: { type: 'log_review', id: review.id, name: `${review.period} log review` },
          action: 'review',
          result: 'success',
          details: { items: reviewed, action_taken: actionTaken, ...(note ? { note } : {}) },
        },
        { source: actor.source ?? {} },
      );
    }
    return { reviewed, alreadyReviewed };
  });
}
