import type postgres from 'postgres';
import type { Connectors } from '../connectors/index.js';
import type { Logger } from '../core/logger.js';
import type { Database } from '../db/client.js';
import type { Notifier } from '../notifications/port.js';
import { type AuditActivityDeps, createAuditActivities } from './audit.js';
import { createGrantActivities } from './grants.js';
import { createNotifyActivities } from './notify.js';
import { createProvisioningActivities } from './provisioning.js';
import { createRequestActivities } from './requests.js';

/** Everything activities may touch, injected so tests can pass their own (STYLE: dependency injection). */
export type ActivityDeps = {
  db: Database;
  sql: postgres.Sql;
  log: Logger;
  ledger: AuditActivityDeps['ledger'];
  connectors: Connectors;
  notifier: Notifier;
};

/**
 * All activities, grouped by domain factory. Workflows proxy `ReturnType<typeof createActivities>`.
 */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createAuditActivities(deps),
    ...createRequestActivities(deps),
    ...createProvisioningActivities(deps),
    ...createGrantActivities(deps),
    ...createNotifyActivities(deps),
  };
}

/** The activity interface workflows proxy. */
export type Activities = ReturnType<typeof createActivities>;
