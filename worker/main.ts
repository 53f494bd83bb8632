import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadLedgerKeys } from '../audit/keys.js';
import { startSequencer } from '../audit/sequencer-loop.js';
import { createConnectors } from '../connectors/index.js';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { connectDatabase, type Database } from '../db/client.js';
import { type StartLifetimesDeps, startImportedGrantLifetimes } from '../grants/start-lifetimes.js';
import { sweepBirthright } from '../identity/birthright.js';
import { startPendingLeavers } from '../identity/leaver.js';
import { startPendingMovers } from '../identity/mover.js';
import { type DelivererDeps, type DeliverySettings, startDeliverer } from '../notifications/deliverer.js';
import { createLogNotifier } from '../notifications/log.js';
import { createOutboxNotifier } from '../notifications/outbox.js';
import { startStrandedRequests } from '../requests/start-stranded.js';
import { createAlertPoster } from '../slack/alerts.js';
import { createSlackClient, slackSettings } from '../slack/client.js';
import { createSlackDirectory } from '../slack/identity.js';
import { createSlackNotifier } from '../slack/notifier.js';
import { connectClient, connectWorker, type TemporalClient } from '../temporal/connection.js';
import {
  ensureCheckpointSchedule,
  ensureLogReviewSchedule,
  ensureReconciliationSchedule,
} from '../temporal/schedules.js';
import { retireSharedSchedules } from '../temporal/shared-schedules.js';
import { installTemporalRuntime } from './runtime.js';
import { createWorker } from './worker.js';

/** A polling worker; `stop()` drains in-flight tasks and closes connections. */
export type RunningWorker = { done: Promise<void>; stop(): Promise<void> };

/** Where exported checkpoints go: GRANTFLOW_AUDIT_EXPORT_DIR, else `<data dir>/audit-checkpoints`. */
export function auditExportDir(config: Config): string {
  return config.GRANTFLOW_AUDIT_EXPORT_DIR ?? path.join(config.dataDir, 'audit-checkpoints');
}

/** Where evidence packs are kept: GRANTFLOW_EVIDENCE_DIR, else `<data dir>/evidence` (API and worker share it). */
function evidenceDir(config: Config): string {
  return config.GRANTFLOW_EVIDENCE_DIR ?? path.join(config.dataDir, 'evidence');
}

/** Slack DMs when Slack is configured, else the log: what the deliverer hands the outbox to. */
function createChannel(
  config: Config,
  db: Database,
  log: Logger,
): Pick<DelivererDeps, 'notifier' | 'channel' | 'alert' | 'probe'> {
  const settings = slackSettings(config);
  if (!settings) return { notifier: createLogNotifier(log), channel: 'log' };
  // The outbox retries durably, so every Slack call fails fast instead of retrying inside.
  const client = createSlackClient(settings, log, { failFast: true });
  const alert = createAlertPoster(client, settings.alertChannel, log, { retryable: true });
  return {
    notifier: createSlackNotifier({
      db,
      client,
      directory: createSlackDirectory(db, client, log),
      alert,
      log,
      config: { publicUrl: config.publicUrl },
    }),
    channel: 'Slack',
    alert: (a) => alert({ ...a, severity: 'warning' }),
    // api.test needs no scope: it only says whether Slack answers.
    probe: async () => {
      await client.api.test();
    },
  };
}

/** The deliverer's pacing from the configuration. */
export function deliverySettings(config: Config): DeliverySettings {
  return {
    pollMs: 1_000,
    retryMaxMs: config.GRANTFLOW_NOTIFY_RETRY_MAX_SECONDS * 1000,
    alertAfterMs: config.GRANTFLOW_NOTIFY_ALERT_AFTER_SECONDS * 1000,
  };
}

/** How often the worker looks for grants that have no lifetime workflow yet, and sweeps birthright access. */
const LIFETIME_POLL_MS = 5_000;

/**
 * Now and every few seconds, until stopped: grants and revokes birthright access as the rules and
 * the directory now say, hands grants recorded without a lifetime workflow (imported, adopted,
 * birthright) to one, and starts the workflows of leavers and movers not yet handled and of
 * requests an API recorded but stopped before starting. Each step
 * finds nothing to do, in a query or two, when nothing changed.
 */
