// Imports the `separationOfDuties` section: rules are added or updated, and retired when the file no
// longer lists them.
import type { Transaction } from '../../db/client.js';
import { insertSodRule, listSodRules, type SodRulePatch, updateSodRule } from '../../db/queries/sod-rules.js';
import type { ParsedDirectory } from '../parse.js';
import { diff } from './diff.js';
import type { KindReport } from './report.js';

export async function applySodRules(
  tx: Transaction,
  fileRules: ParsedDirectory['directory']['separationOfDuties'],
  report: KindReport,
): Promise<void> {
  const existing = await listSodRules(tx, { includeRetired: true });
  const byKey = new Map(existing.map((rule) => [rule.key, rule]));
  const inFile = new Set(fileRules.map((rule) => rule.key));

  for (const entry of fileRules) {
    const approvers = entry.approvers ?? [];
    const current = byKey.get(entry.key);
    if (!current) {
      await insertSodRule(tx, {
        key: entry.key,
        description: entry.description ?? null,
        entitlementKeys: entry.entitlements,
        action: entry.action,
        approvers,
      });
      report.added.push(entry.key);
      continue;
    }
    const fields = diff([
      ['description', current.description, entry.description],
      ['entitlements', current.entitlementKeys, entry.entitlements],
      ['action', current.action, entry.action],
      ['approvers', current.approvers, approvers],
      ['status', current.status, 'active'],
    ]);
    if (fields.length === 0) {
      report.unchanged += 1;
      continue;
    }
    const patch: SodRulePatch = {};
    for (const { field } of fields) {
      if (field === 'description') patch.description = entry.description ?? null;
      else if (field === 'entitlements') patch.entitlementKeys = entry.entitlements;
      else if (field === 'action') patch.action = entry.action;
      else if (field === 'approvers') patch.approvers = approvers;
      else if (field === 'status') patch.status = 'active';
    }
    await updateSodRule(tx, current.id, patch);
    report.changed.push({ key: entry.key, fields });
  }
  for (const rule of existing) {
    if (inFile.has(rule.key) || rule.status === 'retired') continue;
    await updateSodRule(tx, rule.id, { status: 'retired' });
    report.deactivated.push(rule.key);
  }
}
