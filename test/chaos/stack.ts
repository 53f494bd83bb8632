// The whole production shape on one machine, every piece killable: the suite's own PostgreSQL and
// Temporal dev server, the schema migrated with the least-privilege runtime role, the
// organisation, two `grantflow worker` processes and one `grantflow api`, all real processes.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { temporal as temporalProto } from '@temporalio/proto';
import pino from 'pino';
import postgres from 'postgres';
import type { Logger } from '../../core/logger.js';
import { findFreePort, waitUntil } from '../../core/net.js';
import { createTeardown, type Teardown } from '../../core/teardown.js';
import { connectDatabase } from '../../db/client.js';
import { migrateDatabase } from '../../db/migrate.js';
import { connectClient, type TemporalClient } from '../../temporal/connection.js';
import { testLedgerKeys } from '../helpers/audit.js';
import { createOrganisation, type Organisation } from './organisation.js';
import { type Supervised, supervise } from './processes.js';
import {
  type ChaosPostgres,
  type ChaosTemporal,
  startChaosPostgres,
  startChaosTemporal,
} from './services.js';

const TASK_QUEUE = 'chaos';

/** The running stack. */
export type ChaosStack = {
  postgres: ChaosPostgres;
  temporal: ChaosTemporal;
  workers: Supervised[];
  api: Supervised;
  apiUrl: string;
  org: Organisation;
  /** Owner connection to the application database, for the assertions (reconnects after a kill). */
  owner: postgres.Sql;
  /** The environment `grantflow` commands run with (the CLI's `audit verify` too). */
  env: Record<string, string>;
  /** A Temporal client of the suite's own (lazy: reconnects after the server comes back). */
  temporalClient(): Promise<TemporalClient>;
  /** Whether the worker process `pid` is polling the task queue. */
  polling(pid: number): Promise<boolean>;
  /** Whether the API answers /healthz. */
  apiAnswers(): Promise<boolean>;
  close(): Promise<void>;
};

/** Starts everything under a fresh scratch folder; `close()` stops it all and deletes the folder. */
export async function startChaosStack(sizes: {
  requesters: number;
  legacyHolders: number;
}): Promise<ChaosStack> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'grantflow-chaos-'));
  const log = pino({ level: 'warn' });
  const teardown = createTeardown({
    failed: (error, name) => log.error({ err: error }, `stopping ${name} failed`),
  });
  teardown.add(async () => {
    // GRANTFLOW_CHAOS_KEEP=1 keeps the logs and data of a run for a post-mortem.
    if (process.env.GRANTFLOW_CHAOS_KEEP) console.log(`chaos run kept in ${scratch}`);
    else rmSync(scratch, { recursive: true, force: true });
  }, 'the scratch folder');
  try {
    return await startIn(scratch, log, teardown, sizes);
  } catch (error) {
    await teardown.run();
    throw error;
  }
}

async function startIn(
  scratch: string,
  log: Logger,
  teardown: Teardown,
  sizes: { requesters: number; legacyHolders: number },
): Promise<ChaosStack> {
  const pg = await startChaosPostgres(path.join(scratch, 'postgres'), log);
  teardown.add(async () => {
    await pg.stop();
    // As root the cluster lives outside the scratch folder, in a holder folder of this run's own
    // under the shared folder (see db/embedded.ts): remove that holder with it.
    const outside = !pg.pgData.startsWith(`${scratch}${path.sep}`);
    if (outside && !process.env.GRANTFLOW_CHAOS_KEEP)
      rmSync(path.dirname(pg.pgData), { recursive: true, force: true });
  }, 'PostgreSQL');
  const temporal = await startChaosTemporal(path.join(scratch, 'temporal'), log);
  teardown.add(temporal.stop, 'Temporal');
  await migrateDatabase(pg.ownerUrl, pg.runtimeRole);
  const runtime = connectDatabase(pg.runtimeUrl, { max: 2, applicationName: 'chaos-setup' });
  const org = await createOrganisation(runtime.db, pg.ownerUrl, pg.logFile, sizes).finally(() =>
    runtime.close(),
  );

  const keys = testLedgerKeys('grantflow-chaos');
  const port = await findFreePort();
  const appDir = path.join(scratch, 'app');
  mkdirSync(appDir, { recursive: true });
  const env: Record<string, string> = {
    ...org.connectorEnv,
    LOG_LEVEL: 'warn',
    GRANTFLOW_DATA_DIR: appDir,
    GRANTFLOW_AUDIT_EXPORT_DIR: path.join(appDir, 'audit-checkpoints'),
    GRANTFLOW_AUDIT_SIGNING_KEY: keys.signerKey,
    GRANTFLOW_AUDIT_CHECKPOINT_SECONDS: '15',
    DATABASE_URL: pg.ownerUrl,
    DATABASE_RUNTIME_URL: pg.runtimeUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    HOST: '127.0.0.1',
    PORT: String(port),
    // Outages here last seconds: retry a target often and for long rather than give up.
    GRANTFLOW_PROVISION_ATTEMPTS: '200',
    GRANTFLOW_PROVISION_RETRY_MS: '500',
    GRANTFLOW_PROVISION_RETRY_MAX_MS: '3000',
    GRANTFLOW_PROVISION_ATTEMPT_TIMEOUT_MS: '15000',
    // Nothing but the load touches the target or the ledger.
    GRANTFLOW_RECONCILE_EVERY_SECONDS: '0',
    GRANTFLOW_LOG_REVIEW_CRON: 'off',
  };
  const owner = postgres(pg.ownerUrl, { max: 2, onnotice: () => {}, connect_timeout: 2 });
  teardown.add(() => owner.end({ timeout: 2 }), 'the owner connection');
  let client: TemporalClient | undefined;
  const temporalClient = async () => {
    client ??= await connectClient({ address: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace });
    return client;
  };
  teardown.add(async () => client?.connection.close(), 'the Temporal client');
  const workers = [1, 2].map((n) =>
    supervise(`worker ${n}`, 'worker', env, path.join(scratch, `worker-${n}.log`)),
  );
  const api = supervise('api', 'api', env, path.join(scratch, 'api.log'));
  teardown.add(
    () => Promise.all([api.stop(), ...workers.map((w) => w.stop())]),
    'the worker and API processes',
  );
  const apiUrl = `http://127.0.0.1:${port}`;

  const polling = async (pid: number) => {
    const c = await temporalClient();
    const { pollers } = await c.workflowService.describeTaskQueue({
      namespace: temporal.namespace,
      taskQueue: { name: TASK_QUEUE },
      taskQueueType: temporalProto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    });
    return pollers.some((poller) => poller.identity?.startsWith(`${pid}@`));
  };
  const apiAnswers = async () => {
    try {
      return (await fetch(`${apiUrl}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok;
    } catch {
      return false;
    }
  };

  for (const worker of workers) worker.start();
  api.start();
  try {
    await waitUntil(apiAnswers, { timeoutMs: 120_000, intervalMs: 250 });
    for (const worker of workers) {
      await waitUntil(async () => polling(worker.pid() ?? 0), { timeoutMs: 180_000, intervalMs: 500 });
    }
  } catch (error) {
    const tails = [api, ...workers].map((p) => `${p.name}:\n${p.tail()}`).join('\n');
    throw new Error(`the chaos stack did not come up: ${(error as Error).message}\n${tails}`);
  }
  const stack: ChaosStack = {
    postgres: pg,
    temporal,
    workers,
    api,
    apiUrl,
    org,
    owner,
    env,
    temporalClient,
    polling,
    apiAnswers,
    close: () => teardown.run(),
  };
  return stack;
}
