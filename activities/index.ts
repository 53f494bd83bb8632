import type postgres from 'postgres';
import type { Logger } from '../core/logger.js';
import type { Database } from '../db/client.js';
import { type AuditActivityDeps, createAuditActivities } from './audit.js';

/** Everything activities may touch, injected so tests can pass their own (STYLE: dependency injection). */
export type ActivityDeps = {
  db: Database;
  sql: postgres.Sql;
  log: Logger;
  ledger: AuditActivityDeps['ledger'];
};

/**
 * All activities, grouped by domain factory. Workflows proxy `ReturnType<typeof createActivities>`.
 * The domains (requests, connectors, campaigns) add their factories here as they land.
 */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createAuditActivities(deps),
  };
}

/** The activity interface workflows proxy. */
export type Activities = ReturnType<typeof createActivities>;
