// What activities may touch, injected so tests can pass their own (STYLE: dependency injection).
// On its own so that an activity module can name it without importing the index that gathers them.
import type { Client } from '@temporalio/client';
import type postgres from 'postgres';
import type { Connectors } from '../connectors/index.js';
import type { Logger } from '../core/logger.js';
import type { Database } from '../db/client.js';
import type { Notifier } from '../notifications/port.js';
import type { AuditActivityDeps } from './audit.js';

/** Everything activities may touch. */
export type ActivityDeps = {
  db: Database;
  sql: postgres.Sql;
  log: Logger;
  ledger: AuditActivityDeps['ledger'];
  connectors: Connectors;
  notifier: Notifier;
  /** Where built evidence packs are kept; without it, packs cannot be built here. */
  evidenceDir?: string;
  /** Reaches other workflows (a campaign revokes through each grant's lifetime workflow). */
  temporal?: Client;
};
