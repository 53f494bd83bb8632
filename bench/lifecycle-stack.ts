// What the parts of `npm run bench -- lifecycle` share: a teardown of each part's own inside the
// suite's (a part cleans up as soon as it ends, and Ctrl-C still reaches it), the real worker as
// `grantflow worker` assembles it (its audit sequencer and notification deliverer beside it) on a
// task queue of its own, and lanes of concurrent clients pulling from one queue.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { startSequencer } from '../audit/sequencer-loop.js';
import { generateSignerKey, parseSignerKey, parseVerifierKey } from '../audit/signed-note.js';
import type { Connectors } from '../connectors/index.js';
import { type Config, loadConfig } from '../core/config.js';
import { createTeardown, reportToStderr, type Teardown } from '../core/teardown.js';
import { connectDatabase, type DatabaseHandle } from '../db/client.js';
import { startDeliverer } from '../notifications/deliverer.js';
import { createOutboxNotifier } from '../notifications/outbox.js';
import { connectClient, connectWorker, type TemporalTarget } from '../temporal/connection.js';
import { deliverySettings } from '../worker/main.js';
import { createWorker } from '../worker/worker.js';
import { type BenchTeardown, progress } from './harness.js';

/** The Temporal server every part runs on (benchTemporal's). */
export type LifecycleTemporal = { target: TemporalTarget };

// Other programs on the machine show in every figure: each part says how busy it was.
const loadAverage = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');