function startLifetimeLoop(
  deps: StartLifetimesDeps,
  settings: { leaverSlaSeconds: number; moverReviewSeconds: number },
  log: Logger,
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const pass = async () => {
    // First, so that the grants it records get their lifetime (and provisioning) in this pass; on
    // its own, so that a failing sweep never holds up leavers.
    try {
      const birthright = await sweepBirthright(deps);
      if (birthright.granted + birthright.revoked > 0)
        log.info(
          birthright,
          `birthright access: ${birthright.granted} granted, ${birthright.revoked} revoked as the rules no longer apply`,
        );
    } catch (error) {
      log.warn({ err: error }, 'sweeping birthright access failed; trying again shortly');
    }
    try {
      let started = 0;
      for (let batch = -1; batch !== 0 && !stopped; started += batch) {
        batch = await startImportedGrantLifetimes(deps);
      }
      if (started > 0) log.info({ started }, `started the lifetime of ${started} grants`);
      const leavers = await startPendingLeavers({ ...deps, slaSeconds: settings.leaverSlaSeconds });
      if (leavers > 0) log.info({ leavers }, `started removing the access of ${leavers} people who left`);
      const movers = await startPendingMovers({ ...deps, reviewSeconds: settings.moverReviewSeconds });
      if (movers > 0)
        log.info({ movers }, `started looking again at the access of ${movers} people who moved`);
      const stranded = await startStrandedRequests(deps);
      if (stranded > 0)
        log.warn(
          { stranded },
          `started the workflow of ${stranded} requests recorded without one (the API stopped in between)`,
        );
    } catch (error) {
      log.warn(
        { err: error },
        'starting grant lifetimes, leavers, movers or stranded requests failed; trying again shortly',
      );
    }
    if (!stopped) timer = setTimeout(() => (running = pass()), LIFETIME_POLL_MS);
  };
  running = pass();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/**
 * Makes sure this deployment's schedules (keyed by its task queue) are as configured. Every worker
 * of the deployment does this on start; only the first creates them and only a changed
 * configuration updates them, so several workers never churn them and another deployment in
 * the namespace is never touched.
 */
async function ensureDeploymentSchedules(client: TemporalClient, config: Config, log: Logger): Promise<void> {
  const taskQueue = config.TEMPORAL_TASK_QUEUE;
  const retired = await retireSharedSchedules(client, taskQueue);
  if (retired.length > 0)
    log.info({ retired }, 'retired the schedules shared by every deployment of the namespace');
  const checkpoint = await ensureCheckpointSchedule(client, {
    taskQueue,
    everySeconds: config.GRANTFLOW_AUDIT_CHECKPOINT_SECONDS,
  });
  const reconciliation = await ensureReconciliationSchedule(client, {
    taskQueue,
    everySeconds: config.GRANTFLOW_RECONCILE_EVERY_SECONDS,
  });
  await ensureLogReviewSchedule(client, {
    taskQueue,
    cron: config.GRANTFLOW_LOG_REVIEW_CRON,
    template: {
      reviewerGroup: config.GRANTFLOW_LOG_REVIEW_GROUP,
      dueDays: config.GRANTFLOW_LOG_REVIEW_DUE_DAYS,
    },
  });
  log.info({ taskQueue, checkpoint, reconciliation }, 'schedules of this deployment checked');
}

/**
 * Starts the Temporal worker on TEMPORAL_TASK_QUEUE with activities bound to the runtime role,
 * the audit sequencer beside it, and makes sure the checkpoint, reconciliation and monthly log
 * review schedules exist as configured.
 */
export async function startWorker(
  config: Config,
  log: Logger,
  endpoints: { runtimeUrl: string; temporalAddress: string },
): Promise<RunningWorker> {
  const workerLog = log.child({ component: 'worker' });
  installTemporalRuntime(workerLog);
  const keys = loadLedgerKeys(config, workerLog);
  // Exists from the first start, so `audit verify` finds it before the first checkpoint is sealed.
  mkdirSync(auditExportDir(config), { recursive: true });
  const database = connectDatabase(endpoints.runtimeUrl, { applicationName: 'grantflow-worker' });
  const connectors = createConnectors(process.env);
  const notificationLog = workerLog.child({ component: 'notifications' });
  const deliverer = startDeliverer({
    db: database.db,
    ...createChannel(config, database.db, notificationLog),
    log: notificationLog,
    settings: deliverySettings(config),
  });
  const connection = await connectWorker({ ...config, address: endpoints.temporalAddress });
  // Kept for the worker's life: campaign activities send updates to grant workflows.
  const client = await connectClient({ ...config, address: endpoints.temporalAddress });
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    deps: {
      db: database.db,
      sql: database.sql,
      log: workerLog,
      ledger: { keys, origin: config.GRANTFLOW_AUDIT_ORIGIN, exportDir: auditExportDir(config) },
      evidenceDir: evidenceDir(config),
      // Target URLs and secrets are named by the catalog and read from the environment per call.
      connectors,
      // Workflows only write to the outbox; the deliverer above talks to Slack.
      notifier: createOutboxNotifier(database.db, deliverer.wake),
      temporal: client,
    },
  });
  await ensureDeploymentSchedules(client, config, workerLog);
  const sequencer = await startSequencer(database.sql, workerLog.child({ component: 'audit-sequencer' }));
  const lifetimes = startLifetimeLoop(
    {
      db: database.db,
      temporal: client,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      provisioningRetry: {
        maximumAttempts: config.GRANTFLOW_PROVISION_ATTEMPTS,
        initialIntervalMs: config.GRANTFLOW_PROVISION_RETRY_MS,
        maximumIntervalMs: config.GRANTFLOW_PROVISION_RETRY_MAX_MS,
        attemptTimeoutMs: config.GRANTFLOW_PROVISION_ATTEMPT_TIMEOUT_MS,
      },
    },
    {
      leaverSlaSeconds: config.GRANTFLOW_LEAVER_SLA_SECONDS,
      moverReviewSeconds: config.GRANTFLOW_MOVER_REVIEW_SECONDS,
    },
    workerLog.child({ component: 'grant-lifetimes' }),
  );
  const done = worker.run().finally(async () => {
    await lifetimes.stop();
    await deliverer.stop();
    await sequencer.stop();
    await connectors.close();
    await client.connection.close();
    await connection.close();
    await database.close();
  });
  workerLog.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker polling; audit sequencer running');
  return {
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
