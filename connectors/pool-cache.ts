// One small connection pool per target URL, opened on first use and closed together when the
// worker stops: what every SQL connector keeps, whatever its driver.
import { ConnectorError } from './connector.js';

/** Pools by target URL. */
export type PoolCache<Pool> = {
  get(url: string): Pool;
  close(): Promise<void>;
};

/** A cache that opens a pool with `open` and ends each with `end` on close. */
export function createPoolCache<Pool>(
  open: (url: string) => Pool,
  end: (pool: Pool) => Promise<void>,
): PoolCache<Pool> {
  const pools = new Map<string, Pool>();
  let closed = false;
  return {
    get(url) {
      // The worker is stopping; another worker will take the retried activity.
      if (closed)
        throw new ConnectorError('connector_unavailable', 'connectors are closed (worker stopping)');
      let pool = pools.get(url);
      if (!pool) {
        pool = open(url);
        pools.set(url, pool);
      }
      return pool;
    },
    async close() {
      closed = true;
      const all = [...pools.values()];
      pools.clear();
      await Promise.all(all.map(end));
    },
  };
}

/**
 * The database URL a resource's `databaseUrlEnv` names, checked to be one of `protocols`. A
 * missing or wrong value is `connector_misconfigured`, naming the variable, never the value (the
 * URL carries a password).
 */
export function databaseUrlFrom(
  env: Record<string, string | undefined>,
  config: { resourceKey: string; databaseUrlEnv: string },
  kind: { label: string; protocols: RegExp },
): string {
  const url = env[config.databaseUrlEnv];
  const details = { details: { resource: config.resourceKey, variable: config.databaseUrlEnv } };
  if (!url) {
    throw new ConnectorError(
      'connector_misconfigured',
      `resource ${config.resourceKey}: environment variable ${config.databaseUrlEnv} (its database URL) is not set`,
      details,
    );
  }
  if (!URL.canParse(url) || !kind.protocols.test(new URL(url).protocol)) {
    throw new ConnectorError(
      'connector_misconfigured',
      `resource ${config.resourceKey}: environment variable ${config.databaseUrlEnv} is not a ${kind.label} URL`,
      details,
    );
  }
  return url;
}
