// Reviewers' verdicts and where items go: decisions one by one or in bulk, delegation and
// escalation to another reviewer. Each statement re-checks the item's state, so a race is refused.
import { and, count, eq, gte, inArray, isNull, ne, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { type CampaignItem, campaignItems } from '../schema.js';

/** A verdict to record on some items. */
export type ItemDecisionInput = {
  campaignId: string;
  itemIds: number[];
  decision: NonNullable<CampaignItem['decision']>;
  source: NonNullable<CampaignItem['decisionSource']>;
  /** Who decided; null for the campaign's default action. */
  decidedById: string | null;
  reason?: string | null;
  /** When given, only items this person is the reviewer of now (a delegated-away item is refused). */
  reviewerId?: string;
  /** The campaign lets reviewers change a decision until revocation starts. */
  allowChanges?: boolean;
};

/**
 * Records a verdict on each listed item that may still take one: undecided, or (when the campaign
 * allows changes) decided but not yet being revoked. The guard is in the UPDATE, so two clicks
 * racing each other cannot both apply. Returns the items it applied to; a refused item is absent.
 */
export async function recordDecisions(db: Executor, input: ItemDecisionInput): Promise<CampaignItem[]> {
  if (input.itemIds.length === 0) return [];
  // Once revocation has started the verdict is being enforced, so even a changeable one is final.
  const open = input.allowChanges ? isNull(campaignItems.revocationStatus) : isNull(campaignItems.decision);
  return db
    .update(campaignItems)
    .set({
      decision: input.decision,
      decisionSource: input.source,
      decidedById: input.decidedById,
      decidedAt: sql`now()`,
      reason: input.reason ?? null,
    })
    .where(
      and(
        eq(campaignItems.campaignId, input.campaignId),
        inArray(campaignItems.id, input.itemIds),
        input.reviewerId ? eq(campaignItems.reviewerId, input.reviewerId) : undefined,
        open,
      ),
    )
    .returning();
}

/** Records a verdict on one item; undefined when it was refused (already decided, not the reviewer). */
export async function recordDecision(
  db: Executor,
  input: Omit<ItemDecisionInput, 'itemIds'> & { itemId: number },
): Promise<CampaignItem | undefined> {
  const { itemId, ...rest } = input;
  const [row] = await recordDecisions(db, { ...rest, itemIds: [itemId] });
  return row;
}

/**
 * Hands undecided items from one reviewer to another: the listed ones, or all of `fromReviewerId`'s
 * when `itemIds` is absent. Items the delegate holds stay put (nobody reviews their own access).
 * Returns the ids moved.
 */
export async function delegateItems(
  db: Executor,
  move: { campaignId: string; fromReviewerId: string; toReviewerId: string; itemIds?: number[] },
): Promise<number[]> {
  return moveItems(db, move, {
    delegatedFromId: move.fromReviewerId,
    delegatedAt: sql`now()`,
  });
}

/** How many items were delegated away from `reviewerId` since `since` (a leaver's, across retries). */
export async function countItemsDelegatedFrom(
  db: Executor,
  reviewerId: string,
  since: Date,
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(campaignItems)
    .where(and(eq(campaignItems.delegatedFromId, reviewerId), gte(campaignItems.delegatedAt, since)));
  return row?.n ?? 0;
}

/**
 * Sends an overdue reviewer's undecided items up to `toReviewerId` (their manager, as the workflow
 * picks), skipping items the new reviewer holds. Returns the ids moved.
 */
export async function escalateItems(
  db: Executor,
  move: { campaignId: string; fromReviewerId: string; toReviewerId: string; itemIds?: number[] },
): Promise<number[]> {
  return moveItems(db, move, { escalatedAt: sql`now()` });
}

async function moveItems(
  db: Executor,
  move: { campaignId: string; fromReviewerId: string; toReviewerId: string; itemIds?: number[] },
  stamp: { delegatedFromId?: string; delegatedAt?: SQL; escalatedAt?: SQL },
): Promise<number[]> {
  if (move.itemIds?.length === 0 || move.fromReviewerId === move.toReviewerId) return [];
  const rows = await db
    .update(campaignItems)
    .set({ reviewerId: move.toReviewerId, ...stamp })
    .where(
      and(
        eq(campaignItems.campaignId, move.campaignId),
        eq(campaignItems.reviewerId, move.fromReviewerId),
        isNull(campaignItems.decision),
        ne(campaignItems.holderId, move.toReviewerId),
        move.itemIds ? inArray(campaignItems.id, move.itemIds) : undefined,
      ),
    )
    .returning({ id: campaignItems.id });
  return rows.map((row) => row.id).sort((a, b) => a - b);
}
