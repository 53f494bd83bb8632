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
