// `npm run bench -- requests`: BENCH_REQUESTS (default 500) access requests filed at once through the
// real API, each approved by the requester's manager and then by the resource owner through the API,
// each ending in a real PostgreSQL role grant; beside a bare Temporal workflow of the same shape on
// the same server (bench/workflows/bare.ts).
//
// The driver talks HTTP to the API on a real port (fetch). Approvers act when the worker notifies
// them (the bench's notifier stands in for the Slack DM), as people do; `granted` is seen by
// polling the request rows, one query per tick for every request still waited on.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Context } from '@temporalio/activity';
import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import type postgres from 'postgres';
import type { Notifier } from '../notifications/port.js';
import { connectTemporal, connectWorker, type TemporalTarget } from '../temporal/connection.js';
import { installTemporalRuntime } from '../worker/runtime.js';
import { accessRequestWorkflowId } from '../workflows/ids.js';
import { benchDatabase, benchTeardown, benchTemporal, percentile, progress, reportRuns } from './harness.js';
import { type BenchRequester, startRequestBenchStack } from './requests-stack.js';
import { reportTaskTimings, taskTimings } from './workflow-history.js';
import { bareDecideUpdate, type bareRequest } from './workflows/bare.js';

const COUNT = Number(process.env.BENCH_REQUESTS ?? 500);
/** Runs of both sides; each figure is the median of the runs (BENCH_RUNS=1 for a quick look). */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Requests (and bare workflows) run before measuring, so JIT and connection set-up are not measured. */
const WARMUP = 10;
/** How often the driver looks at the rows it waits on; bounds the error of every `granted` time. */
const POLL_MS = 10;
/** Nothing that takes this long is still a benchmark: fail instead of hanging. */
const WAIT_TIMEOUT_MS = 600_000;

/** Times (performance.now(), ms) of one request or bare workflow, from filing to `granted`. */
type Trace = {
  workflowId: string;
  start: number;
  filed: number;
  firstNotified: number;
  firstDecided: number;
  lastNotified: number;
  lastDecided: number;
  /** Bare workflow only: when its last activity (the grant record's stand-in) ran. */
  lastActivity?: number;
  done: number;
};

