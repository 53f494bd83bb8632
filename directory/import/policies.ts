// Imports the `policies` section: a changed definition becomes a new policy version (recorded with who
// imported it); policies the file no longer lists are retired. Also the stored form of a definition.
import { createHash } from 'node:crypto';
import { canonicalize } from '../../audit/canonical.js';
import type { Transaction } from '../../db/client.js';
import {
  insertPolicy,
  insertPolicyVersion,
  listCurrentPolicies,
  type PolicyPatch,
  updatePolicy,
} from '../../db/queries/policies.js';
import type { DirectoryPolicy } from '../file-schema.js';
import { diff, toJson } from './diff.js';
import type { FieldChange, KindReport } from './report.js';

/** The stored form of a policy: everything in the file entry except its key, with no undefined fields. */
export function policyDefinitionOf(entry: DirectoryPolicy): Record<string, unknown> {
  const { key: _key, ...definition } = entry;
  return toJson(definition) as Record<string, unknown>;
}

/** SHA-256 (hex) of the canonical JSON (RFC 8785, keys sorted) of a policy definition. */
function policyDefinitionHash(definition: unknown): string {
  return createHash('sha256').update(canonicalize(definition), 'utf8').digest('hex');
}

export async function applyPolicies(
  tx: Transaction,
  filePolicies: DirectoryPolicy[],
  actor: string,
  report: KindReport,
): Promise<Map<string, string>> {
  const existing = await listCurrentPolicies(tx);
  const byKey = new Map(existing.map((current) => [current.policy.key, current]));
  const ids = new Map(existing.map((current) => [current.policy.key, current.policy.id]));
  const inFile = new Set(filePolicies.map((policy) => policy.key));

  for (const entry of filePolicies) {
    const definition = policyDefinitionOf(entry);
    const hash = policyDefinitionHash(definition);
    const current = byKey.get(entry.key);
    if (!current) {
      const policy = await insertPolicy(tx, {
        key: entry.key,
        description: entry.description ?? null,
        currentVersion: 1,
      });
      await insertPolicyVersion(tx, {
        policyId: policy.id,
        version: 1,
        definition,
        definitionHash: hash,
        createdBy: actor,
      });
      ids.set(entry.key, policy.id);
      report.added.push(entry.key);
      continue;
    }
    const fields: FieldChange[] = [];
    const patch: PolicyPatch = {};
    if (hash !== current.version.definitionHash) {
      const before = (current.version.definition ?? {}) as Record<string, unknown>;
      const names = [...new Set([...Object.keys(definition), ...Object.keys(before)])];
      fields.push(...diff(names.map((name) => [name, before[name], definition[name]])));
      const version = current.policy.currentVersion + 1;
      await insertPolicyVersion(tx, {
        policyId: current.policy.id,
        version,
        definition,
        definitionHash: hash,
        createdBy: actor,
      });
      fields.push({ field: 'version', before: current.policy.currentVersion, after: version });
      patch.currentVersion = version;
    }
    if ((current.policy.description ?? null) !== (entry.description ?? null)) {
      patch.description = entry.description ?? null;
      if (!fields.some((f) => f.field === 'description')) {
        fields.push({ field: 'description', before: current.policy.description, after: patch.description });
      }
    }
    if (current.policy.status !== 'active') {
      patch.status = 'active';
      fields.push({ field: 'status', before: current.policy.status, after: 'active' });
    }
    if (fields.length === 0) {
      report.unchanged += 1;
      continue;
    }
    await updatePolicy(tx, current.policy.id, patch);
    report.changed.push({ key: entry.key, fields });
  }
  for (const current of existing) {
    if (inFile.has(current.policy.key) || current.policy.status === 'retired') continue;
    await updatePolicy(tx, current.policy.id, { status: 'retired' });
    report.deactivated.push(current.policy.key);
  }
  return ids;
}
