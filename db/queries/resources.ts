import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { type Entitlement, entitlements, people, type Resource, resources } from '../schema.js';
import { isUuid } from './ids.js';

/** Columns a new resource row needs. */
export type NewResource = typeof resources.$inferInsert;
/** Fields an update may change; `updated_at` is set by the query. */
export type ResourcePatch = Partial<
  Pick<
    Resource,
    | 'name'
    | 'description'
    | 'ownerId'
    | 'connectorKind'
    | 'connectorConfig'
    | 'status'
    | 'onOrphan'
    | 'onMissing'
    | 'onMove'
  >
>;
/** A resource as the catalog shows it: its owner's email and its entitlements. */
export type ResourceWithEntitlements = Resource & { ownerEmail: string; entitlements: Entitlement[] };

/**
 * The catalog ordered by resource key, each resource with its entitlements ordered by key. Retired
 * resources and entitlements are left out unless `includeRetired`. With `limit`, one page of
 * resources after `afterKey` (the last key shown).
 */
export async function listResources(
  db: Executor,
  options: { includeRetired?: boolean; afterKey?: string; limit?: number } = {},
): Promise<ResourceWithEntitlements[]> {
  const query = db
    .select({ resource: resources, ownerEmail: people.email })
    .from(resources)
    .innerJoin(people, eq(people.id, resources.ownerId))
    .where(
      and(
        options.includeRetired ? undefined : eq(resources.status, 'active'),
        options.afterKey !== undefined ? gt(resources.key, options.afterKey) : undefined,
      ),
    )
    .orderBy(asc(resources.key))
    .$dynamic();
  const rows = options.limit === undefined ? await query : await query.limit(options.limit);
  if (rows.length === 0) return [];
  const children = await db
    .select()
    .from(entitlements)
    .where(
      and(
        inArray(
          entitlements.resourceId,
          rows.map((row) => row.resource.id),
        ),
        options.includeRetired ? undefined : eq(entitlements.status, 'active'),
      ),
    )
    .orderBy(asc(entitlements.key));
  return rows.map((row) => ({
    ...row.resource,
    ownerEmail: row.ownerEmail,
    entitlements: children.filter((child) => child.resourceId === row.resource.id),
  }));
}

/** Every resource, retired ones included, ordered by key. */
export async function listAllResources(db: Executor): Promise<Resource[]> {
  return db.select().from(resources).orderBy(asc(resources.key));
}

/** The resource with this key (retired or not). */
/** The resource with this id, or undefined. */
export async function getResourceById(db: Executor, id: string): Promise<Resource | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db.select().from(resources).where(eq(resources.id, id));
  return row;
}

export async function getResourceByKey(db: Executor, key: string): Promise<Resource | undefined> {
  const [row] = await db.select().from(resources).where(eq(resources.key, key));
  return row;
}

/** Inserts one resource and returns it. */
export async function insertResource(db: Executor, row: NewResource): Promise<Resource> {
  const [resource] = await db.insert(resources).values(row).returning();
  return resource as Resource;
}

/** Applies `patch` to one resource and bumps `updated_at`. */
export async function updateResource(db: Executor, id: string, patch: ResourcePatch): Promise<void> {
  await db
    .update(resources)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(resources.id, id));
}
