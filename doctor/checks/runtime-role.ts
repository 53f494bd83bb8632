// The runtime role may append to the ledger and read it, nothing more (db/roles.ts grants it;
// test/integration/database-roles.test.ts holds the intent). The ledger grants themselves are
// judged by the verifier's own check, so `audit verify` and the doctor never disagree.
import type postgres from 'postgres';
import { protectionFindings } from '../../audit/verify/index.js';
import { type CheckOutcome, failed, passed } from '../check.js';

const AUDIT_TABLES = ['audit_ledger', 'audit_checkpoint', 'audit_intake'];

type RoleRow = {
  role: string;
  superuser: boolean;
  attributes: string[];
  owns: string[];
  memberOf: string[];
  createInPublic: boolean;
  createInDatabase: boolean;
};

type Problem = { detail: string; fix: string };

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Checks the role `sql` is connected as; `ownerUrlOnly` when the services fall back to DATABASE_URL. */
export async function checkRuntimeRole(sql: postgres.Sql, ownerUrlOnly: boolean): Promise<CheckOutcome> {
  const [row] = await sql<RoleRow[]>`
    select r.rolname as role, r.rolsuper as superuser,
           array_remove(array[
             case when r.rolcreaterole then 'CREATEROLE' end, case when r.rolcreatedb then 'CREATEDB' end,
             case when r.rolreplication then 'REPLICATION' end, case when r.rolbypassrls then 'BYPASSRLS' end
           ], null) as attributes,
           array(select c.relname::text from pg_class c
                 where c.relnamespace = 'public'::regnamespace and c.relname = any(${AUDIT_TABLES})
                   and pg_has_role(r.oid, c.relowner, 'MEMBER') order by 1) as owns,
           array(select g.rolname::text from pg_auth_members m join pg_roles g on g.oid = m.roleid
                 where m.member = r.oid order by 1) as "memberOf",
           has_schema_privilege(r.oid, 'public', 'CREATE') as "createInPublic",
           has_database_privilege(r.oid, current_database(), 'CREATE') as "createInDatabase"
    from pg_roles r where r.rolname = current_user`;
  const role = row!;
  const name = quoted(role.role);
  const separateRole =
    'set DATABASE_RUNTIME_URL to a separate login role (say grantflow_app) and run `grantflow migrate`, ' +
    'which creates it with only the grants of db/roles.ts; DATABASE_URL stays the owner, for migrations';
  const problems: Problem[] = [];
  if (role.superuser) {
    problems.push({
      detail: `${role.role} is a superuser: it can disable the ledger's triggers and rewrite the audit trail`,
      fix: ownerUrlOnly ? separateRole : `as a superuser: ALTER ROLE ${name} NOSUPERUSER`,
    });
  } else if (role.owns.length > 0) {
    problems.push({
      detail:
        `${role.role} owns ${role.owns.join(', ')} (or is a member of the owner): it can disable their ` +
        'triggers and rewrite the audit trail' +
        (ownerUrlOnly ? ' — the services use DATABASE_URL because DATABASE_RUNTIME_URL is unset' : ''),
      fix: separateRole,
    });
  }
  if (role.attributes.length > 0) {
    problems.push({
      detail: `${role.role} has ${role.attributes.join(', ')}, which the services never need`,
      fix: `ALTER ROLE ${name} ${role.attributes.map((attribute) => `NO${attribute}`).join(' ')}`,
    });
  }
  if (role.memberOf.length > 0) {
    problems.push({
      detail: `${role.role} is a member of ${role.memberOf.join(', ')}, whose privileges it can borrow`,
      fix: `REVOKE ${role.memberOf.map(quoted).join(', ')} FROM ${name}`,
    });
  }
  if (role.createInPublic) {
    problems.push({
      detail: `${role.role} may create tables in schema public`,
      fix: `REVOKE CREATE ON SCHEMA public FROM ${name}, PUBLIC`,
    });
  }
  if (role.createInDatabase) {
    problems.push({
      detail: `${role.role} may create schemas in the database`,
      fix: `REVOKE CREATE ON DATABASE ${quoted(await currentDatabase(sql))} FROM ${name}, PUBLIC`,
    });
  }
  // A superuser or the owner holds every privilege; saying so again per table adds nothing.
  if (!role.superuser && role.owns.length === 0) {
    const findings = await protectionFindings(sql, role.role);
    for (const finding of findings) {
      if (finding.code !== 'privileges_widened') continue;
      problems.push({
        detail: finding.message,
        fix: 'run `grantflow migrate` as the owner: it revokes every privilege db/roles.ts does not grant',
      });
    }
  }
  if (problems.length === 0) {
    return passed(
      `${role.role}: INSERT and SELECT only on ${AUDIT_TABLES.join(', ')} (and the sequencer's seq stamp); ` +
        'not a superuser, not their owner, no role attributes or memberships',
    );
  }
  return failed(problems.map((p) => p.detail).join('; '), problems.map((p) => p.fix).join('; then '));
}

async function currentDatabase(sql: postgres.Sql): Promise<string> {
  const [row] = await sql<{ name: string }[]>`select current_database() as name`;
  return row!.name;
}
