import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealCheckpoint } from '../../audit/checkpoint.js';
import { appendToIntake } from '../../audit/intake.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { RUNTIME_TABLE_PRIVILEGES } from '../../db/roles.js';
import * as schema from '../../db/schema.js';
import { sampleEvent, testLedgerKeys } from '../helpers/audit.js';
import { createTestDatabase, TEST_RUNTIME_ROLE, type TestDatabase } from '../helpers/services.js';

const RUNTIME = TEST_RUNTIME_ROLE.name;
/** Every table privilege PostgreSQL has: the runtime role's effective set is compared against all of them. */
const TABLE_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];
const LEDGER_TABLES = ['audit_ledger', 'audit_checkpoint', 'audit_cosignature', 'audit_intake'];
const ORIGIN = 'grantflow.test/roles';
const keys = testLedgerKeys();

/** Writes `n` events the way the services do: intake, then the sequencer, then a signed checkpoint. */
async function writeLedger(database: TestDatabase, n: number): Promise<void> {
  const writes = Array.from({ length: n }, () => {
    const event = sampleEvent();
    return { idempotencyKey: event.event_id, event };
  });
  await appendToIntake(database.runtime.db, writes);
  await sequenceAll(database.runtime.sql);
  await sealCheckpoint(database.runtime.sql, keys, { origin: ORIGIN });
}

