import path from 'node:path';
import type { Config } from '../core/config.js';
import { StartupError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { connectTemporal } from '../temporal/connection.js';
import { startConfiguredDevServer } from '../temporal/dev-server.js';
import { ensureSearchAttributes } from '../temporal/search-attributes.js';
import { readStackState } from './state.js';

/** A Temporal frontend to talk to, and how to let go of it. */
export type TemporalEndpoint = {
  address: string;
  uiUrl: string | undefined;
  describe: string;
  stop(): Promise<void>;
};

/**
 * TEMPORAL_ADDRESS when set (start nothing); else the server of a running `grantflow dev`; else,
 * when `startDevServer`, a local dev server with its database under the data directory.
 * Search attributes are created in every case where they are missing.
 */
export async function openTemporal(
  config: Config,
  log: Logger,
  options: { startDevServer: boolean; ui?: boolean; joinRunningStack?: boolean },
): Promise<TemporalEndpoint> {
  const endpoint = await locate(config, log, options);
  try {
    const connection = await connectTemporal({ ...config, address: endpoint.address });
    try {
      const created = await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
      if (created.length > 0) log.info({ created }, 'created Temporal search attributes');
    } finally {
      await connection.close();
    }
  } catch (error) {
    // A managed namespace (Temporal Cloud) may refuse operator calls; workflows still run.
    log.warn({ err: error }, 'could not check or create the Temporal search attributes');
  }
  return endpoint;
}

async function locate(
  config: Config,
  log: Logger,
  options: { startDevServer: boolean; ui?: boolean; joinRunningStack?: boolean },
): Promise<TemporalEndpoint> {
  if (config.TEMPORAL_ADDRESS) {
    return {
      address: config.TEMPORAL_ADDRESS,
      uiUrl: undefined,
      describe: `TEMPORAL_ADDRESS (${config.TEMPORAL_ADDRESS})`,
      stop: async () => {},
    };
  }
  const running = options.joinRunningStack === false ? undefined : readStackState(config.dataDir);
  if (running) {
    return {
      address: running.temporalAddress,
      uiUrl: running.temporalUiUrl,
      describe: `the Temporal dev server of grantflow dev (pid ${running.pid})`,
      stop: async () => {},
    };
  }
  if (!options.startDevServer) {
    throw new StartupError(
      'no_temporal',
      'No Temporal server: set TEMPORAL_ADDRESS, or start the local stack with `grantflow dev` first.',
    );
  }
  const server = await startConfiguredDevServer(config, log, {
    dbFile: path.join(config.dataDir, 'temporal.db'),
    logFile: path.join(config.dataDir, 'temporal.log'),
    preferredPort: 7233,
    preferredUiPort: options.ui ? config.TEMPORAL_UI_PORT : undefined,
  });
  return {
    address: server.address,
    uiUrl: server.uiUrl,
    describe: `dev server ${server.describe}`,
    stop: server.stop,
  };
}
