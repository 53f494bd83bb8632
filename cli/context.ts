import { type Config, loadConfig } from '../core/config.js';
import { createLogger, type Logger } from '../core/logger.js';
import { connectDatabase, type DatabaseHandle } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { openDatabase } from '../dev/database.js';
import { readStackState } from '../dev/state.js';

/** Parsed configuration and a logger: what every command starts from. */
export type CliContext = { config: Config; log: Logger };

/**
 * Parses the environment once (a ConfigError stops the command with the variable named). A
 * command's stdout is its answer (a report, JSON, a token), so its logs go to stderr; the
 * long-running services (`api`, `worker`, `dev`) log to stdout, as services do.
 */
export function cliContext(logTo: 'stdout' | 'stderr' = 'stderr'): CliContext {
  const config = loadConfig();
  return { config, log: createLogger(config, 'grantflow', logTo) };
}

/**
 * Runs `work` against the database as the runtime role: DATABASE_URL, else the running
 * `grantflow dev`, else a short-lived embedded server on the data directory (migrated first).
 */
export async function withRuntimeDatabase<T>(
  context: CliContext,
  work: (database: DatabaseHandle) => Promise<T>,
): Promise<T> {
  const joining = !context.config.DATABASE_URL && readStackState(context.config.dataDir) !== undefined;
  const endpoint = await openDatabase(context.config, context.log, { startEmbedded: true });
  try {
    if (!context.config.DATABASE_URL && !joining)
      await migrateDatabase(endpoint.ownerUrl, endpoint.runtimeRole);
    const database = connectDatabase(endpoint.runtimeUrl, { max: 4, applicationName: 'grantflow-cli' });
    try {
      return await work(database);
    } finally {
      await database.close();
    }
  } finally {
    await endpoint.stop();
  }
}