describe('runtime role privileges', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    await database.owner.sql`
      insert into people (email, name) values ('ada@acme.test', 'Ada');
      `;
    // Ledger rows exist, so a refusal below could come from the append-only triggers: the tests
    // match PostgreSQL's own "permission denied" to show that the grant itself refuses.
    await writeLedger(database, 3);
  });
  afterAll(() => database.drop());

  it('lists every table of the schema, so no new table is granted by accident', () => {
    const tables = Object.values(schema)
      .filter((value) => is(value, PgTable))
      .map((table) => getTableName(table as PgTable))
      .sort();

    expect(Object.keys(RUNTIME_TABLE_PRIVILEGES).sort()).toEqual(tables);
  });

  it('connects the services as a role that is not the owner and not a superuser', async () => {
    const [role] = await database.runtime.sql<{ user: string; superuser: boolean }[]>`
      select current_user as user, rolsuper as superuser from pg_roles where rolname = current_user`;

    expect(role).toEqual({ user: 'grantflow_app', superuser: false });
  });

  it('can read and write what the services need', async () => {
    await database.runtime.sql`update people set department = 'eng' where email = 'ada@acme.test'`;
    const [row] = await database.runtime.sql`select department from people where email = 'ada@acme.test'`;

    expect(row?.department).toBe('eng');
  });

  it.each([
    ['delete from people', 'people'],
    ['truncate people cascade', 'people'],
    ['update policy_versions set version = 2', 'policy_versions'],
    ['delete from policy_versions', 'policy_versions'],
    ['drop table people cascade', 'people'],
    ['create table sneaky (id int)', 'schema public'],
  ])('is refused: %s', async (statement, object) => {
    await expect(database.runtime.sql.unsafe(statement)).rejects.toThrow(
      new RegExp(`permission denied|must be owner of table ${object}`),
    );
  });

  it('writes the audit ledger as the services do: intake, sequencer stamp, ledger, checkpoint', async () => {
    await writeLedger(database, 2);

    const [counts] = await database.runtime.sql`
      select (select count(*)::int from audit_ledger) as ledger,
             (select count(*)::int from audit_intake where seq is null) as unstamped,
             (select count(*)::int from audit_checkpoint) as checkpoints,
             (select max(tree_size)::int from audit_checkpoint) as signed`;
    expect(counts).toEqual({ ledger: 5, unstamped: 0, checkpoints: 2, signed: 5 });
  });

  it('holds exactly the table privileges of RUNTIME_TABLE_PRIVILEGES, on every table of the database', async () => {
    const rows = await database.owner.sql<{ table: string; privilege: string }[]>`
      select t.tablename as table, p.privilege
      from pg_tables t cross join unnest(${TABLE_PRIVILEGES}::text[]) as p(privilege)
      where t.schemaname = 'public'
        and has_table_privilege(${RUNTIME}, format('%I.%I', t.schemaname, t.tablename), p.privilege)`;
    const tables = await database.owner.sql<{ name: string }[]>`
      select tablename as name from pg_tables where schemaname = 'public'`;
    const held = Object.fromEntries(
      tables.map(({ name }) => [
        name,
        rows
          .filter((r) => r.table === name)
          .map((r) => r.privilege)
          .sort(),
      ]),
    );

    const expected = Object.fromEntries(
      tables.map(({ name }) => [name, [...(RUNTIME_TABLE_PRIVILEGES[name] ?? [])].sort()]),
    );
    expect(held).toEqual(expected);
    // Not only whatever the map says: the ledger stays insert-and-read, and nothing is TRUNCATEable.
    for (const table of LEDGER_TABLES) expect(held[table]).toEqual(['INSERT', 'SELECT']);
    expect(rows.filter((r) => r.privilege === 'TRUNCATE')).toEqual([]);
  });

  it('may UPDATE no ledger column but the sequencer stamp audit_intake.seq, and no sequence', async () => {
    const updatable = await database.owner.sql<{ column: string }[]>`
      select c.table_name || '.' || c.column_name as column from information_schema.columns c
      where c.table_schema = 'public' and c.table_name in ${database.owner.sql(LEDGER_TABLES)}
        and has_column_privilege(${RUNTIME}, format('public.%I', c.table_name), c.column_name, 'UPDATE')`;
    const settable = await database.owner.sql<{ name: string }[]>`
      with sequences as materialized (
        select c.oid, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'S')
      select relname as name from sequences where has_sequence_privilege(${RUNTIME}, oid, 'UPDATE')`;
    const sequences = await database.owner.sql`select 1 from pg_sequences where schemaname = 'public'`;

    expect(updatable.map((r) => r.column)).toEqual(['audit_intake.seq']);
    expect(settable).toEqual([]);
    expect(sequences.length).toBeGreaterThan(0);
  });

  it('has no role attributes and no role memberships to borrow more from', async () => {
    const [role] = await database.runtime.sql`
      select rolcreaterole, rolcreatedb, rolreplication, rolbypassrls,
             (select count(*)::int from pg_auth_members m where m.member = r.oid) as memberships,
             has_schema_privilege(current_user, 'public', 'CREATE') as create_in_public,
             has_database_privilege(current_user, current_database(), 'CREATE') as create_schema
      from pg_roles r where rolname = current_user`;

    expect(role).toEqual({
      rolcreaterole: false,
      rolcreatedb: false,
      rolreplication: false,
      rolbypassrls: false,
      memberships: 0,
      create_in_public: false,
      create_schema: false,
    });
  });

  // PostgreSQL's own words for a missing grant; the ledger triggers say "grantflow: … append-only".
  it.each([
    'update audit_ledger set event_type = event_type',
    'delete from audit_ledger',
    'truncate audit_ledger',
    "update audit_checkpoint set note = note || ''",
    'delete from audit_checkpoint',
    'truncate audit_checkpoint',
    "update audit_intake set event = '{}'::jsonb",
    'delete from audit_intake',
    'truncate audit_intake',
  ])('is refused by its grants, not only by the triggers: %s', async (statement) => {
    const table = /(audit_\w+)/.exec(statement)![1];
    const [before] = await database.owner.sql.unsafe(`select count(*)::int as n from ${table}`);

    await expect(database.runtime.sql.unsafe(statement)).rejects.toMatchObject({
      code: '42501',
      message: `permission denied for table ${table}`,
    });
    expect(before?.n).toBeGreaterThan(0);
  });

  it.each([
    [
      'alter table audit_ledger disable trigger audit_ledger_no_update_delete',
      'must be owner of table audit_ledger',
    ],
    [
      'drop trigger audit_checkpoint_no_truncate on audit_checkpoint',
      'must be owner of relation audit_checkpoint',
    ],
    ['alter table audit_ledger add column sneaky int', 'must be owner of table audit_ledger'],
    ['alter table people owner to current_user', 'must be owner of table people'],
    ['create index sneaky on people (name)', 'must be owner of table people'],
    // Replacing or dropping the trigger function would turn every append-only trigger off.
    [
      'create or replace function grantflow_append_only() returns trigger language plpgsql as $$ begin return old; end $$',
      'permission denied for schema public',
    ],
    ['drop function grantflow_append_only() cascade', 'must be owner of function grantflow_append_only'],
  ])('cannot change the schema: %s', async (statement, message) => {
    await expect(database.runtime.sql.unsafe(statement)).rejects.toMatchObject({ code: '42501', message });
  });

  it('cannot create a schema, grant itself more, or become the owner', async () => {
    const [me] = await database.owner.sql`select current_user as owner`;
    const owner = String(me?.owner);

    await expect(database.runtime.sql`create schema sneaky`).rejects.toMatchObject({ code: '42501' });
    await expect(database.runtime.sql.unsafe(`set role "${owner}"`)).rejects.toMatchObject({
      code: '42501',
    });
    // Granting without the grant option only warns; the privilege stays away.
    await database.runtime
      .sql`grant update, delete, truncate on audit_ledger to ${database.runtime.sql(RUNTIME)}`;
    const [after] = await database.runtime.sql`
      select has_table_privilege('audit_ledger', 'UPDATE') or has_table_privilege('audit_ledger', 'DELETE')
          or has_table_privilege('audit_ledger', 'TRUNCATE') as any`;
    expect(after?.any).toBe(false);
  });
});