/** A whole number from the environment, or `fallback` when unset. */
export function sizeFromEnv(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number of at least ${min}, got "${raw}"`);
  }
  return value;
}

/**
 * Runs one part with a teardown of its own, stopped when the part ends (success or failure) and
 * registered with the suite's, so Ctrl-C mid-part stops what the part started.
 */
export async function runPart(
  suite: BenchTeardown,
  name: string,
  part: (teardown: Teardown) => Promise<void>,
): Promise<number> {
  const teardown = createTeardown(reportToStderr);
  suite.add(() => teardown.run(), name);
  const started = performance.now();
  progress(`-- ${name} (load average ${loadAverage()})`);
  try {
    await part(teardown);
  } finally {
    await teardown.run();
  }
  const seconds = (performance.now() - started) / 1000;
  progress(
    `-- ${name}: ${seconds.toFixed(1)} s including set-up and clean-up (load average ${loadAverage()})`,
  );
  return seconds;
}

/** Runs `run` over `items` from `lanes` concurrent clients pulling from one queue. */
export async function inLanes<T>(
  items: readonly T[],
  lanes: number,
  run: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(lanes, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await run(items[index] as T, index);
      }
    }),
  );
}

/** Reports every fifth of `total` on stderr, so a long phase shows it is moving. */
export function counter(label: string, total: number): () => void {
  const step = Math.max(1, Math.ceil(total / 5));
  let done = 0;
  return () => {
    done += 1;
    if (done % step === 0 || done === total) progress(`${label}: ${done}/${total}`);
  };
}

/**
 * Runs `wait` (calls through `client`) until it settles or `timeoutMs` passes (then it rejects
 * with `TimeoutError`). The teardown aborts it too, before the client closes: a call of it left
 * retrying would otherwise fire on a closed connection (see `withTeardownGuards`).
 */
export async function waitAtMost<T>(
  client: Client,
  teardown: Teardown,
  timeoutMs: number,
  wait: () => Promise<T>,
): Promise<T> {
  const abort = new AbortController();
  teardown.add(async () => abort.abort(new Error('the bench is stopping')), 'pending wait');
  const timer = setTimeout(() => abort.abort(new TimeoutError(timeoutMs)), timeoutMs);
  try {
    return await client.withAbortSignal(abort.signal, wait);
  } catch (error) {
    throw abort.signal.reason instanceof TimeoutError ? abort.signal.reason : error;
  } finally {
    clearTimeout(timer);
  }
}

/** Nothing that takes this long is still a benchmark. */
export class TimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`nothing after ${ms / 1000} s`);
  }
}

/**
 * Runs `work` so that the teardown a signal starts can finish:
 * - a repeated SIGINT/SIGTERM is ignored: `tsx` relays the signal to this process itself when it
 *   does not hear back within 30 ms (easily missed on a busy machine), and the harness listens
 *   `once`, so the relayed copy would find no listener and tsx's own handler would exit at once;
 * - one uncaught error is tolerated, "Channel has been shut down": @temporalio/client retries a
 *   failed call from a timer (grpc-retry.ts), and a call still in flight when the teardown closes
 *   its connection (an activity's update as the worker stops) retries onto the closed channel.
 *   `waitAtMost` aborts the bench's own waits first; this covers the rest.
 * Any other uncaught error still ends the process.
 */
export async function withTeardownGuards(work: () => Promise<void>): Promise<void> {
  const ignoreRepeat = () => {};
  const onUncaught = (error: Error) => {
    if (error?.message === 'Channel has been shut down') return;
    process.stderr.write(`${error?.stack ?? String(error)}\n`);
    process.exit(1);
  };
  process.on('SIGINT', ignoreRepeat);
  process.on('SIGTERM', ignoreRepeat);
  process.on('uncaughtException', onUncaught);
  try {
    await work();
  } finally {
    process.off('SIGINT', ignoreRepeat);
    process.off('SIGTERM', ignoreRepeat);
    process.off('uncaughtException', onUncaught);
  }
}

/** The running worker and what a part drives it with. */
export type LifecycleWorker = {
  taskQueue: string;
  /** The client the worker's activities use, and the bench starts workflows with. */
  temporal: Client;
  /** The worker's pool (the runtime role), as `grantflow worker` connects it. */
  runtime: DatabaseHandle;
  config: Config;
};

const silent = pino({ level: 'silent' });

/**
 * The worker as `grantflow worker` runs it (worker/main.ts), minus the loops the bench drives
 * itself (imported lifetimes, leaver sweep): `createWorker` with the runtime role's pool, `connectors`,
 * the outbox notifier and its deliverer (to a channel that drops what it is given), and the audit
 * sequencer. Everything it starts is stopped by `teardown`.
 */
export async function startLifecycleWorker(input: {
  runtimeUrl: string;
  temporal: TemporalTarget;
  connectors: Connectors;
  teardown: Teardown;
}): Promise<LifecycleWorker> {
  const { teardown } = input;
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  const taskQueue = `bench-lifecycle-${randomUUID()}`;
  const runtime = connectDatabase(input.runtimeUrl, { applicationName: 'grantflow-worker' });
  teardown.add(runtime.close, 'worker pool');
  const generated = generateSignerKey('grantflow-bench');
  const keys = {
    signer: parseSignerKey(generated.signerKey),
    verifierKey: generated.verifierKey,
    verifiers: [parseVerifierKey(generated.verifierKey)],
  };
  const exportDir = mkdtempSync(path.join(os.tmpdir(), 'grantflow-bench-checkpoints-'));
  teardown.add(async () => rmSync(exportDir, { recursive: true, force: true }), 'checkpoint folder');
  const deliverer = startDeliverer({
    db: runtime.db,
    notifier: { send: async () => {} },
    channel: 'bench',
    log: silent,
    settings: deliverySettings(config),
  });
  teardown.add(deliverer.stop, 'deliverer');
  const connection = await connectWorker(input.temporal);
  teardown.add(() => connection.close(), 'worker connection');
  const temporal = await connectClient(input.temporal);
  teardown.add(() => temporal.connection.close(), 'worker client');
  const worker = await createWorker({
    connection,
    namespace: input.temporal.TEMPORAL_NAMESPACE,
    taskQueue,
    deps: {
      db: runtime.db,
      sql: runtime.sql,
      log: silent,
      ledger: { keys, origin: 'bench.grantflow/audit', exportDir },
      connectors: input.connectors,
      notifier: createOutboxNotifier(runtime.db, deliverer.wake),
      temporal,
    },
  });
  const running = worker.run();
  teardown.add(async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  }, 'worker');
  // Before the worker stops: an activity waiting on an update that only this worker would run (a
  // leaver revoking a lifetime) never returns once it stops polling, and `shutdown` waits for it;
  // and a server that outlives the bench would keep what a failed part left open. Nothing is open
  // on this queue after a part that succeeded.
  teardown.add(async () => {
    const open: string[] = [];
    const query = `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`;
    for await (const execution of temporal.workflow.list({ query })) open.push(execution.workflowId);
    await inLanes(open, 16, async (id) => {
      await temporal.workflow
        .getHandle(id)
        .terminate('grantflow bench stopped')
        .catch(() => undefined);
    });
  }, 'open workflows');
  const sequencer = await startSequencer(runtime.sql, silent);
  teardown.add(sequencer.stop, 'audit sequencer');
  return { taskQueue, temporal, runtime, config };
}
