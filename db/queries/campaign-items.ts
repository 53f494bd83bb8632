import { and, asc, eq, gt, inArray, isNull, lt, ne, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { PopulationEntry } from '../../campaigns/snapshot.js';
import type { CampaignCounts } from '../../domain/index.js';
import type { Executor } from '../client.js';
import {
  type CampaignItem,
  campaignItems,
  type Entitlement,
  entitlements,
  grants,
  people,
  resources,
} from '../schema.js';
import { grantedAtUtc } from './campaigns.js';

/** Rows per insert statement and per batch of the workflow's waves. */
export const ITEM_BATCH_SIZE = 5_000;

/** What the snapshot writes per grant; the first reviewer is also the original one. */
export type NewCampaignItem = Pick<
  CampaignItem,
  'grantId' | 'holderId' | 'entitlementId' | 'reviewerId' | 'assignmentReason'
>;

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

/** One reviewer's share of a campaign. */
export type ReviewerProgress = {
  reviewerId: string;
  email: string;
  name: string;
  slackUserId: string | null;
  total: number;
  decided: number;
};

/** An item as the review view shows it: who holds what, how risky, since when, from which request. */
export type ReviewItemView = Pick<
  CampaignItem,
  'id' | 'grantId' | 'holderId' | 'decision' | 'decidedAt' | 'reason' | 'delegatedFromId' | 'escalatedAt'
> & {
  holderEmail: string;
  holderName: string;
  resourceKey: string;
  resourceName: string;
  entitlementKey: string;
  entitlementName: string;
  risk: Entitlement['riskLevel'];
  grantedAt: Date;
  requestId: string | null;
};

/** An open item, as escalation and the default action need it. */
export type UndecidedItem = Pick<CampaignItem, 'id' | 'grantId' | 'holderId' | 'reviewerId'>;

/**
 * Writes items in statements of up to ITEM_BATCH_SIZE rows, one JSON parameter each. Items already
 * there (same campaign and grant) are left untouched, so a retried snapshot page changes nothing.
 * Returns how many were new.
 */
export async function insertCampaignItems(
  db: Executor,
  campaignId: string,
  rows: readonly NewCampaignItem[],
): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < rows.length; start += ITEM_BATCH_SIZE) {
    const batch = rows.slice(start, start + ITEM_BATCH_SIZE).map((row) => ({
      grant_id: row.grantId,
      holder_id: row.holderId,
      entitlement_id: row.entitlementId,
      reviewer_id: row.reviewerId,
      assignment_reason: row.assignmentReason,
    }));
    const result = await db.execute<{ id: string }>(sql`
      insert into campaign_items
        (campaign_id, grant_id, holder_id, entitlement_id, reviewer_id, original_reviewer_id, assignment_reason)
      select ${campaignId}::uuid, r.grant_id, r.holder_id, r.entitlement_id, r.reviewer_id, r.reviewer_id, r.assignment_reason
      from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb)
        as r(grant_id uuid, holder_id uuid, entitlement_id uuid, reviewer_id uuid, assignment_reason text)
      on conflict (campaign_id, grant_id) do nothing
      returning id`);
    inserted += result.length;
  }
  return inserted;
}

/** One item of a campaign. */
export async function getCampaignItem(
  db: Executor,
  campaignId: string,
  itemId: number,
): Promise<CampaignItem | undefined> {
  const [row] = await db
    .select()
    .from(campaignItems)
    .where(and(eq(campaignItems.campaignId, campaignId), eq(campaignItems.id, itemId)));
  return row;
}

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

const countWhere = (condition: SQL) => sql<number>`count(*) filter (where ${condition})`.mapWith(Number);

