// The ledger's account of an import: the audit events recorded in the import's own transaction.
import type { AuditWrite } from '../../audit/intake.js';
import { completeEvent } from '../../audit/intake.js';
import { IMPORT_KINDS, type ImportReport } from './report.js';

/**
 * The ledger's account of an import that changed something: one `config.directory.imported`
 * with what changed per kind, and one `config.policy.changed` per policy added, changed or
 * retired, with the changed fields before and after (ISO 27001 A.8.15: who changed what).
 */
export function directoryAuditWrites(report: ImportReport): AuditWrite[] {
  const actor = { type: 'system' as const, id: report.actor };
  const summary = Object.fromEntries(
    IMPORT_KINDS.map((kind) => [
      kind,
      {
        added: report[kind].added,
        changed: report[kind].changed,
        removed: report[kind].removed,
        deactivated: report[kind].deactivated,
      },
    ]),
  );
  const events = [
    completeEvent({
      event_type: 'config.directory.imported',
      actor,
      target: { type: 'directory', id: report.fileName },
      action: 'import',
      result: 'success',
      details: { source_sha256: report.sourceHash, changes: summary },
    }),
  ];
  const policyEvent = (key: string, action: string, before: unknown, after: unknown) =>
    completeEvent({
      event_type: 'config.policy.changed',
      actor,
      target: { type: 'policy', id: key },
      action,
      result: 'success',
      details: { source_sha256: report.sourceHash, before, after },
    });
  for (const key of report.policies.added) events.push(policyEvent(key, 'create', null, 'created'));
  for (const change of report.policies.changed) {
    events.push(
      policyEvent(
        change.key,
        'update',
        Object.fromEntries(change.fields.map((f) => [f.field, f.before])),
        Object.fromEntries(change.fields.map((f) => [f.field, f.after])),
      ),
    );
  }
  for (const key of report.policies.deactivated) events.push(policyEvent(key, 'retire', 'active', 'retired'));
  return events.map((event) => ({ idempotencyKey: event.event_id, event }));
}
