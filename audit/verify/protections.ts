// Database protections: the append-only triggers on the audit tables and the runtime role's
// grants, checked structurally so a neutered protection is reported.
import type postgres from 'postgres';
import { type Finding, FindingList } from './findings.js';

const ROW = 1;
const BEFORE = 2;
const DELETE = 8;
const UPDATE = 16;
const TRUNCATE = 32;

type Protection = {
  table: string;
  name: string;
  type: number;
  /** `UPDATE OF` columns; none means every column. */
  columns?: readonly string[];
  /** The only WHEN condition allowed, as pg_get_triggerdef prints it. */
  when?: string;
  /** Runs the retention guard instead of grantflow_append_only(). */
  pruneGuard?: true;
};

// What migrations 0002, 0003, 0017 and 0018 install, running grantflow_append_only() (or the retention
// guard, where marked); keep in step with
// them. Each is checked structurally, because a trigger can be neutered while still enabled:
// `create or replace function` can make the function return instead of raise, a recreated
// trigger can fire on fewer events or columns, and a WHEN clause can make it never fire.
const PROTECTIONS: readonly Protection[] = [
  {
    table: 'audit_ledger',
    name: 'audit_ledger_no_update_delete',
    type: ROW | UPDATE | DELETE,
    pruneGuard: true,
  },
  { table: 'audit_ledger', name: 'audit_ledger_no_truncate', type: TRUNCATE },
  { table: 'audit_checkpoint', name: 'audit_checkpoint_no_update_delete', type: ROW | UPDATE | DELETE },
  { table: 'audit_checkpoint', name: 'audit_checkpoint_no_truncate', type: TRUNCATE },
  { table: 'audit_cosignature', name: 'audit_cosignature_no_update_delete', type: ROW | UPDATE | DELETE },
  { table: 'audit_cosignature', name: 'audit_cosignature_no_truncate', type: TRUNCATE },
  {
    table: 'audit_intake',
    name: 'audit_intake_content_immutable',
    type: ROW | UPDATE,
    columns: ['id', 'idempotency_key', 'event_id', 'event', 'received_at'],
  },
  {
    table: 'audit_intake',
    name: 'audit_intake_stamp_once',
    type: ROW | UPDATE,
    columns: ['seq'],
    when: '(old.seq IS NOT NULL)',
  },
  { table: 'audit_intake', name: 'audit_intake_no_delete', type: ROW | DELETE, pruneGuard: true },
  { table: 'audit_intake', name: 'audit_intake_no_truncate', type: TRUNCATE },
];
const PROTECTION_FUNCTION = 'grantflow_append_only';
const PROTECTED_TABLES = ['audit_ledger', 'audit_checkpoint', 'audit_cosignature', 'audit_intake'];
// The DELETE triggers let audit_prune_below() (migration 0018) delete below the boundary it
// marks; any other body than this one (whitespace aside) may let more through.
const PRUNE_GUARD_FUNCTION = 'grantflow_append_only_unless_pruned';
const PRUNE_GUARD_SOURCE = `BEGIN
  IF TG_OP = 'DELETE' AND OLD.seq IS NOT NULL
     AND OLD.seq <= coalesce(nullif(current_setting('grantflow.prune_through', true), ''), '0')::bigint THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'grantflow: % is append-only; % refused (only audit_prune_below deletes, below a checkpoint)',
    TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;`;
/** The owner-only deletion path, which the runtime role must not be able to call. */
const PRUNE_FUNCTION = 'audit_prune_below(bigint, text, text, jsonb)';

type TriggerRow = {
  table: string;
  name: string;
  mode: string;
  type: number;
  columns: string[];
  definition: string;
  fn: string;
  source: string;
};

export async function checkProtection(tx: postgres.TransactionSql, findings: FindingList): Promise<void> {
  const rows = await tx<TriggerRow[]>`
    select c.relname as table, t.tgname as name, t.tgenabled as mode, t.tgtype::int as type,
           array(select a.attname::text from unnest(t.tgattr::int2[]) as k(attnum)
                 join pg_attribute a on a.attrelid = t.tgrelid and a.attnum = k.attnum) as columns,
           pg_get_triggerdef(t.oid) as definition, p.proname as fn, p.prosrc as source
    from pg_trigger t
    join pg_class c on c.oid = t.tgrelid
    join pg_proc p on p.oid = t.tgfoid
    where c.relname = any(${PROTECTED_TABLES}::text[]) and c.relnamespace = 'public'::regnamespace
      and not t.tgisinternal`;
  const disabled = (message: string) => findings.add({ code: 'protection_disabled', message });
  for (const expected of PROTECTIONS) {
    const trigger = rows.find((row) => row.table === expected.table && row.name === expected.name);
    const where = `trigger ${expected.name} on ${expected.table}`;
    if (!trigger) {
      disabled(`${where} is missing: ${expected.table} rows can be changed or removed unnoticed`);
      continue;
    }
    for (const problem of protectionProblems(expected, trigger)) disabled(`${where} ${problem}`);
  }
  // Any other trigger could rewrite or drop rows as they are inserted.
  for (const row of rows) {
    if (!PROTECTIONS.some((expected) => expected.table === row.table && expected.name === row.name)) {
      disabled(
        `unexpected trigger ${row.name} on ${row.table} runs ${row.fn}(): it could alter or drop rows`,
      );
    }
  }
}