/** Decision and revocation counts of a campaign, in one query. */
export async function countCampaignItems(db: Executor, campaignId: string): Promise<CampaignCounts> {
  const revocation = (status: NonNullable<CampaignItem['revocationStatus']>) =>
    countWhere(sql`${campaignItems.revocationStatus} = ${status}`);
  const [row] = await db
    .select({
      total: sql<number>`count(*)`.mapWith(Number),
      decided: countWhere(sql`${campaignItems.decision} is not null`),
      kept: countWhere(sql`${campaignItems.decision} = 'keep'`),
      revoked: countWhere(sql`${campaignItems.decision} = 'revoke'`),
      revocationPending: revocation('pending'),
      revocationVerified: revocation('verified'),
      revocationUnverified: revocation('unverified'),
      revocationFailed: revocation('failed'),
      revocationNotNeeded: revocation('not_needed'),
    })
    .from(campaignItems)
    .where(eq(campaignItems.campaignId, campaignId));
  const counts = row ?? {
    total: 0,
    decided: 0,
    kept: 0,
    revoked: 0,
    revocationPending: 0,
    revocationVerified: 0,
    revocationUnverified: 0,
    revocationFailed: 0,
    revocationNotNeeded: 0,
  };
  return { ...counts, undecided: counts.total - counts.decided };
}

/** Per reviewer (or one reviewer): how many items they have and how many they decided; by email. */
export async function listReviewerProgress(
  db: Executor,
  campaignId: string,
  options: { reviewerId?: string } = {},
): Promise<ReviewerProgress[]> {
  return db
    .select({
      reviewerId: campaignItems.reviewerId,
      email: people.email,
      name: people.name,
      slackUserId: people.slackUserId,
      total: sql<number>`count(*)`.mapWith(Number),
      decided: countWhere(sql`${campaignItems.decision} is not null`),
    })
    .from(campaignItems)
    .innerJoin(people, eq(people.id, campaignItems.reviewerId))
    .where(
      and(
        eq(campaignItems.campaignId, campaignId),
        options.reviewerId ? eq(campaignItems.reviewerId, options.reviewerId) : undefined,
      ),
    )
    .groupBy(campaignItems.reviewerId, people.email, people.name, people.slackUserId)
    .orderBy(asc(people.email));
}

const decidedLast = sql`(${campaignItems.decision} is not null)`;

// Items with the names the review view shows; the callers add which items and in what order.
function reviewItems(db: Executor) {
  return db
    .select({
      id: campaignItems.id,
      grantId: campaignItems.grantId,
      holderId: campaignItems.holderId,
      decision: campaignItems.decision,
      decidedAt: campaignItems.decidedAt,
      reason: campaignItems.reason,
      delegatedFromId: campaignItems.delegatedFromId,
      escalatedAt: campaignItems.escalatedAt,
      holderEmail: people.email,
      holderName: people.name,
      resourceKey: resources.key,
      resourceName: resources.name,
      entitlementKey: entitlements.key,
      entitlementName: entitlements.name,
      risk: entitlements.riskLevel,
      grantedAt: grants.grantedAt,
      requestId: grants.requestId,
    })
    .from(campaignItems)
    .innerJoin(grants, eq(grants.id, campaignItems.grantId))
    .innerJoin(people, eq(people.id, campaignItems.holderId))
    .innerJoin(entitlements, eq(entitlements.id, campaignItems.entitlementId))
    .innerJoin(resources, eq(resources.id, entitlements.resourceId));
}

/**
 * A page of a reviewer's items with the names the review view shows, undecided first, then by id
 * (the order of `campaign_items_reviewer_idx`). With `undecidedOnly`, page by `afterId` instead of
 * `offset`: deciding a page does not shift the next one.
 */
export async function listReviewerItems(
  db: Executor,
  page: {
    campaignId: string;
    reviewerId: string;
    undecidedOnly?: boolean;
    afterId?: number;
    limit: number;
    offset?: number;
  },
): Promise<ReviewItemView[]> {
  return reviewItems(db)
    .where(
      and(
        eq(campaignItems.campaignId, page.campaignId),
        eq(campaignItems.reviewerId, page.reviewerId),
        page.undecidedOnly ? isNull(campaignItems.decision) : undefined,
        page.afterId !== undefined ? gt(campaignItems.id, page.afterId) : undefined,
      ),
    )
    .orderBy(decidedLast, asc(campaignItems.id))
    .limit(page.limit)
    .offset(page.offset ?? 0);
}

