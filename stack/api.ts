import { buildServer } from '../api/server.js';
import { loadLedgerKeys } from '../audit/keys.js';
import type { Config } from '../core/config.js';
import { StartupError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { connectDatabase } from '../db/client.js';
import { connectClient } from '../temporal/connection.js';
import { auditExportDir } from './worker.js';

/** A listening API server. */
export type RunningApi = { url: string; close(): Promise<void> };

/** Connects to PostgreSQL (runtime role) and Temporal, then listens on HOST:PORT. */
export async function startApi(
  config: Config,
  log: Logger,
  endpoints: { runtimeUrl: string; temporalAddress: string },
): Promise<RunningApi> {
  const database = connectDatabase(endpoints.runtimeUrl, { applicationName: 'grantflow-api' });
  const temporal = await connectClient({ ...config, address: endpoints.temporalAddress });
  const app = await buildServer(
    {
      config,
      db: database.db,
      sql: database.sql,
      temporal,
      ledger: { verifiers: loadLedgerKeys(config, log).verifiers, exportDir: auditExportDir(config) },
    },
    log.child({ component: 'api' }),
  );
  try {
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (error) {
    await Promise.allSettled([app.close(), database.close(), temporal.connection.close()]);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new StartupError(
        'port_in_use',
        `Port ${config.PORT} on ${config.HOST} is already in use (another grantflow?). Stop that process or set PORT.`,
        error,
      );
    }
    throw error;
  }
  return {
    url: `http://${config.HOST}:${config.PORT}`,
    async close() {
      await app.close();
      await Promise.allSettled([database.close(), temporal.connection.close()]);
    },
  };
}
