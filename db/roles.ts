import type postgres from 'postgres';

/**
 * Least privilege for the runtime role the API and the worker connect as. Every table is listed
 * explicitly (a test checks none is missing), so a new table grants nothing until someone decides
 * what the services may do with it. Append-only tables (the audit ledger) will get INSERT/SELECT only.
 */
export const RUNTIME_TABLE_PRIVILEGES: Record<string, readonly string[]> = {
  people: ['SELECT', 'INSERT', 'UPDATE'],
  groups: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  group_members: ['SELECT', 'INSERT', 'DELETE'],
  policies: ['SELECT', 'INSERT', 'UPDATE'],
  policy_versions: ['SELECT', 'INSERT'],
  resources: ['SELECT', 'INSERT', 'UPDATE'],
  entitlements: ['SELECT', 'INSERT', 'UPDATE'],
  sod_rules: ['SELECT', 'INSERT', 'UPDATE'],
  birthright_rules: ['SELECT', 'INSERT', 'UPDATE'],
  api_tokens: ['SELECT', 'INSERT', 'UPDATE'],
  // Sessions are deleted on logout and when they lapse; a sign-in in flight is deleted when used.
  console_sessions: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  console_sign_ins: ['SELECT', 'INSERT', 'DELETE'],
  access_requests: ['SELECT', 'INSERT', 'UPDATE'],
  // A decision, once accepted, is history: it is never changed or removed.
  approval_decisions: ['SELECT', 'INSERT'],
  grants: ['SELECT', 'INSERT', 'UPDATE'],
  slack_messages: ['SELECT', 'INSERT'],
  // Delivery state changes as messages go out; rows are kept as the record of what was sent.
  notification_outbox: ['SELECT', 'INSERT', 'UPDATE'],
  notification_outages: ['SELECT', 'INSERT', 'UPDATE'],
  campaigns: ['SELECT', 'INSERT', 'UPDATE'],
  // Items are evidence: decisions and revocation outcomes are updated in place, never deleted.
  campaign_items: ['SELECT', 'INSERT', 'UPDATE'],
  // A connection's token is revoked by stamping it; the row stays as the record.
  scim_connections: ['SELECT', 'INSERT', 'UPDATE'],
  reconciliation_runs: ['SELECT', 'INSERT', 'UPDATE'],
  // Findings are evidence like campaign items: seen again and resolved in place, never deleted.
  findings: ['SELECT', 'INSERT', 'UPDATE'],
  // A pack's row follows its build (status, progress, file); the pack itself is the record.
  evidence_packs: ['SELECT', 'INSERT', 'UPDATE'],
  // An annotation is history: a later one supersedes it, none is changed or removed.
  evidence_annotations: ['SELECT', 'INSERT'],
  // Log reviews are evidence like campaign items: items are marked reviewed and the review signed
  // off in place, never deleted.
  log_reviews: ['SELECT', 'INSERT', 'UPDATE'],
  log_review_items: ['SELECT', 'INSERT', 'UPDATE'],
  // A passkey's counter and last use change as it signs; a registration is kept (its ledger event
  // is the record an auditor checks against).
  webauthn_credentials: ['SELECT', 'INSERT', 'UPDATE'],
  // A registration challenge is consumed (deleted) when answered, and pruned once expired.
  webauthn_challenges: ['SELECT', 'INSERT', 'DELETE'],
  // The ledger and its checkpoints are append-only: no UPDATE, DELETE or TRUNCATE, ever.
  audit_ledger: ['SELECT', 'INSERT'],
  audit_checkpoint: ['SELECT', 'INSERT'],
  audit_cosignature: ['SELECT', 'INSERT'],
  // Intake rows are immutable too, except the sequencer's stamp (a column grant below).
  audit_intake: ['SELECT', 'INSERT'],
};

/** Column-level grants on top of RUNTIME_TABLE_PRIVILEGES. */
const RUNTIME_COLUMN_PRIVILEGES: { table: string; privilege: string; columns: string[] }[] = [
  { table: 'audit_intake', privilege: 'UPDATE', columns: ['seq'] },
];

const identifier = (sql: postgres.Sql, name: string) => sql.unsafe(`"${name.replaceAll('"', '""')}"`);

/**
 * Creates (or updates) the runtime login role and grants it exactly RUNTIME_TABLE_PRIVILEGES.
 * Runs as the owner after migrations; idempotent. Privileges not in the map are revoked, so a
 * widened grant is undone by the next migrate.
 */
export async function applyRuntimeRole(
  sql: postgres.Sql,
  role: { name: string; password?: string },
  database: string,
): Promise<void> {
  const roleId = identifier(sql, role.name);
  const quoted = `"${role.name.replaceAll('"', '""')}"`;
  const [existing] = await sql`select 1 from pg_roles where rolname = ${role.name}`;
  if (!existing) await sql`create role ${roleId} login`;
  if (role.password !== undefined) {
    await sql.unsafe(
      `alter role "${role.name.replaceAll('"', '""')}" login password '${role.password.replaceAll("'", "''")}'`,
    );
  }
  await sql`grant connect on database ${identifier(sql, database)} to ${roleId}`;
  await sql`grant usage on schema public to ${roleId}`;
  await sql`revoke all on all tables in schema public from ${roleId}`;
  for (const [table, privileges] of Object.entries(RUNTIME_TABLE_PRIVILEGES)) {
    await sql.unsafe(
      `grant ${privileges.join(', ')} on table "${table}" to "${role.name.replaceAll('"', '""')}"`,
    );
  }
  for (const { table, privilege, columns } of RUNTIME_COLUMN_PRIVILEGES) {
    await sql.unsafe(`grant ${privilege} (${columns.join(', ')}) on table "${table}" to ${quoted}`);
  }
  await sql`grant usage, select on all sequences in schema public to ${roleId}`;
}
