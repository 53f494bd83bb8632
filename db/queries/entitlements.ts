import { and, asc, eq, ilike, or, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { type Entitlement, entitlements, type Resource, resources } from '../schema.js';
import { isUuid } from './ids.js';

/** Columns a new entitlement row needs. */
export type NewEntitlement = typeof entitlements.$inferInsert;
/** Fields an update may change; `updated_at` is set by the query. */
export type EntitlementPatch = Partial<
  Pick<
    Entitlement,
    | 'name'
    | 'description'
    | 'riskLevel'
    | 'maxDurationSeconds'
    | 'policyId'
    | 'connectorTarget'
    | 'stepUp'
    | 'status'
  >
>;
/** An entitlement with the resource it belongs to. */
export type EntitlementWithResource = { entitlement: Entitlement; resource: Resource };

/**
 * The entitlement `resourceKey/entitlementKey` with its resource. Retired ones are returned too, so
 * callers can say "retired" rather than "unknown".
 */
export async function getEntitlement(
  db: Executor,
  resourceKey: string,
  entitlementKey: string,
): Promise<EntitlementWithResource | undefined> {
  const [row] = await db
    .select({ entitlement: entitlements, resource: resources })
    .from(entitlements)
    .innerJoin(resources, eq(resources.id, entitlements.resourceId))
    .where(and(eq(resources.key, resourceKey), eq(entitlements.key, entitlementKey)));
  return row;
}

/** The entitlement with this id and its resource; undefined when `id` is not a UUID. */
export async function getEntitlementById(
  db: Executor,
  id: string,
): Promise<EntitlementWithResource | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .select({ entitlement: entitlements, resource: resources })
    .from(entitlements)
    .innerJoin(resources, eq(resources.id, entitlements.resourceId))
    .where(eq(entitlements.id, id));
  return row;
}

/** Every entitlement, retired ones included, with its resource key; ordered by resource then key. */
export async function listAllEntitlements(db: Executor): Promise<(Entitlement & { resourceKey: string })[]> {
  const rows = await db
    .select({ entitlement: entitlements, resourceKey: resources.key })
    .from(entitlements)
    .innerJoin(resources, eq(resources.id, entitlements.resourceId))
    .orderBy(asc(resources.key), asc(entitlements.key));
  return rows.map((row) => ({ ...row.entitlement, resourceKey: row.resourceKey }));
}

/** Inserts entitlements and returns the stored rows. */
export async function insertEntitlements(db: Executor, rows: NewEntitlement[]): Promise<Entitlement[]> {
  if (rows.length === 0) return [];
  return db.insert(entitlements).values(rows).returning();
}

/** Applies `patch` to one entitlement and bumps `updated_at`. */
export async function updateEntitlement(db: Executor, id: string, patch: EntitlementPatch): Promise<void> {
  await db
    .update(entitlements)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(entitlements.id, id));
}

/** Requestable entitlements whose resource or entitlement key or name contains `text`, by name. */
export async function searchEntitlements(
  db: Executor,
  text: string,
  limit: number,
): Promise<
  {
    resourceKey: string;
    resourceName: string;
    entitlementKey: string;
    entitlementName: string;
    risk: Entitlement['riskLevel'];
  }[]
> {
  const pattern = `%${text.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .select({
      resourceKey: resources.key,
      resourceName: resources.name,
      entitlementKey: entitlements.key,
      entitlementName: entitlements.name,
      risk: entitlements.riskLevel,
    })
    .from(entitlements)
    .innerJoin(resources, eq(resources.id, entitlements.resourceId))
    .where(
      and(
        eq(entitlements.status, 'active'),
        eq(resources.status, 'active'),
        or(
          ilike(resources.key, pattern),
          ilike(resources.name, pattern),
          ilike(entitlements.key, pattern),
          ilike(entitlements.name, pattern),
        ),
      ),
    )
    .orderBy(asc(resources.name), asc(entitlements.name))
    .limit(limit);
}
