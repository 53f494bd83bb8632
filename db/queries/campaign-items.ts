import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, ne, type SQL, sql } from 'drizzle-orm';
import type { CampaignCounts, PopulationEntry } from '../../domain/index.js';
import type { Executor } from '../client.js';
import {
  type Campaign,
  type CampaignItem,
  campaignItems,
  campaigns,
  type Entitlement,
  entitlements,
  grants,
  people,
  resources,
} from '../schema.js';
import { accessNames, joinAccessNames } from './access-names.js';
import { grantedAtUtc } from './campaigns.js';

/** Rows per insert statement and per batch of the workflow's waves. */
export const ITEM_BATCH_SIZE = 5_000;

/** What the snapshot writes per grant; the first reviewer is also the original one. */
export type NewCampaignItem = Pick<
  CampaignItem,
  'grantId' | 'holderId' | 'entitlementId' | 'reviewerId' | 'assignmentReason'
>;

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
const itemNamesOn = { holder: campaignItems.holderId, entitlement: campaignItems.entitlementId };

const reviewColumns = {
  id: campaignItems.id,
  grantId: campaignItems.grantId,
  holderId: campaignItems.holderId,
  decision: campaignItems.decision,
  decidedAt: campaignItems.decidedAt,
  reason: campaignItems.reason,
  delegatedFromId: campaignItems.delegatedFromId,
  escalatedAt: campaignItems.escalatedAt,
  ...accessNames,
  grantedAt: grants.grantedAt,
  requestId: grants.requestId,
};

function reviewItems(db: Executor) {
  const query = db
    .select(reviewColumns)
    .from(campaignItems)
    .innerJoin(grants, eq(grants.id, campaignItems.grantId))
    .$dynamic();
  return joinAccessNames(query, itemNamesOn);
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
    /** Keyset paging: after the last item shown, in this order (undecided first, then id). */
    after?: { decided: boolean; id: number };
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
        page.after
          ? sql`(${decidedLast}, ${campaignItems.id}) > (${page.after.decided}, ${page.after.id})`
          : undefined,
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
 * A page of a campaign's population as stored in its items, in the canonical form the launch
 * hashed (campaigns/snapshot.ts), after `afterGrantId`: the report recomputes the digest from it to
 * show the items are exactly the attested population.
 */
export async function listItemPopulationPage(
  db: Executor,
  campaignId: string,
  page: { afterGrantId?: string; limit?: number } = {},
): Promise<PopulationEntry[]> {
  const query = db
    .select({
      grantId: campaignItems.grantId,
      holderEmail: people.email,
      resourceKey: resources.key,
      entitlementKey: entitlements.key,
      grantedAt: grantedAtUtc,
    })
    .from(campaignItems)
    .innerJoin(grants, eq(grants.id, campaignItems.grantId))
    .$dynamic();
  return joinAccessNames(query, itemNamesOn)
    .where(
      and(
        eq(campaignItems.campaignId, campaignId),
        page.afterGrantId ? gt(campaignItems.grantId, page.afterGrantId) : undefined,
      ),
    )
    .orderBy(asc(campaignItems.grantId))
    .limit(page.limit ?? ITEM_BATCH_SIZE);
}

/** A reviewer's undecided items (a leaver's to hand on), each with the owner of its resource. */
export async function listOpenItemsWithOwnersOf(
  db: Executor,
  reviewerId: string,
): Promise<{ campaignId: string; itemId: number; ownerId: string }[]> {
  return db
    .select({ campaignId: campaignItems.campaignId, itemId: campaignItems.id, ownerId: resources.ownerId })
    .from(campaignItems)
    .innerJoin(entitlements, eq(entitlements.id, campaignItems.entitlementId))
    .innerJoin(resources, eq(resources.id, entitlements.resourceId))
    .where(and(eq(campaignItems.reviewerId, reviewerId), isNull(campaignItems.decision)))
    .orderBy(campaignItems.id);
}

/** One item of a reviewer's inbox across campaigns: the review view's names plus its campaign. */
export type InboxItemView = ReviewItemView & {
  campaignId: string;
  campaignName: string;
  campaignStatus: Campaign['status'];
  campaignDueAt: Date;
};

/**
 * A page of `reviewerId`'s items across campaigns: `open` (undecided, in campaigns not closed,
 * oldest first) or `decided` (newest first), after the id of the last item shown. The campaign
 * filter comes first so PostgreSQL walks `campaign_items_reviewer_idx` once per campaign.
 */
export async function listInboxItems(
  db: Executor,
  page: { reviewerId: string; state: 'open' | 'decided'; afterId?: number; limit: number },
): Promise<InboxItemView[]> {
  const open = page.state === 'open';
  const query = db
    .select({
      ...reviewColumns,
      campaignId: campaigns.id,
      campaignName: campaigns.name,
      campaignStatus: campaigns.status,
      campaignDueAt: campaigns.dueAt,
    })
    .from(campaignItems)
    .innerJoin(grants, eq(grants.id, campaignItems.grantId))
    .innerJoin(campaigns, eq(campaigns.id, campaignItems.campaignId))
    .$dynamic();
  return joinAccessNames(query, itemNamesOn)
    .where(
      and(
        eq(campaignItems.reviewerId, page.reviewerId),
        open ? isNull(campaignItems.decision) : isNotNull(campaignItems.decision),
        open ? ne(campaigns.status, 'closed') : undefined,
        page.afterId === undefined
          ? undefined
          : open
            ? gt(campaignItems.id, page.afterId)
            : lt(campaignItems.id, page.afterId),
      ),
    )
    .orderBy(open ? asc(campaignItems.id) : desc(campaignItems.id))
    .limit(page.limit);
}

/** Per campaign not yet closed: how many items `reviewerId` has there and how many are decided. */
export async function listInboxProgress(
  db: Executor,
  reviewerId: string,
): Promise<
  {
    campaignId: string;
    name: string;
    status: Campaign['status'];
    dueAt: Date;
    total: number;
    decided: number;
  }[]
> {
  return db
    .select({
      campaignId: campaigns.id,
      name: campaigns.name,
      status: campaigns.status,
      dueAt: campaigns.dueAt,
      total: sql<number>`count(*)`.mapWith(Number),
      decided: countWhere(sql`${campaignItems.decision} is not null`),
    })
    .from(campaignItems)
    .innerJoin(campaigns, eq(campaigns.id, campaignItems.campaignId))
    .where(and(eq(campaignItems.reviewerId, reviewerId), ne(campaigns.status, 'closed')))
    .groupBy(campaigns.id)
    .orderBy(asc(campaigns.dueAt));
}
