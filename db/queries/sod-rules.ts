import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { type SodRule, sodRules } from '../schema.js';

/** Columns a new rule row needs. */
export type NewSodRule = typeof sodRules.$inferInsert;
/** Fields an update may change; `updated_at` is set by the query. */
export type SodRulePatch = Partial<
  Pick<SodRule, 'description' | 'entitlementKeys' | 'action' | 'approvers' | 'status'>
>;

/** Separation-of-duties rules ordered by key; retired ones only with `includeRetired`. */
export async function listSodRules(
  db: Executor,
  options: { includeRetired?: boolean } = {},
): Promise<SodRule[]> {
  return db
    .select()
    .from(sodRules)
    .where(options.includeRetired ? undefined : eq(sodRules.status, 'active'))
    .orderBy(asc(sodRules.key));
}

/** Active rules that name `resourceKey/entitlementKey`, for the SoD check of a request. */
export async function listSodRulesForEntitlement(db: Executor, entitlementRef: string): Promise<SodRule[]> {
  return db
    .select()
    .from(sodRules)
    .where(
      and(
        eq(sodRules.status, 'active'),
        sql`${sodRules.entitlementKeys} @> ${JSON.stringify([entitlementRef])}::jsonb`,
      ),
    )
    .orderBy(asc(sodRules.key));
}

/** Inserts one rule and returns it. */
export async function insertSodRule(db: Executor, row: NewSodRule): Promise<SodRule> {
  const [rule] = await db.insert(sodRules).values(row).returning();
  return rule as SodRule;
}

/** Applies `patch` to one rule and bumps `updated_at`. */
export async function updateSodRule(db: Executor, id: string, patch: SodRulePatch): Promise<void> {
  await db
    .update(sodRules)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(sodRules.id, id));
}
