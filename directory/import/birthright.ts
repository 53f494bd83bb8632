// Imports the `birthright` section: rules are added or updated, and retired when the file no longer
// lists them. The rules only say who should hold what; the worker's sweep (identity/birthright.ts)
// grants and revokes accordingly, with Temporal in reach, seconds after the import commits.
import type { Transaction } from '../../db/client.js';
import {
  type BirthrightRulePatch,
  insertBirthrightRule,
  listBirthrightRules,
  updateBirthrightRule,
} from '../../db/queries/birthright-rules.js';
import type { DirectoryBirthrightRule } from '../file-schema.js';
import { diff } from './diff.js';
import type { KindReport } from './report.js';

/** Makes the stored rules match the file's, reporting each rule added, changed or retired. */
export async function applyBirthrightRules(
  tx: Transaction,
  fileRules: DirectoryBirthrightRule[],
  report: KindReport,
): Promise<void> {
  const existing = await listBirthrightRules(tx, { includeRetired: true });
  const byName = new Map(existing.map((rule) => [rule.name, rule]));
  const inFile = new Set(fileRules.map((rule) => rule.name));

  for (const entry of fileRules) {
    const row = {
      department: entry.when.department ?? null,
      groupKey: entry.when.group ?? null,
      entitlementKeys: entry.grant,
    };
    const current = byName.get(entry.name);
    if (!current) {
      await insertBirthrightRule(tx, { name: entry.name, ...row });
      report.added.push(entry.name);
      continue;
    }
    // Field names as the file spells them, so the report and the ledger read like the file.
    const fields = diff([
      ['when.department', current.department, row.department],
      ['when.group', current.groupKey, row.groupKey],
      ['grant', current.entitlementKeys, row.entitlementKeys],
      ['status', current.status, 'active'],
    ]);
    if (fields.length === 0) {
      report.unchanged += 1;
      continue;
    }
    const patch: BirthrightRulePatch = { ...row, status: 'active' };
    await updateBirthrightRule(tx, current.id, patch);
    report.changed.push({ key: entry.name, fields });
  }
  for (const rule of existing) {
    if (inFile.has(rule.name) || rule.status === 'retired') continue;
    await updateBirthrightRule(tx, rule.id, { status: 'retired' });
    report.deactivated.push(rule.name);
  }
}
