import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { applyRuntimeRole } from './roles.js';

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Who the services will connect as after migrating; see DatabaseUrls. */
export type RuntimeRole = { name: string; password?: string };

/**
 * Applies pending migrations as the owner role, then (re)grants the runtime role its privileges.
 * Safe to run concurrently from several processes: migrations are serialised by an advisory lock.
 */
export async function migrateDatabase(ownerUrl: string, runtimeRole: RuntimeRole | undefined): Promise<void> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(hashtext('grantflow.migrate'))`;
    await migrate(drizzle(sql), { migrationsFolder, migrationsSchema: 'drizzle' });
    if (runtimeRole) {
      const [{ database }] = (await sql`select current_database() as database`) as unknown as [
        { database: string },
      ];
      await applyRuntimeRole(sql, runtimeRole, database);
    }
  } finally {
    await sql`select pg_advisory_unlock(hashtext('grantflow.migrate'))`.catch(() => undefined);
    await sql.end({ timeout: 5 });
  }
}
