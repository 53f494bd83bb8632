import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema.js';

/** The typed database handle every query function takes first. */
export type Database = PostgresJsDatabase<typeof schema>;
/** A transaction handle: query functions accept it wherever they accept `Database`. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Either a database or an open transaction, so queries compose inside transactions. */
export type Executor = Database | Transaction;

/** A pool plus its drizzle handle; close it when the process stops. */
export type DatabaseHandle = {
  db: Database;
  sql: postgres.Sql;
  close(): Promise<void>;
};

/** Opens a connection pool. Notices (e.g. "already exists, skipping") are not logged. */
export function connectDatabase(
  url: string,
  options: { max?: number; applicationName?: string } = {},
): DatabaseHandle {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? 'grantflow' },
  });
  const db = drizzle(sql, { schema, casing: 'snake_case' });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

/** The database's reachability, for /readyz. */
export async function pingDatabase(sql: postgres.Sql): Promise<void> {
  await sql`select 1`;
}

/**
 * The role this pool logs in as. The API and the CLI connect as the runtime role, so this is the
 * role whose grants `audit verify` must find narrow, whatever DATABASE_RUNTIME_URL named it.
 */
export async function currentRole(sql: postgres.Sql): Promise<string> {
  const [row] = await sql<{ role: string }[]>`select current_user as role`;
  return row?.role ?? '';
}
