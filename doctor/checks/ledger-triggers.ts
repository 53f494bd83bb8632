// The append-only triggers on the audit tables, judged by the verifier's own structural check
// (present, ENABLE ALWAYS, firing on every event they must, refusing the change), so a
// neutered trigger is caught here exactly as `grantflow audit verify` catches it.
import type postgres from 'postgres';
import { protectionFindings } from '../../audit/verify/index.js';
import { type CheckOutcome, failed, passed } from '../check.js';

/** Checks the triggers on the database `sql` is connected to. */
export async function checkLedgerTriggers(sql: postgres.Sql): Promise<CheckOutcome> {
  const [connected] = await sql<{ role: string }[]>`select current_user as role`;
  const findings = (await protectionFindings(sql, connected!.role)).filter(
    (finding) => finding.code === 'protection_disabled',
  );
  if (findings.length === 0) {
    return passed(
      'every append-only trigger on audit_ledger, audit_checkpoint and audit_intake is in place, ENABLE ALWAYS',
    );
  }
  // The exact statements for the common fault, a trigger switched off or to another mode.
  const lifted = await sql<{ table: string; name: string }[]>`
    select c.relname as table, t.tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
    where c.oid in ('audit_ledger'::regclass, 'audit_checkpoint'::regclass, 'audit_intake'::regclass)
      and not t.tgisinternal and t.tgenabled <> 'A'
    order by 1, 2`;
  const reenable = lifted.map((t) => `ALTER TABLE ${t.table} ENABLE ALWAYS TRIGGER ${t.name};`);
  const other = findings.length > lifted.length;
  const steps = [
    ...(reenable.length > 0 ? [`as the table owner: ${reenable.join(' ')}`] : []),
    ...(other
      ? [
          'restore each missing or altered trigger as db/migrations/0002_audit_ledger_protection.sql and ' +
            '0003_cheaper_intake_guard.sql define it, and drop any other trigger on the audit tables',
        ]
      : []),
    'then run `grantflow audit verify`: rows may have been changed while the ledger was unprotected',
  ];
  return failed(findings.map((finding) => finding.message).join('; '), steps.join('; '));
}
