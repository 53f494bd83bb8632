// Opening a month's log review: once per period (a retried or caught-up scheduled run, or an admin
// asking again, gets the first), its items copied from the ledger in the same transaction as the
// review and the ledger entry that records it. Opened for a month still under way, the review holds
// the events recorded up to then; the monthly schedule opens the month just ended.
import { recordAudit } from '../audit/intake.js';
import { ValidationError } from '../core/errors.js';
import type { Database } from '../db/client.js';
import {
  getLogReviewByPeriod,
  insertLogReview,
  type LogReviewView,
  snapshotLogReviewItems,
} from '../db/queries/log-reviews.js';
import { parsePeriod } from '../evidence/period.js';
import { ADMIN_EVENT_TYPES } from '../evidence/populations.js';
import { auditActorOf, type LogReviewActor, requireLogReviewAccess } from './access.js';

/** What opening needs: who reviews, and how many days after the month the review is due. */
export type OpenLogReviewDeps = { db: Database; reviewerGroup: string; dueDays: number };

/** A review, and whether this call opened it. */
export type OpenLogReviewResult = { review: LogReviewView; created: boolean };

/**
 * Beyond refusals (which the snapshot query selects by result and type), the events a reviewer
 * must see: administrators' actions, and the alerts grantflow raises about itself.
 */
const REVIEWED_EVENT_TYPES = [
  ...ADMIN_EVENT_TYPES,
  'identity.leaver.sla_breached',
  'notification.delivery.degraded',
  'audit.verify.performed',
];

const DAY_MS = 86_400_000;

/** The month before the one `at` falls in (UTC), as a period label: `2026-11` for any day of December. */
export function previousMonth(at: Date): string {
  const month = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - 1, 1));
  return month.toISOString().slice(0, 7);
}

function monthOf(label: string, now: Date) {
  const period = parsePeriod(label);
  if (period.label.includes('Q')) {
    throw new ValidationError(
      `A log review covers one month (like 2026-11), not the quarter ${period.label}.`,
      {
        fields: [{ field: 'period', message: 'must be a month like 2026-11' }],
      },
    );
  }
  if (new Date(period.start) > now) {
    throw new ValidationError(`${period.label} has not started yet: there is nothing to review.`, {
      fields: [{ field: 'period', message: 'must not be in the future' }],
    });
  }
  return { label: period.label, start: new Date(period.start), end: new Date(period.end) };
}

/**
 * Opens the review of `period` (by default the month just ended) as an admin or the schedule, or
 * answers the one opened before.
 */
export async function openLogReview(
  deps: OpenLogReviewDeps,
  input: { period?: string },
  actor: LogReviewActor | 'schedule',
): Promise<OpenLogReviewResult> {
  const now = new Date();
  const period = input.period ?? previousMonth(now);
  if (actor !== 'schedule') {
    await requireLogReviewAccess(deps.db, actor, { action: 'open', target: period, roles: ['admin'] });
  }
  const month = monthOf(period, now);
  return deps.db.transaction(async (tx) => {
    const inserted = await insertLogReview(tx, {
      period: month.label,
      periodStart: month.start,
      periodEnd: month.end,
      reviewerGroup: deps.reviewerGroup,
      dueAt: new Date(month.end.getTime() + deps.dueDays * DAY_MS),
    });
    if (!inserted) {
      const existing = await getLogReviewByPeriod(tx, month.label);
      if (!existing) throw new Error(`the ${month.label} log review vanished`);
      return { review: existing, created: false };
    }
    const snapshot = await snapshotLogReviewItems(tx, inserted, REVIEWED_EVENT_TYPES);
    await recordAudit(
      tx,
      {
        event_type: 'audit.log_review.opened',
        actor: auditActorOf(actor),
        target: { type: 'log_review', id: inserted.id, name: `${month.label} log review` },
        action: 'open',
        result: 'success',
        details: {
          period: month.label,
          period_start: month.start.toISOString(),
          period_end: month.end.toISOString(),
          reviewer_group: inserted.reviewerGroup,
          due_at: inserted.dueAt.toISOString(),
          items: snapshot.items,
          through_seq: snapshot.throughSeq,
        },
      },
      {
        idempotencyKey: `log-review:${month.label}:opened`,
        source: actor === 'schedule' ? { service: 'grantflow-worker' } : (actor.source ?? {}),
      },
    );
    const review = await getLogReviewByPeriod(tx, month.label);
    if (!review) throw new Error(`the ${month.label} log review vanished`);
    return { review, created: true };
  });
}
