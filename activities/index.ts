import type { Logger } from '../core/logger.js';
import type { Database } from '../db/client.js';

/** Everything activities may touch, injected so tests can pass their own (STYLE: dependency injection). */
export type ActivityDeps = {
  db: Database;
  log: Logger;
};

/**
 * All activities, grouped by domain factory. Workflows proxy `ReturnType<typeof createActivities>`.
 * The domains (audit, requests, connectors, campaigns) add their factories here as they land.
 */
export function createActivities(_deps: ActivityDeps) {
  return {};
}

/** The activity interface workflows proxy. */
export type Activities = ReturnType<typeof createActivities>;