/**
 * The listed items that are still `reviewerId`'s, decided or not, in id order: a review page shown
 * again after a decision keeps its items (and shows the decision) instead of moving on.
 */
export async function listReviewerItemsByIds(
  db: Executor,
  page: { campaignId: string; reviewerId: string; itemIds: number[] },
): Promise<ReviewItemView[]> {
  if (page.itemIds.length === 0) return [];
  return reviewItems(db)
    .where(
      and(
        eq(campaignItems.campaignId, page.campaignId),
        eq(campaignItems.reviewerId, page.reviewerId),
        inArray(campaignItems.id, page.itemIds),
      ),
    )
    .orderBy(asc(campaignItems.id));
}

/**
 * A batch of undecided items in id order after `afterId`. `assignedBefore` keeps only items their
 * current reviewer has had since before that time (last escalation, else delegation, else launch);
 * `notEscalated` leaves out items that already went up once.
 */
export async function listUndecidedItems(
  db: Executor,
  batch: {
    campaignId: string;
    afterId?: number;
    limit?: number;
    assignedBefore?: Date;
    notEscalated?: boolean;
    reviewerId?: string;
  },
): Promise<UndecidedItem[]> {
  const assignedAt = sql`coalesce(${campaignItems.escalatedAt}, ${campaignItems.delegatedAt}, ${campaignItems.createdAt})`;
  return db
    .select({
      id: campaignItems.id,
      grantId: campaignItems.grantId,
      holderId: campaignItems.holderId,
      reviewerId: campaignItems.reviewerId,
    })
    .from(campaignItems)
    .where(
      and(
        eq(campaignItems.campaignId, batch.campaignId),
        isNull(campaignItems.decision),
        batch.afterId !== undefined ? gt(campaignItems.id, batch.afterId) : undefined,
        // A raw expression has no column type to map a Date with, so the bound is sent as text.
        batch.assignedBefore
          ? lt(assignedAt, sql`${batch.assignedBefore.toISOString()}::timestamptz`)
          : undefined,
        batch.notEscalated ? isNull(campaignItems.escalatedAt) : undefined,
        batch.reviewerId ? eq(campaignItems.reviewerId, batch.reviewerId) : undefined,
      ),
    )
    .orderBy(asc(campaignItems.id))
    .limit(batch.limit ?? ITEM_BATCH_SIZE);
}

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

/**
 * A page of a campaign's population as stored in its items, in the canonical form the launch
 * hashed (campaigns/snapshot.ts), after `afterGrantId`: the report recomputes the digest from it to
 * show the items are exactly the attested population.
 */
export async function listItemPopulationPage(
  db: Executor,
  campaignId: string,
  page: { afterGrantId?: string; limit?: number } = {},
): Promise<PopulationEntry[]> {
  return db
    .select({
      grantId: campaignItems.grantId,
      holderEmail: people.email,
      resourceKey: resources.key,
      entitlementKey: entitlements.key,
      grantedAt: grantedAtUtc,
    })
    .from(campaignItems)
    .innerJoin(grants, eq(grants.id, campaignItems.grantId))
    .innerJoin(people, eq(people.id, campaignItems.holderId))
    .innerJoin(entitlements, eq(entitlements.id, campaignItems.entitlementId))
    .innerJoin(resources, eq(resources.id, entitlements.resourceId))
    .where(
      and(
        eq(campaignItems.campaignId, campaignId),
        page.afterGrantId ? gt(campaignItems.grantId, page.afterGrantId) : undefined,
      ),
    )
    .orderBy(asc(campaignItems.grantId))
    .limit(page.limit ?? ITEM_BATCH_SIZE);
}
