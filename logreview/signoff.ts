// Signing a log review off: by a member of its reviewer group or an admin, once every item is
// reviewed. The check and the sign-off are one statement, so an item cannot slip through unreviewed.
import { recordAudit } from '../audit/intake.js';
import { ConflictError } from '../core/errors.js';
import type { Database } from '../db/client.js';
import { type LogReviewView, signOffLogReview } from '../db/queries/log-reviews.js';
import { auditActorOf, type LogReviewActor, requireLogReviewAccess } from './access.js';
import { foundLogReview } from './review.js';

/** Signs `reviewId` off; 409 while an item is unreviewed or when it is signed off already. */
export async function signOffReview(
  deps: { db: Database },
  input: { reviewId: string },
  actor: LogReviewActor,
): Promise<LogReviewView> {
  const review = await foundLogReview(deps.db, input.reviewId);
  await requireLogReviewAccess(deps.db, actor, {
    action: 'sign_off',
    target: review.id,
    roles: ['admin'],
    group: review.reviewerGroup,
  });
  if (review.status === 'signed_off') {
    throw new ConflictError(
      `The ${review.period} log review was signed off by ${review.signedOffBy ?? 'someone'} at ${review.signedOffAt?.toISOString()}.`,
    );
  }
  return deps.db.transaction(async (tx) => {
    const signed = await signOffLogReview(tx, { id: review.id, signedOffById: actor.personId });
    if (!signed) {
      const now = await foundLogReview(tx, review.id);
      const open = now.items - now.reviewed;
      throw new ConflictError(
        open > 0
          ? `${open} of the ${now.items} events of the ${now.period} log review are not reviewed yet; mark them reviewed before signing off.`
          : `The ${now.period} log review was signed off meanwhile by ${now.signedOffBy ?? 'someone'}.`,
        { unreviewed: open },
      );
    }
    const closed = await foundLogReview(tx, review.id);
    await recordAudit(
      tx,
      {
        event_type: 'audit.log_review.signed_off',
        actor: auditActorOf(actor),
        target: { type: 'log_review', id: review.id, name: `${review.period} log review` },
        action: 'sign_off',
        result: 'success',
        details: { period: review.period, items: closed.items, action_taken: closed.actionTaken },
      },
      { idempotencyKey: `log-review:${review.id}:signed_off`, source: actor.source ?? {} },
    );
    return closed;
  });
}
