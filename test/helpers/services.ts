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
      const tables = await owner.sql<{ name: string }[]>`
        select quote_ident(tablename) as name from pg_tables where schemaname = 'public'`;
      if (tables.length > 0)
        await owner.sql.unsafe(`truncate ${tables.map((t) => t.name).join(', ')} cascade`);
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
