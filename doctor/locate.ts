// Where the services would connect, found the way `grantflow api` and `grantflow worker` find it
// but without starting, creating or migrating anything: the doctor looks, it does not repair.
import type { Config } from '../core/config.js';
import { readStackState } from '../dev/state.js';

/** The runtime role's URL and where it came from, or why there is none. */
export type DatabaseLocation =
  | { url: string; source: string; ownerUrlOnly: boolean }
  | { missing: string; fix: string };

/** The Temporal frontend's address and where it came from, or why there is none. */
export type TemporalLocation = { address: string; source: string } | { missing: string; fix: string };

/** DATABASE_RUNTIME_URL, else DATABASE_URL (the services then run as the owner), else a running `grantflow dev`. */
export function locateDatabase(config: Config): DatabaseLocation {
  if (config.DATABASE_RUNTIME_URL)
    return { url: config.DATABASE_RUNTIME_URL, source: 'DATABASE_RUNTIME_URL', ownerUrlOnly: false };
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, source: 'DATABASE_URL', ownerUrlOnly: true };
  const running = readStackState(config.dataDir);
  if (running)
    return { url: running.runtimeUrl, source: `grantflow dev (pid ${running.pid})`, ownerUrlOnly: false };
  return {
    missing: 'no database is configured: DATABASE_URL is unset and no `grantflow dev` is running here',
    fix: 'set DATABASE_URL (the owner, for migrations) and DATABASE_RUNTIME_URL (the role the services use), or start `grantflow dev`',
  };
}

/** TEMPORAL_ADDRESS, else the dev server of a running `grantflow dev`. */
export function locateTemporal(config: Config): TemporalLocation {
  if (config.TEMPORAL_ADDRESS) return { address: config.TEMPORAL_ADDRESS, source: 'TEMPORAL_ADDRESS' };
  const running = readStackState(config.dataDir);
  if (running) return { address: running.temporalAddress, source: `grantflow dev (pid ${running.pid})` };
  return {
    missing:
      'no Temporal server is configured: TEMPORAL_ADDRESS is unset and no `grantflow dev` is running here',
    fix: 'set TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE, TEMPORAL_API_KEY or TEMPORAL_TLS_* for a cluster or Temporal Cloud), or start `grantflow dev`',
  };
}
