// The example's `postgres` resources, made real for `grantflow dev`: a database per resource in the
// embedded server, the entitlements' roles, a database user per person, and a connector login that
// may grant those roles (ADMIN OPTION, as the postgres connector's docs ask of production). The
// worker reaches each one through the catalog's own `databaseUrlEnv` variable; one the user has set
// always wins. Access imported from the directory file is made real too, since the file says the
// target already holds it.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { databaseUserFor } from '../connectors/index.js';
import type { Logger } from '../core/logger.js';
import type { Database } from '../db/client.js';
import { listAllEntitlements } from '../db/queries/entitlements.js';
import { listActiveGrantsOfResource } from '../db/queries/grants.js';
import { listAllPeople } from '../db/queries/people.js';
import { listAllResources } from '../db/queries/resources.js';

/** The login the worker's postgres connector uses against the demo databases. */
const DEMO_CONNECTOR_ROLE = 'grantflow_demo_connector';

/** What was set up: one line per resource, and the variables the worker now reads. */
export type DemoDatabases = { lines: string[]; env: Record<string, string> };

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Creates (idempotently) the demo database of every active `postgres` resource whose URL variable
 * is not set, and sets that variable in `env`. `ownerUrl` must be a superuser of the server.
 */
export async function setUpDemoDatabases(
  ownerUrl: string,
  db: Database,
  env: NodeJS.ProcessEnv,
  dataDir: string,
  log: Logger,
): Promise<DemoDatabases> {
  const resources = (await listAllResources(db)).filter(
    (r) => r.status === 'active' && r.connectorKind === 'postgres',
  );
  const result: DemoDatabases = { lines: [], env: {} };
  if (resources.length === 0) return result;
  const entitlements = await listAllEntitlements(db);
  const people = await listAllPeople(db);
  const password = connectorPassword(dataDir);
  const admin = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await ensureRole(admin, DEMO_CONNECTOR_ROLE, `login password '${password}'`);
    for (const person of people) await ensureRole(admin, databaseUserFor(person.email), 'nologin');
    for (const resource of resources) {
      const variable = (resource.connectorConfig as { databaseUrlEnv?: string }).databaseUrlEnv;
      if (!variable) continue;
      if (env[variable]) {
        result.lines.push(`${resource.key}: ${variable} from your environment`);
        continue;
      }
      const database = `demo_${resource.key.replaceAll('-', '_')}`;
      const [found] = await admin`select 1 from pg_database where datname = ${database}`;
      if (!found) await admin.unsafe(`create database ${ident(database)}`);
      const roles = entitlements
        .filter((e) => e.resourceKey === resource.key)
        .map((e) => (e.connectorTarget as { role?: string }).role)
        .filter((role): role is string => typeof role === 'string');
      for (const role of roles) {
        await ensureRole(admin, role, 'nologin');
        await admin.unsafe(`grant ${ident(role)} to ${ident(DEMO_CONNECTOR_ROLE)} with admin option`);
      }
      let made = 0;
      for (const grant of await listActiveGrantsOfResource(db, resource.key)) {
        const role = (
          entitlements.find((e) => e.id === grant.entitlementId)?.connectorTarget as { role?: string }
        )?.role;
        if (grant.source !== 'import' || !role) continue;
        await admin.unsafe(`grant ${ident(role)} to ${ident(databaseUserFor(grant.holderEmail))}`);
        made += 1;
      }
      const url = new URL(ownerUrl);
      url.username = DEMO_CONNECTOR_ROLE;
      url.password = password;
      url.pathname = `/${database}`;
      env[variable] = url.toString();
      result.env[variable] = url.toString();
      result.lines.push(
        `${resource.key}: database ${database} (${roles.length} roles, ${made} imported grants held)`,
      );
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
  writeEnvFile(dataDir, result.env);
  log.debug({ resources: result.lines }, 'demo databases ready');
  return result;
}

async function ensureRole(sql: postgres.Sql, name: string, options: string): Promise<void> {
  const [found] = await sql`select 1 from pg_roles where rolname = ${name}`;
  if (!found) await sql.unsafe(`create role ${ident(name)} ${options}`);
}

/** Generated once per data directory, kept beside the other dev secrets (mode 0600). */
function connectorPassword(dataDir: string): string {
  const file = path.join(dataDir, 'demo-connector-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** `<dataDir>/demo-targets.env`, for a worker started on its own (`node --env-file`). */
function writeEnvFile(dataDir: string, env: Record<string, string>): void {
  const lines = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  writeFileSync(path.join(dataDir, 'demo-targets.env'), `${lines.join('\n')}\n`, { mode: 0o600 });
}
