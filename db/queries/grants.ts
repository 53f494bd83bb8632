import { and, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../client.js';
import {
  type Entitlement,
  entitlements,
  type Grant,
  grants,
  people,
  type Resource,
  resources,
} from '../schema.js';
import { accessNames, entitlementRef, joinAccessNames } from './access-names.js';
import { isUuid } from './ids.js';
import { beforeTimeAndId, exactTime } from './keyset.js';

/** Columns a new grant row needs. */
export type NewGrant = typeof grants.$inferInsert;
/** What a lifetime transition may change. */
export type GrantPatch = Partial<
  Pick<
    Grant,
    'status' | 'expiresAt' | 'endedAt' | 'endedById' | 'endReason' | 'provisionVerified' | 'removalVerified'
  >
>;

/** A grant with the names a reader needs. */
export type GrantView = Grant & {
  holderEmail: string;
  holderName: string;
  resourceKey: string;
  resourceName: string;
  entitlementKey: string;
  entitlementName: string;
  risk: Entitlement['riskLevel'];
  /** `granted_at` to the microsecond: the sort key a paging cursor carries. */
  grantedAtExact: string;
};

/** Records a grant once: a retried activity finds it there and changes nothing. */
export async function insertGrant(db: Executor, row: NewGrant): Promise<void> {
  await db.insert(grants).values(row).onConflictDoNothing();
}

/** Applies a lifetime transition. */
export async function updateGrant(db: Executor, id: string, patch: GrantPatch): Promise<void> {
  await db
    .update(grants)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(grants.id, id));
}

// The names a GrantView adds to the row; joined by selectViews.
const viewColumns = { grant: grants, ...accessNames, grantedAtExact: exactTime(grants.grantedAt) };
const grantNamesOn = { holder: grants.personId, entitlement: grants.entitlementId };

function selectViews(db: Executor) {
  return joinAccessNames(db.select(viewColumns).from(grants).$dynamic(), grantNamesOn);
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof selectViews>['execute']>>[number];
const toView = ({ grant, ...names }: ViewRow): GrantView => ({ ...grant, ...names });

/** One grant with names, or undefined. */
export async function getGrant(db: Executor, id: string): Promise<GrantView | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await selectViews(db).where(eq(grants.id, id));
  return row ? toView(row) : undefined;
}

/**
 * Grants newest first (ties by id), optionally of one person and in some statuses; `after` pages
 * by the last row shown (its exact `granted_at` and id).
 */
export async function listGrants(
  db: Executor,
  filter: {
    personId?: string;
    status?: Grant['status'][];
    after?: { at: string; id: string };
    limit: number;
  },
): Promise<GrantView[]> {
  const conditions: SQL[] = [];
  if (filter.personId) conditions.push(eq(grants.personId, filter.personId));
  if (filter.status?.length) conditions.push(inArray(grants.status, filter.status));
  if (filter.after) conditions.push(beforeTimeAndId(grants.grantedAt, grants.id, filter.after));
  const rows = await selectViews(db)
    .where(and(...conditions))
    .orderBy(desc(grants.grantedAt), desc(grants.id))
    .limit(filter.limit);
  return rows.map(toView);
}

/** `resource/entitlement` keys the person holds now, for separation-of-duties checks. */
export async function listHeldEntitlements(db: Executor, personId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ key: entitlementRef })
    .from(grants)
    .innerJoin(entitlements, eq(entitlements.id, grants.entitlementId))
    .innerJoin(resources, eq(resources.id, entitlements.resourceId))
    .where(and(eq(grants.personId, personId), eq(grants.status, 'active')));
  return rows.map((row) => row.key);
}

/** An active grant by its holder and `resource/entitlement`, for comparing with a file's `access`. */
export type HeldAccess = {
  grantId: string;
  holderId: string;
  holderEmail: string;
  entitlementRef: string;
  source: Grant['source'];
};

/** Every active grant as holder + `resource/entitlement`. */
export async function listActiveHoldings(db: Executor): Promise<HeldAccess[]> {
  const query = db
    .select({
      grantId: grants.id,
      holderId: grants.personId,
      holderEmail: people.email,
      entitlementRef,
      source: grants.source,
    })
    .from(grants)
    .$dynamic();
  return joinAccessNames(query, grantNamesOn).where(eq(grants.status, 'active'));
}

/** An active grant not yet run by a lifetime workflow, with what starting one needs. */
export type GrantAwaitingLifetime = GrantView & {
  holderId: string;
  ownerEmail: string;
  connectorKind: Resource['connectorKind'];
  maxDurationSeconds: number;
};

/** Active grants whose lifetime workflow has not been started yet (imported ones), in id order. */
export async function listGrantsAwaitingLifetime(
  db: Executor,
  limit: number,
): Promise<GrantAwaitingLifetime[]> {
  const owners = alias(people, 'owner');
  const query = db
    .select({
      ...viewColumns,
      holderId: people.id,
      maxDurationSeconds: entitlements.maxDurationSeconds,
      ownerEmail: owners.email,
      connectorKind: resources.connectorKind,
    })
    .from(grants)
    .$dynamic();
  const rows = await joinAccessNames(query, grantNamesOn)
    .innerJoin(owners, eq(owners.id, resources.ownerId))
    .where(and(isNull(grants.lifetimeStartedAt), eq(grants.status, 'active')))
    .orderBy(grants.id)
    .limit(limit);
  return rows.map(({ grant, ...rest }) => ({ ...grant, ...rest }));
}

/** Marks a grant as run by its lifetime workflow. */
export async function markLifetimeStarted(db: Executor, id: string): Promise<void> {
  await db.update(grants).set({ lifetimeStartedAt: sql`now()` }).where(eq(grants.id, id));
}

/** Active grants of one resource, for making a demo target hold what grantflow says people hold. */
export async function listActiveGrantsOfResource(db: Executor, resourceKey: string): Promise<GrantView[]> {
  const rows = await selectViews(db).where(and(eq(resources.key, resourceKey), eq(grants.status, 'active')));
  return rows.map(toView);
}
