// `npm run bench -- worker`: a real `grantflow worker` process (the Temporal worker on the prebuilt
// workflow bundle, its activities' pools, the audit sequencer, the deliverer, the lifetime loop)
// started against a fresh PostgreSQL and Temporal: how long until it polls, and its resident memory
// once idle; beside Node processes of the Temporal SDK alone, of a bare worker on the same bundle,
// and of one that bundles at start as grantflow's worker used to (bench/worker-baseline.ts).
// BENCH_RUNS (default 3) starts of each; figures are the median of the runs.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { generateSignerKey } from '../audit/signed-note.js';
import { ensureWorkflowBundle } from '../worker/workflow-bundle.js';
import { benchDatabase, benchTeardown, benchTemporal, median, progress, reportRuns } from './harness.js';
import { startMeasuredProcess, startWorkerProcess, type WorkerProcess } from './worker-process.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** How long a started process is left alone before its memory is read: past start-up's garbage. */
const IDLE_MS = Number(process.env.BENCH_WORKER_IDLE_MS ?? 10_000);
const BASELINE = fileURLToPath(new URL('./worker-baseline.ts', import.meta.url));
/** `npm run build`'s output: the worker without tsx compiling the sources on load. */
const COMPILED_CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
/** The idle size the worker is held to (issue 15). */
const IDLE_RSS_TARGET_MB = 200;

type Sample = { startupMs: number; idleMb: number };

async function measure(start: () => Promise<WorkerProcess>): Promise<Sample> {
  const child = await start();
  try {
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    return { startupMs: child.startupMs, idleMb: child.rssMb() };
  } finally {
    await child.stop();
  }
}

/** Start-up time and idle RSS of `grantflow worker`, beside bare SDK processes measured in the same run. */
export async function runWorkerBench(): Promise<void> {
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
    // Built before any measured start, as `npm run build` does: no start below runs webpack for it.
    await ensureWorkflowBundle(pino({ level: 'warn' }, pino.destination(2)));
    const temporalEnv = {
      TEMPORAL_ADDRESS: temporal.target.address,
      TEMPORAL_NAMESPACE: temporal.target.TEMPORAL_NAMESPACE,
    };
    const signerKey = generateSignerKey('grantflow-bench').signerKey;
    const baseline = (mode: string) => () =>
      startMeasuredProcess(
        ['--import', 'tsx', BASELINE, mode],
        { ...temporalEnv, TEMPORAL_TASK_QUEUE: `bench-worker-${randomUUID()}` },
        'ready',
      );
    const workerEnv = () => ({
      ...temporalEnv,
      DATABASE_URL: database.ownerUrl,
      DATABASE_RUNTIME_URL: database.runtimeUrl,
      TEMPORAL_TASK_QUEUE: `bench-worker-${randomUUID()}`,
      GRANTFLOW_AUDIT_SIGNING_KEY: signerKey,
    });
    const kinds: Record<string, () => Promise<WorkerProcess>> = {
      sdk: baseline('sdk'),
      bundle: baseline('bundle'),
      webpack: baseline('webpack'),
      grantflow: () => startWorkerProcess(workerEnv()),
      ...(existsSync(COMPILED_CLI)
        ? { compiled: () => startMeasuredProcess([COMPILED_CLI, 'worker'], workerEnv(), 'worker polling') }
        : {}),
    };
    const samples: Record<string, Sample[]> = Object.fromEntries(
      Object.keys(kinds).map((kind) => [kind, []]),
    );
    for (let run = 1; run <= RUNS; run++) {
      for (const [kind, start] of Object.entries(kinds)) {
        const sample = await measure(start);
        samples[kind]?.push(sample);
        progress(
          `run ${run}/${RUNS}, ${kind}: polling after ${sample.startupMs.toFixed(0)} ms, ${sample.idleMb.toFixed(0)} MB idle`,
        );
      }
    }
    const of = (kind: string, figure: keyof Sample) => (samples[kind] ?? []).map((s) => s[figure]);
    const figures: [string, keyof Sample, string][] = [
      ['idle RSS (MB)', 'idleMb', 'MB'],
      ['start-up until polling (ms)', 'startupMs', 'ms'],
    ];
    for (const [name, figure, unit] of figures) {
      for (const [kind, label] of [
        ['sdk', 'Node + Temporal SDK'],
        ['bundle', 'bare worker, same bundle'],
      ] as const) {
        reportRuns({
          name: `grantflow worker ${name}`,
          unit,
          baselineName: label,
          values: of('grantflow', figure),
          baselines: of(kind, figure),
        });
      }
      if (samples.compiled) {
        reportRuns({
          name: `node dist/cli/main.js worker ${name}`,
          unit,
          baselineName: 'bare worker, same bundle',
          values: of('compiled', figure),
          baselines: of('bundle', figure),
        });
      }
      reportRuns({
        name: `bare worker bundling at start ${name}`,
        unit,
        baselineName: 'bare worker, same bundle',
        values: of('webpack', figure),
        baselines: of('bundle', figure),
      });
    }
    const idle = median(of('grantflow', 'idleMb'));
    progress(
      `grantflow worker idles at ${idle.toFixed(0)} MB (median): ${idle <= IDLE_RSS_TARGET_MB ? 'within' : 'OVER'} the ${IDLE_RSS_TARGET_MB} MB target`,
    );
  } finally {
    await teardown.finish();
  }
}
