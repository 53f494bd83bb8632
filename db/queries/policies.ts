import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { type Policy, type PolicyVersion, policies, policyVersions } from '../schema.js';
import { isUuid } from './ids.js';

/** Columns a new policy row needs. */
export type NewPolicy = typeof policies.$inferInsert;
/** Columns a new policy version needs. */
export type NewPolicyVersion = typeof policyVersions.$inferInsert;
/** Fields an update may change; `updated_at` is set by the query. */
export type PolicyPatch = Partial<Pick<Policy, 'description' | 'currentVersion' | 'status'>>;
/**
 * A policy with the version in force. `version.definition` is the stored JSON; read it with
 * `storedPolicyDefinitionSchema` from directory/file-schema.ts.
 */
export type CurrentPolicy = { policy: Policy; version: PolicyVersion };

/** Policies joined to their current version; callers add the filter. */
function currentPolicies(db: Executor) {
  return db
    .select({ policy: policies, version: policyVersions })
    .from(policies)
    .innerJoin(
      policyVersions,
      and(eq(policyVersions.policyId, policies.id), eq(policyVersions.version, policies.currentVersion)),
    );
}

/** The policy with this key and its current version (retired policies included; check `status`). */
export async function getCurrentPolicy(db: Executor, key: string): Promise<CurrentPolicy | undefined> {
  const [row] = await currentPolicies(db).where(eq(policies.key, key));
  return row;
}

/** The policy with this id and its current version. */
export async function getCurrentPolicyById(db: Executor, id: string): Promise<CurrentPolicy | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await currentPolicies(db).where(eq(policies.id, id));
  return row;
}

/** Every policy with its current version, ordered by key. */
export async function listCurrentPolicies(db: Executor): Promise<CurrentPolicy[]> {
  return currentPolicies(db).orderBy(asc(policies.key));
}

/** Every version of a policy, newest first. */
export async function listPolicyVersions(db: Executor, policyId: string): Promise<PolicyVersion[]> {
  return db
    .select()
    .from(policyVersions)
    .where(eq(policyVersions.policyId, policyId))
    .orderBy(desc(policyVersions.version));
}

/** Inserts one policy row (its first version is inserted separately) and returns it. */
export async function insertPolicy(db: Executor, row: NewPolicy): Promise<Policy> {
  const [policy] = await db.insert(policies).values(row).returning();
  return policy as Policy;
}

/** Stores one immutable policy version. */
export async function insertPolicyVersion(db: Executor, row: NewPolicyVersion): Promise<PolicyVersion> {
  const [version] = await db.insert(policyVersions).values(row).returning();
  return version as PolicyVersion;
}

/** Applies `patch` to one policy and bumps `updated_at`. */
export async function updatePolicy(db: Executor, id: string, patch: PolicyPatch): Promise<void> {
  await db
    .update(policies)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(policies.id, id));
}
