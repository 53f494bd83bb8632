// What happens at the due date, in bounded batches: the default action on undecided items, then
// the revocation of every revoked item and the outcome read back from its grant.
import { and, asc, eq, gt, isNull, type SQLWrapper, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { type CampaignItem, campaignItems } from '../schema.js';
import { ITEM_BATCH_SIZE } from './campaign-items.js';

/**
 * `id = any(array(<batch>))`: the batch is computed once, then its rows are fetched by primary key.
 * `id in (<batch>)` lets the planner pick a nested loop that rescans the batch per row, which it
 * does right after a snapshot, before statistics know the table holds 100,000 new rows (measured:
 * over two minutes for one batch of 5,000, against milliseconds with this form).
 */
const inBatch = (batch: SQLWrapper) => sql`${campaignItems.id} = any(array(${batch}))`;

/**
 * Applies the campaign's default action to the next `limit` undecided items, in id order, in one
 * statement; returns the ids decided (ids only: at 100,000 items whole rows cost real time). Call
 * until it returns none. An item a reviewer decides
 * meanwhile is skipped, because the UPDATE re-checks `decision is null`.
 */
export async function applyDefaultDecision(
  db: Executor,
  batch: {
    campaignId: string;
    decision: NonNullable<CampaignItem['decision']>;
    reason: string;
    limit?: number;
  },
): Promise<Pick<CampaignItem, 'id'>[]> {
  const next = db
    .select({ id: campaignItems.id })
    .from(campaignItems)
    .where(and(eq(campaignItems.campaignId, batch.campaignId), isNull(campaignItems.decision)))
    .orderBy(asc(campaignItems.id))
    .limit(batch.limit ?? ITEM_BATCH_SIZE);
  return db
    .update(campaignItems)
    .set({
      decision: batch.decision,
      decisionSource: 'default_action',
      decidedById: null,
      decidedAt: sql`now()`,
      reason: batch.reason,
    })
    .where(and(eq(campaignItems.campaignId, batch.campaignId), inBatch(next), isNull(campaignItems.decision)))
    .returning({ id: campaignItems.id });
}

/**
 * Marks the next `limit` revoked items whose removal has not started as `pending` and returns them;
 * from then on their decision is final. Call until it returns none, then page the pending ones.
 */
export async function queueRevocations(
  db: Executor,
  batch: { campaignId: string; limit?: number },
): Promise<Pick<CampaignItem, 'id' | 'grantId'>[]> {
  const next = db
    .select({ id: campaignItems.id })
    .from(campaignItems)
    .where(
      and(
        eq(campaignItems.campaignId, batch.campaignId),
        eq(campaignItems.decision, 'revoke'),
        isNull(campaignItems.revocationStatus),
      ),
    )
    .orderBy(asc(campaignItems.id))
    .limit(batch.limit ?? ITEM_BATCH_SIZE);
  const rows = await db
    .update(campaignItems)
    .set({ revocationStatus: 'pending' })
    .where(
      and(
        eq(campaignItems.campaignId, batch.campaignId),
        inBatch(next),
        isNull(campaignItems.revocationStatus),
      ),
    )
    .returning({ id: campaignItems.id, grantId: campaignItems.grantId });
  return rows.sort((a, b) => a.id - b.id);
}

/** A batch of items whose revocation is pending, in id order after `afterId`. */
export async function listPendingRevocations(
  db: Executor,
  batch: { campaignId: string; afterId?: number; limit?: number },
): Promise<Pick<CampaignItem, 'id' | 'grantId'>[]> {
  return db
    .select({ id: campaignItems.id, grantId: campaignItems.grantId })
    .from(campaignItems)
    .where(
      and(
        eq(campaignItems.campaignId, batch.campaignId),
        eq(campaignItems.revocationStatus, 'pending'),
        batch.afterId !== undefined ? gt(campaignItems.id, batch.afterId) : undefined,
      ),
    )
    .orderBy(asc(campaignItems.id))
    .limit(batch.limit ?? ITEM_BATCH_SIZE);
}

/**
 * Records how a pending revocation ended. Only a pending one changes, so a retried activity
 * reporting the same outcome is a no-op (false).
 */
export async function recordRevocationOutcome(
  db: Executor,
  outcome: {
    campaignId: string;
    grantId: string;
    status: 'verified' | 'unverified' | 'failed' | 'not_needed';
    error?: string;
  },
): Promise<boolean> {
  const removed = outcome.status === 'verified' || outcome.status === 'unverified';
  const rows = await db
    .update(campaignItems)
    .set({
      revocationStatus: outcome.status,
      revokedAt: removed ? sql`now()` : null,
      revocationError: outcome.error ?? null,
    })
    .where(
      and(
        eq(campaignItems.campaignId, outcome.campaignId),
        eq(campaignItems.grantId, outcome.grantId),
        eq(campaignItems.revocationStatus, 'pending'),
      ),
    )
    .returning({ id: campaignItems.id });
  return rows.length === 1;
}