/** One-shot signals by key that may fire before anyone waits on them; each resolves with its time. */
function latches() {
  const all = new Map<string, { promise: Promise<number>; resolve(at: number): void }>();
  const get = (key: string) => {
    let latch = all.get(key);
    if (!latch) {
      let resolve: (at: number) => void = () => {};
      const promise = new Promise<number>((r) => {
        resolve = r;
      });
      latch = { promise, resolve };
      all.set(key, latch);
    }
    return latch;
  };
  return {
    open: (key: string) => get(key).resolve(performance.now()),
    async wait(key: string): Promise<number> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${key}: nothing after ${WAIT_TIMEOUT_MS} ms`)),
          WAIT_TIMEOUT_MS,
        );
      });
      try {
        return await Promise.race([get(key).promise, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** A notifier that opens `<requestId>:<n>` when the n-th approval of a request is asked for. */
function approvalNotifier(notices: ReturnType<typeof latches>): Notifier {
  const asked = new Map<string, number>();
  return {
    async send(notification) {
      if (notification.kind !== 'approval_needed' || !notification.requestId) return;
      const n = (asked.get(notification.requestId) ?? 0) + 1;
      asked.set(notification.requestId, n);
      notices.open(`${notification.requestId}:${n}`);
    },
  };
}

/** Resolves when a request row is `granted`: one query per tick for every request waited on. */
function grantedWatcher(sql: postgres.Sql) {
  type Waiter = { since: number; resolve(at: number): void; reject(error: Error): void };
  const waiting = new Map<string, Waiter>();
  const dead = ['denied', 'cancelled', 'expired', 'provisioning_failed'];
  const look = async () => {
    if (waiting.size === 0) return;
    const rows = await sql<{ id: string; status: string; outcome: string | null }[]>`
      select id, status, outcome from access_requests where id = any(${sql.array([...waiting.keys()])}::uuid[])`;
    const at = performance.now();
    for (const row of rows) {
      const waiter = waiting.get(row.id);
      if (!waiter) continue;
      if (row.status === 'granted') {
        waiting.delete(row.id);
        waiter.resolve(at);
      } else if (dead.includes(row.status) || at - waiter.since > WAIT_TIMEOUT_MS) {
        waiting.delete(row.id);
        waiter.reject(new Error(`request ${row.id} is ${row.status} (${row.outcome ?? '-'}), not granted`));
      }
    }
  };
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        await look();
      } catch (error) {
        // The database is gone: fail every waiter rather than leave it hanging.
        for (const waiter of waiting.values()) waiter.reject(error as Error);
        waiting.clear();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();
  return {
    granted(id: string): Promise<number> {
      return new Promise((resolve, reject) => waiting.set(id, { since: performance.now(), resolve, reject }));
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}

async function post(url: string, token: string, body: unknown, expected: number): Promise<{ id?: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== expected) throw new Error(`POST ${url}: ${response.status} ${text}`);
  return JSON.parse(text) as { id?: string };
}

/** Reports every `step` completions on stderr, so a long run shows it is moving. */
function counter(label: string, total: number) {
  const step = Math.max(1, Math.min(100, Math.ceil(total / 5)));
  let done = 0;
  return () => {
    done += 1;
    if (done % step === 0 || done === total) progress(`${label}: ${done}/${total}`);
  };
}

/** Files, approves twice and waits for `granted`, for every requester at once. */
function runRequests(
  stack: { apiUrl: string; ownerToken: string },
  notices: ReturnType<typeof latches>,
  watcher: ReturnType<typeof grantedWatcher>,
  requesters: BenchRequester[],
  label: string,
): Promise<Trace[]> {
  const tick = counter(label, requesters.length);
  return Promise.all(
    requesters.map(async (requester) => {
      const start = performance.now();
      const created = await post(
        `${stack.apiUrl}/api/v1/requests`,
        requester.token,
        { resource: 'bench-db', entitlement: 'read', durationSeconds: 3_600, reason: 'bench' },
        201,
      );
      const filed = performance.now();
      const id = created.id ?? '';
      const decide = `${stack.apiUrl}/api/v1/requests/${id}/decisions`;
      const firstNotified = await notices.wait(`${id}:1`);
      await post(decide, requester.managerToken, { decision: 'approve' }, 200);
      const firstDecided = performance.now();
      const lastNotified = await notices.wait(`${id}:2`);
      await post(decide, stack.ownerToken, { decision: 'approve' }, 200);
      const lastDecided = performance.now();
      const done = await watcher.granted(id);
      tick();
      const workflowId = accessRequestWorkflowId(id);
      return { workflowId, start, filed, firstNotified, firstDecided, lastNotified, lastDecided, done };
    }),
  );
}

/** The bare workflow's worker and a client to drive it, on the bench's Temporal server. */
async function startBare(target: TemporalTarget) {
  const connection = await connectTemporal(target);
  const client = new Client({ connection, namespace: target.TEMPORAL_NAMESPACE });
  const nativeConnection = await connectWorker(target);
  const notices = latches();
  const taskQueue = `bench-bare-${randomUUID()}`;
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: target.TEMPORAL_NAMESPACE,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./workflows/bare.ts', import.meta.url)),
    activities: {
      async noop(step: string) {
        const workflowId = Context.current().info.workflowExecution?.workflowId;
        const asked = /^notify:approval_needed:(\d)$/.exec(step)?.[1];
        if (asked) notices.open(`${workflowId}:${asked}`);
        if (step === 'record-grant') notices.open(`${workflowId}:recorded`);
      },
    },
  }).catch(async (error: unknown) => {
    await nativeConnection.close();
    await connection.close();
    throw error;
  });
  const running = worker.run();
  return {
    /** Also reads the request workflows' histories: the same server and namespace. */
    client,
    run(count: number, label: string): Promise<Trace[]> {
      const tick = counter(label, count);
      const runId = randomUUID();
      return Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const workflowId = `bench-bare:${runId}:${i}`;
          const start = performance.now();
          const handle = await client.workflow.start<typeof bareRequest>('bareRequest', {
            workflowId,
            taskQueue,
          });
          const filed = performance.now();
          const firstNotified = await notices.wait(`${workflowId}:1`);
          await handle.executeUpdate(bareDecideUpdate, { args: ['manager'] });
          const firstDecided = performance.now();
          const lastNotified = await notices.wait(`${workflowId}:2`);
          await handle.executeUpdate(bareDecideUpdate, { args: ['owner'] });
          const lastDecided = performance.now();
          await handle.result();
          const done = performance.now();
          const lastActivity = await notices.wait(`${workflowId}:recorded`);
          tick();
          return {
            workflowId,
            start,
            filed,
            firstNotified,
            firstDecided,
            lastNotified,
            lastDecided,
            lastActivity,
            done,
          };
        }),
      );
    },
    async close() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
    },
  };
}

/** Completions per second, from the first start to the last completion. */
const perSecond = (traces: Trace[]) =>
  traces.length / ((Math.max(...traces.map((t) => t.done)) - Math.min(...traces.map((t) => t.start))) / 1000);
const lastDecisionToGranted = (traces: Trace[]) => traces.map((t) => t.done - t.lastDecided);

/** Where the time goes, per phase, on stderr. */
function breakdown(label: string, traces: Trace[], phases: [string, (t: Trace) => number][]): void {
  progress(`${label}, p50 / p99 ms per phase:`);
  for (const [name, of] of phases) {
    const values = traces.map(of);
    const p50 = percentile(values, 50).toFixed(0).padStart(6);
    progress(`  ${name.padEnd(38)} ${p50} / ${percentile(values, 99).toFixed(0)}`);
  }
}

/** One run's traces of both sides. */
type RunTraces = { bare: Trace[]; requests: Trace[] };

/** Request throughput and approval-to-grant latency, each beside a bare workflow of the same shape. */
export async function runRequestsBench(): Promise<void> {
  if (!Number.isInteger(COUNT) || COUNT < 1) {
    throw new Error(`BENCH_REQUESTS must be a positive whole number, got "${process.env.BENCH_REQUESTS}"`);
  }
  if (!Number.isInteger(RUNS) || RUNS < 1) {
    throw new Error(`BENCH_RUNS must be a positive whole number, got "${process.env.BENCH_RUNS}"`);
  }
  const teardown = benchTeardown();

  try {
    progress('starting PostgreSQL…');
    const database = await benchDatabase();
    teardown.add(database.close);
    const temporal = await benchTemporal();
    teardown.add(temporal.stop);
    progress(`Temporal: ${temporal.describe}`);
    installTemporalRuntime(pino({ level: 'warn' }, pino.destination(2)));

    // Everyone files once: a second request for access one already holds would be refused.
    const requesters = COUNT * RUNS + WARMUP;
    progress(`building the stack: ${requesters} requesters, target roles, worker, API…`);
    const notices = latches();
    const stack = await startRequestBenchStack({
      database,
      temporal: temporal.target,
      requesters,
      notifier: approvalNotifier(notices),
      terminateLeftovers: temporal.shared,
    });
    teardown.add(stack.close);
    const bare = await startBare(temporal.target);
    teardown.add(bare.close);
    const watcher = grantedWatcher(database.owner);
    teardown.add(watcher.stop);

    progress('warming up…');
    await bare.run(WARMUP, 'bare warm-up');
    await runRequests(stack, notices, watcher, stack.requesters.slice(COUNT * RUNS), 'requests warm-up');

    const runs: RunTraces[] = [];
    for (let run = 0; run < RUNS; run++) {
      const label = `run ${run + 1}/${RUNS}`;
      const cohort = stack.requesters.slice(run * COUNT, (run + 1) * COUNT);
      // Each side goes first in every other run, so a drift over the runs weighs on both alike.
      const sides = [
        async () => {
          progress(`${label}: bare workflow, ${COUNT} at once…`);
          return { bare: await bare.run(COUNT, 'bare completed') };
        },
        async () => {
          progress(`${label}: requests, ${COUNT} at once through the API…`);
          return { requests: await runRequests(stack, notices, watcher, cohort, 'requests granted') };
        },
      ];
      if (run % 2 === 1) sides.reverse();
      const traces = {};
      for (const side of sides) Object.assign(traces, await side());
      runs.push(traces as RunTraces);
      reportBreakdowns(label, traces as RunTraces);
    }

    const members = await stack.countMembers();
    if (members !== requesters) {
      throw new Error(`the target role has ${members} members, expected ${requesters}`);
    }
    // Where the last run's time went, by the server's clock: a sample of its workflows' histories.
    const last = runs.at(-1) as RunTraces;
    const sample = (traces: Trace[]) =>
      traces.filter((_, i) => i % Math.max(1, Math.floor(traces.length / 50)) === 0).map((t) => t.workflowId);
    reportTaskTimings('bare workflow', await taskTimings(bare.client, sample(last.bare)));
    reportTaskTimings('requests', await taskTimings(bare.client, sample(last.requests)));

    reportRuns({
      name: `requests granted, ${COUNT} at once (req/s)`,
      unit: 'req/s',
      baselineName: 'bare workflow',
      values: runs.map((r) => perSecond(r.requests)),
      baselines: runs.map((r) => perSecond(r.bare)),
    });
    for (const p of [50, 99]) {
      reportRuns({
        name: `last approval → granted, p${p} (ms)`,
        unit: 'ms',
        baselineName: 'bare workflow',
        values: runs.map((r) => percentile(lastDecisionToGranted(r.requests), p)),
        baselines: runs.map((r) => percentile(lastDecisionToGranted(r.bare), p)),
      });
    }
  } finally {
    await teardown.finish();
  }
}

/** Where one run's time went, per phase, on stderr. */
function reportBreakdowns(label: string, traces: RunTraces): void {
  breakdown(`${label}, bare workflow`, traces.bare, [
    ['start', (t) => t.filed - t.start],
    ['started → step 1 notify ran', (t) => t.firstNotified - t.filed],
    ['update 1', (t) => t.firstDecided - t.firstNotified],
    ['update 1 answered → step 2 notify ran', (t) => t.lastNotified - t.firstDecided],
    ['update 2', (t) => t.lastDecided - t.lastNotified],
    ['update 2 answered → last activity ran', (t) => (t.lastActivity ?? t.done) - t.lastDecided],
    ['update 2 answered → completed', (t) => t.done - t.lastDecided],
  ]);
  breakdown(`${label}, requests`, traces.requests, [
    ['POST /requests', (t) => t.filed - t.start],
    ['filed → manager notified', (t) => t.firstNotified - t.filed],
    ['manager approval (HTTP)', (t) => t.firstDecided - t.firstNotified],
    ['approved → owner notified', (t) => t.lastNotified - t.firstDecided],
    ['owner approval (HTTP)', (t) => t.lastDecided - t.lastNotified],
    ['owner approval answered → granted seen', (t) => t.done - t.lastDecided],
  ]);
}