function protectionProblems(expected: Protection, trigger: TriggerRow): string[] {
  const problems: string[] = [];
  if (trigger.mode !== 'A') {
    const mode =
      trigger.mode === 'D' ? 'disabled' : `enabled ${trigger.mode === 'R' ? 'REPLICA' : 'ORIGIN'} only`;
    problems.push(`is ${mode}, not ENABLE ALWAYS`);
  }
  const type = expected.type | BEFORE;
  if ((trigger.type & type) !== type || (trigger.type & ROW) !== (expected.type & ROW)) {
    problems.push(`no longer fires BEFORE every ${describeEvents(expected.type)}`);
  }
  const columns = expected.columns ?? [];
  if (
    (columns.length === 0 && trigger.columns.length > 0) ||
    columns.some((column) => !trigger.columns.includes(column))
  ) {
    problems.push(`fires only on UPDATE OF ${trigger.columns.join(', ')}`);
  }
  const when = /\bWHEN \((.*)\) EXECUTE /.exec(trigger.definition)?.[1];
  if (when !== expected.when)
    problems.push(`has WHEN ${when ?? '(none)'}, so it may not fire when it should`);
  const refuses = expected.pruneGuard
    ? trigger.fn === PRUNE_GUARD_FUNCTION && squash(trigger.source) === squash(PRUNE_GUARD_SOURCE)
    : trigger.fn === PROTECTION_FUNCTION && raisesOnly(trigger.source);
  if (!refuses) {
    problems.push(`runs ${trigger.fn}(), which no longer refuses the change`);
  }
  return problems;
}

function describeEvents(type: number): string {
  return [type & UPDATE ? 'UPDATE' : '', type & DELETE ? 'DELETE' : '', type & TRUNCATE ? 'TRUNCATE' : '']
    .filter(Boolean)
    .join(' and ');
}

function squash(source: string): string {
  return source.replace(/\s+/g, ' ').trim();
}

// Structural, not textual: a body that raises and never returns a row refuses every change.
function raisesOnly(source: string): boolean {
  const text = source.toUpperCase();
  return /\bRAISE\s+EXCEPTION\b/.test(text) && !/\bRETURN\b/.test(text);
}

export async function checkPrivileges(
  tx: postgres.TransactionSql,
  role: string,
  findings: FindingList,
): Promise<void> {
  const [found] = await tx<
    { superuser: boolean }[]
  >`select rolsuper as superuser from pg_roles where rolname = ${role}`;
  if (!found) {
    findings.add({
      code: 'runtime_role_missing',
      severity: 'warning',
      message: `runtime role ${role} does not exist, so its privileges could not be checked`,
    });
    return;
  }
  const rows = await tx<{ table: string; privilege: string; granted: boolean }[]>`
    select t.name as table, p.name as privilege, has_table_privilege(${role}::name, t.name, p.name) as granted
    from unnest(${PROTECTED_TABLES}::text[]) as t(name)
    cross join unnest(${['UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER']}::text[]) as p(name)`;
  const columns = await tx<{ column: string; granted: boolean }[]>`
    select a.attname as column,
           has_column_privilege(${role}::name, 'audit_intake'::text, a.attname::text, 'UPDATE'::text)
             as granted
    from pg_attribute a
    where a.attrelid = 'audit_intake'::regclass and a.attnum > 0 and not a.attisdropped
      and a.attname <> 'seq'`;
  const [prune] = await tx<{ granted: boolean | null }[]>`
    select case when to_regprocedure(${PRUNE_FUNCTION}) is null then null
                else has_function_privilege(${role}::name, ${PRUNE_FUNCTION}, 'EXECUTE') end as granted`;
  const widened = [
    ...(prune?.granted ? ['EXECUTE audit_prune_below (delete ledger entries)'] : []),
    ...rows
      // UPDATE on the intake is judged per column below: the sequencer legitimately stamps seq.
      .filter((row) => row.granted && !(row.table === 'audit_intake' && row.privilege === 'UPDATE'))
      .map((row) => `${row.privilege} on ${row.table}`),
    ...columns
      .filter((column) => column.granted)
      .map((column) => `UPDATE (${column.column}) on audit_intake`),
  ];
  if (widened.length === 0) return;
  findings.add({
    code: 'privileges_widened',
    message:
      `runtime role ${role}${found.superuser ? ' is a superuser and' : ''} may ${widened.join(', ')}: ` +
      'the services could rewrite the audit trail (run `grantflow migrate` to restore the grants)',
  });
}

/**
 * The protection and privilege findings alone, in one read-only transaction: what `grantflow
 * doctor` reports without walking the ledger.
 */
export async function protectionFindings(sql: postgres.Sql, runtimeRole: string): Promise<Finding[]> {
  return sql.begin('read only', async (tx) => {
    const findings = new FindingList();
    await checkProtection(tx, findings);
    await checkPrivileges(tx, runtimeRole, findings);
    return findings.list;
  });
}
