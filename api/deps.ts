import type { Client } from '@temporalio/client';
import type postgres from 'postgres';
import type { Config } from '../core/config.js';
import type { Database } from '../db/client.js';

/** What route handlers may use; passed in, never imported as globals. */
export type ApiDeps = {
  config: Pick<Config, 'TEMPORAL_TASK_QUEUE' | 'TEMPORAL_NAMESPACE'>;
  db: Database;
  sql: postgres.Sql;
  temporal: Client;
};
