// PostgreSQL, reached the way the services reach it: as the runtime role, on a migrated schema.
import postgres from 'postgres';
import { redact } from '../../dev/database.js';
import { type CheckOutcome, failed, messageOf, passed } from '../check.js';
import type { DatabaseLocation } from '../locate.js';

/** DESIGN: any PostgreSQL ≥ 15. */
const MIN_VERSION = 150_000;

/** The outcome, and the open runtime connection when there is one to check further with. */
export type DatabaseProbe = { outcome: CheckOutcome; sql?: postgres.Sql };

type ServerRow = { role: string; database: string; version: number; versionText: string; migrated: boolean };

/** Connects as the runtime role and checks the server's version and that migrations ran. */
export async function probeDatabase(location: DatabaseLocation): Promise<DatabaseProbe> {
  if ('missing' in location) return { outcome: failed(location.missing, location.fix) };
  const sql = postgres(location.url, {
    max: 2,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { application_name: 'grantflow-doctor' },
  });
  let server: ServerRow | undefined;
  try {
    [server] = await sql<ServerRow[]>`
      select current_user as role, current_database() as database,
             current_setting('server_version_num')::int as version,
             current_setting('server_version') as "versionText",
             to_regclass('public.audit_ledger') is not null as migrated`;
  } catch (error) {
    await sql.end({ timeout: 1 });
    return {
      outcome: failed(
        `cannot connect to ${redact(location.url)} (from ${location.source}): ${messageOf(error)}`,
        `check ${location.source}: host, port, database, role and password, and that PostgreSQL accepts ` +
          'connections from this host (`grantflow migrate` creates the runtime role)',
      ),
    };
  }
  const where = `${server!.role}@${server!.database} (PostgreSQL ${server!.versionText}, from ${location.source})`;
  if (server!.version < MIN_VERSION) {
    return {
      outcome: failed(
        `${where}: grantflow needs PostgreSQL 15 or later`,
        'upgrade the server to PostgreSQL ≥ 15',
      ),
      sql,
    };
  }
  if (!server!.migrated) {
    await sql.end({ timeout: 1 });
    return {
      outcome: failed(
        `${where}: the schema is not migrated (no audit_ledger table)`,
        'run `grantflow migrate` with DATABASE_URL set to the owner role (and DATABASE_RUNTIME_URL to the runtime role)',
      ),
    };
  }
  return { outcome: passed(`connected as ${where}`), sql };
}
