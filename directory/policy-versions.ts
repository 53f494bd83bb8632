// A policy's version history: every stored version with its definition and who made it and when,
// newest first, so an admin or auditor can see (and diff) what governed a decision at the time.
import { NotFoundError } from '../core/errors.js';
import type { Executor } from '../db/client.js';
import { getCurrentPolicy, listPolicyVersions } from '../db/queries/policies.js';
import type { Policy, PolicyVersion } from '../db/schema.js';

/** The policy with this key (retired ones too) and every version of it, newest first. */
export async function policyHistory(
  db: Executor,
  key: string,
): Promise<{ policy: Policy; versions: PolicyVersion[] }> {
  const current = await getCurrentPolicy(db, key);
  if (!current) throw new NotFoundError('policy', key);
  return { policy: current.policy, versions: await listPolicyVersions(db, current.policy.id) };
}
