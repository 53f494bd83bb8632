import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../db/client.js';

/** What the global setup shares with every integration test file. */
export type TestServices = {
  /** A superuser/owner URL on the shared PostgreSQL. */
  adminUrl: string;
  /** A migrated database each test file clones. */
  templateDatabase: string;
  temporalAddress: string;
  temporalNamespace: string;
};

/** The runtime role tests connect as, exactly as the services do in production. */
export const TEST_RUNTIME_ROLE = { name: 'grantflow_app', password: 'grantflow_app_test' };

/** `url` pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** `url` logging in as another role. */
export function withRole(url: string, role: { name: string; password: string }): string {
  const parsed = new URL(url);
  parsed.username = role.name;
  parsed.password = role.password;
  return parsed.toString();
}

/** A migrated database of this test file's own, as owner and as runtime role. */
export type TestDatabase = {
  name: string;
  ownerUrl: string;
  runtimeUrl: string;
  /** Connected as the runtime role: what the API and worker see. */
  runtime: DatabaseHandle;
  /** Connected as the owner: for setup and for tampering like an attacker with superuser rights. */
  owner: DatabaseHandle;
  /** Empties every application table (keeps migrations), for isolation between tests. */
  truncate(): Promise<void>;
  drop(): Promise<void>;
};

/** Clones the migrated template into a fresh database; call `drop()` in afterAll. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const services = inject('services');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(services.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}" template "${services.templateDatabase}"`);
  await admin.end();
  const ownerUrl = withDatabase(services.adminUrl, name);
  const runtimeUrl = withRole(ownerUrl, TEST_RUNTIME_ROLE);
  const runtime = connectDatabase(runtimeUrl, { max: 5, applicationName: 'grantflow-test-runtime' });
  const owner = connectDatabase(ownerUrl, { max: 2, applicationName: 'grantflow-test-owner' });
  return {
    name,
    ownerUrl,
    runtimeUrl,
    runtime,
    owner,
    async truncate() {
      await owner.sql.begin(async (tx) => {
        const tables = await tx<{ name: string }[]>`
          select quote_ident(tablename) as name from pg_tables where schemaname = 'public'`;
        // The ledger's append-only triggers refuse TRUNCATE even for the owner: lift them inside
        // this transaction only, then restore each trigger's exact mode.
        const triggers = await tx<{ table: string; name: string; mode: string }[]>`
          select quote_ident(c.relname) as table, quote_ident(t.tgname) as name, t.tgenabled as mode
          from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and not t.tgisinternal`;
        for (const t of triggers) await tx.unsafe(`alter table ${t.table} disable trigger ${t.name}`);
        const names = tables.map((t) => t.name).join(', ');
        if (tables.length > 0) await tx.unsafe(`truncate ${names} restart identity cascade`);
        const modes: Record<string, string> = {
          O: 'enable',
          A: 'enable always',
          R: 'enable replica',
          D: 'disable',
        };
        for (const t of triggers)
          await tx.unsafe(`alter table ${t.table} ${modes[t.mode]} trigger ${t.name}`);
      });
    },
    async drop() {
      await runtime.close();
      await owner.close();
      const sql = postgres(services.adminUrl, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists "${name}" with (force)`);
      await sql.end();
    },
  };
}
