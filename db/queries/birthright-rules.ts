// The directory file's birthright rules as stored: listed, added, changed and retired by the import.
import { asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { type BirthrightRule, birthrightRules } from '../schema.js';

/** Columns a new rule row needs. */
export type NewBirthrightRule = typeof birthrightRules.$inferInsert;
/** Fields an update may change; `updated_at` is set by the query. */
export type BirthrightRulePatch = Partial<
  Pick<BirthrightRule, 'department' | 'groupKey' | 'entitlementKeys' | 'status'>
>;

/** Birthright rules ordered by name; retired ones only with `includeRetired`. */
export async function listBirthrightRules(
  db: Executor,
  options: { includeRetired?: boolean } = {},
): Promise<BirthrightRule[]> {
  return db
    .select()
    .from(birthrightRules)
    .where(options.includeRetired ? undefined : eq(birthrightRules.status, 'active'))
    .orderBy(asc(birthrightRules.name));
}

/** Inserts one rule. */
export async function insertBirthrightRule(db: Executor, row: NewBirthrightRule): Promise<void> {
  await db.insert(birthrightRules).values(row);
}

/** Applies `patch` to one rule and bumps `updated_at`. */
export async function updateBirthrightRule(
  db: Executor,
  id: string,
  patch: BirthrightRulePatch,
): Promise<void> {
  await db
    .update(birthrightRules)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(birthrightRules.id, id));
}
