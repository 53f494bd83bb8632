import { and, asc, desc, eq, gt, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { PopulationEntry } from '../../domain/index.js';
import type { Executor } from '../client.js';
import {
  type Campaign,
  type CampaignScope,
  campaigns,
  entitlements,
  grants,
  people,
  resources,
} from '../schema.js';
import { entitlementRef, joinAccessNames } from './access-names.js';
import { isUuid } from './ids.js';

/** Columns a new campaign row needs. */
export type NewCampaign = typeof campaigns.$inferInsert;
/** What the workflow and sign-off may change on a campaign. */
export type CampaignPatch = Partial<
  Pick<Campaign, 'status' | 'workflowId' | 'signedOffById' | 'signedOffAt' | 'closedAt'>
>;

/** Grants per population page: small enough for one activity's memory, large enough to be quick. */
export const POPULATION_PAGE_SIZE = 5_000;

/** One grant of a campaign's population: the hashed fields plus what reviewer assignment needs. */
export type PopulationGrant = PopulationEntry & {
  holderId: string;
  entitlementId: string;
  resourceOwnerId: string;
};

/**
 * Creates a campaign. A campaign for a period (`2026-Q4`) is made once: a retried or caught-up
 * scheduled run gets the existing one back with `created: false`, and nothing changes.
 */
export async function insertCampaign(
  db: Executor,
  row: NewCampaign,
): Promise<{ campaign: Campaign; created: boolean }> {
  const [inserted] = await db
    .insert(campaigns)
    .values(row)
    .onConflictDoNothing({ target: campaigns.periodKey })
    .returning();
  if (inserted) return { campaign: inserted, created: true };
  const existing = row.periodKey ? await getCampaignByPeriod(db, row.periodKey) : undefined;
  // Only the period index can make the insert a no-op; anything else is a bug worth surfacing.
  if (!existing) throw new Error(`campaign insert for period ${row.periodKey ?? '(none)'} did nothing`);
  return { campaign: existing, created: false };
}

/** The campaign with this id; undefined when there is none or `id` is not a UUID. */
export async function getCampaign(db: Executor, id: string): Promise<Campaign | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id));
  return row;
}

/** The campaign a scheduled run made for `periodKey`, if any. */
async function getCampaignByPeriod(db: Executor, periodKey: string): Promise<Campaign | undefined> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.periodKey, periodKey));
  return row;
}

/** Campaigns newest first, optionally only in some statuses. */
export async function listCampaigns(
  db: Executor,
  options: { status?: Campaign['status'][]; limit?: number; offset?: number } = {},
): Promise<Campaign[]> {
  return db
    .select()
    .from(campaigns)
    .where(options.status?.length ? inArray(campaigns.status, options.status) : undefined)
    .orderBy(desc(campaigns.launchedAt), desc(campaigns.id))
    .limit(options.limit ?? 100)
    .offset(options.offset ?? 0);
}

/** Applies `patch` and bumps `updated_at`. */
export async function updateCampaign(db: Executor, id: string, patch: CampaignPatch): Promise<void> {
  await db
    .update(campaigns)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(campaigns.id, id));
}

/**
 * Records the attested population once. A retry with the same count and digest is accepted; a
 * different one is refused (false), because the ledger already holds the first attestation.
 */
export async function recordPopulation(
  db: Executor,
  id: string,
  population: { count: number; sha256: string },
): Promise<boolean> {
  const updated = await db
    .update(campaigns)
    .set({ populationCount: population.count, populationSha256: population.sha256, updatedAt: sql`now()` })
    .where(
      and(
        eq(campaigns.id, id),
        or(
          isNull(campaigns.populationSha256),
          and(
            eq(campaigns.populationSha256, population.sha256),
            eq(campaigns.populationCount, population.count),
          ),
        ),
      ),
    )
    .returning({ id: campaigns.id });
  return updated.length === 1;
}

/**
 * Signs a campaign off and closes it, only from `awaiting_signoff`: a second sign-off, or one
 * before every item is settled, changes nothing and returns undefined.
 */
export async function signOffCampaign(
  db: Executor,
  id: string,
  signedOffById: string,
): Promise<Campaign | undefined> {
  const [row] = await db
    .update(campaigns)
    .set({
      status: 'closed',
      signedOffById,
      signedOffAt: sql`now()`,
      closedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(campaigns.id, id), eq(campaigns.status, 'awaiting_signoff')))
    .returning();
  return row;
}

/**
 * The scope as SQL over grants ⋈ entitlements ⋈ resources ⋈ people. Resources and entitlements
 * select from the catalog (a grant matches either list); risk levels and departments narrow that.
 * An absent list does not filter; a present one does, even when empty.
 */
function scopeCondition(scope: CampaignScope): SQL | undefined {
  const catalog: SQL[] = [];
  if (scope.resources) catalog.push(inArrayOrFalse(resources.key, scope.resources));
  if (scope.entitlements) catalog.push(inArrayOrFalse(entitlementRef, scope.entitlements));
  return and(
    catalog.length > 0 ? or(...catalog) : undefined,
    scope.riskLevels ? inArrayOrFalse(entitlements.riskLevel, scope.riskLevels) : undefined,
    scope.departments ? inArrayOrFalse(people.department, scope.departments) : undefined,
    scope.holders ? inArrayOrFalse(people.email, scope.holders) : undefined,
    scope.sodFindings ? inOpenSodFinding : undefined,
  );
}

// The grants an open SoD finding names (reconcile/sod.ts keeps them in `detail.grants`).
const inOpenSodFinding = sql`${grants.id} in (
  select (jsonb_array_elements_text(f.detail -> 'grants'))::uuid from findings f
  where f.kind = 'sod_violation' and f.status = 'open')`;

function inArrayOrFalse<T>(column: Parameters<typeof inArray>[0], values: T[]): SQL {
  return values.length === 0 ? sql`false` : inArray(column, values);
}

/**
 * A grant's `granted_at` as the population digest hashes it (UTC, microseconds), formatted in SQL
 * so the digest covers what is stored, not a JavaScript Date's milliseconds.
 */
export const grantedAtUtc = sql<string>`to_char(${grants.grantedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * One page of the active grants in `scope`, in grant id order, after `afterGrantId` (keyset
 * paging: each page is an index range scan, so 100,000 grants never load at once). Run every page
 * of one snapshot inside one REPEATABLE READ transaction to see a single consistent population.
 */
export async function listPopulationPage(
  db: Executor,
  scope: CampaignScope,
  page: { afterGrantId?: string; limit?: number } = {},
): Promise<PopulationGrant[]> {
  const query = db
    .select({
      grantId: grants.id,
      holderId: grants.personId,
      holderEmail: people.email,
      entitlementId: grants.entitlementId,
      resourceKey: resources.key,
      entitlementKey: entitlements.key,
      resourceOwnerId: resources.ownerId,
      grantedAt: grantedAtUtc,
    })
    .from(grants)
    .$dynamic();
  return joinAccessNames(query, { holder: grants.personId, entitlement: grants.entitlementId })
    .where(
      and(
        eq(grants.status, 'active'),
        page.afterGrantId ? gt(grants.id, page.afterGrantId) : undefined,
        scopeCondition(scope),
      ),
    )
    .orderBy(asc(grants.id))
    .limit(page.limit ?? POPULATION_PAGE_SIZE);
}
