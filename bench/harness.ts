import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import postgres from 'postgres';
import { loadConfig } from '../core/config.js';
import { createTeardown, reportToStderr, type Teardown } from '../core/teardown.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { migrateDatabase } from '../db/migrate.js';
import type { TemporalTarget } from '../temporal/connection.js';
import { startConfiguredDevServer } from '../temporal/dev-server.js';

/** A measured figure beside its same-run baseline. */
export type Figure = { name: string; value: number; unit: string; baseline: number; baselineName: string };

/** Prints one figure as `name: value unit (baseline …; ratio x)`, ratio = value / baseline. */
export function report(figure: Figure): void {
  const ratio = figure.value / figure.baseline;
  process.stdout.write(
    `${figure.name.padEnd(44)} ${format(figure.value)} ${figure.unit.padEnd(10)} ` +
      `baseline ${figure.baselineName}: ${format(figure.baseline)} ${figure.unit}  ratio ${ratio.toFixed(2)}\n`,
  );
}

/** A figure measured in several runs, each beside the baseline measured in the same run. */
export type RepeatedFigure = {
  name: string;
  unit: string;
  baselineName: string;
  values: readonly number[];
  baselines: readonly number[];
};

/**
 * Prints the median of each run's figure, of its baseline and of the runs' ratios (each run's
 * figure over that run's baseline), with the spread (lowest–highest) of each in brackets.
 */
export function reportRuns(figure: RepeatedFigure): void {
  const ratios = figure.values.map((value, i) => value / (figure.baselines[i] ?? Number.NaN));
  const spread = (values: readonly number[], show: (value: number) => string) =>
    `${show(median(values))} [${show(Math.min(...values))}–${show(Math.max(...values))}]`;
  const ratio = (value: number) => value.toFixed(2);
  process.stdout.write(
    `${figure.name.padEnd(44)} ${spread(figure.values, format)} ${figure.unit.padEnd(6)} ` +
      `baseline ${figure.baselineName}: ${spread(figure.baselines, format)} ${figure.unit}  ` +
      `ratio ${spread(ratios, ratio)}  (median [spread] of ${figure.values.length} runs)\n`,
  );
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function format(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
}

/** Wall time of `work` in milliseconds. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** The nearest-rank `p`th percentile (0 < p <= 100) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** A progress line on stderr, so stdout keeps only the figures. */
export function progress(message: string): void {
  process.stderr.write(`  ${message}\n`);
}

/**
 * A Temporal frontend for a benchmark: TEMPORAL_ADDRESS (and the other TEMPORAL_* settings) when
 * set, else an in-memory dev server of its own (as the tests run it), stopped by `stop()`. In
 * memory rather than on a SQLite file as `grantflow dev` runs it: the file's writes would dominate
 * every figure and hide what grantflow itself adds (point TEMPORAL_ADDRESS at one to measure it).
 */
export async function benchTemporal(): Promise<{
  target: TemporalTarget;
  describe: string;
  /** The server outlives the bench (TEMPORAL_ADDRESS): what the bench leaves open stays there. */
  shared: boolean;
  stop(): Promise<void>;
}> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  if (config.TEMPORAL_ADDRESS) {
    return {
      target: { ...config, address: config.TEMPORAL_ADDRESS },
      describe: `TEMPORAL_ADDRESS (${config.TEMPORAL_ADDRESS})`,
      shared: true,
      stop: async () => {},
    };
  }
  const log = pino({ level: 'warn' }, pino.destination(2));
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'grantflow-bench-temporal-'));
  try {
    const server = await startConfiguredDevServer(config, log, {
      logFile: path.join(scratch, 'temporal.log'),
      preferredPort: 0,
    });
    return {
      target: { ...config, address: server.address },
      describe: `dev server ${server.describe} on ${server.address}`,
      shared: false,
      async stop() {
        await server.stop();
        rmSync(scratch, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
}

/** A migrated database for a benchmark on a fresh embedded PostgreSQL (never a shared server: benches fill it). */
export async function benchDatabase(): Promise<{
  owner: postgres.Sql;
  runtimeUrl: string;
  ownerUrl: string;
  close(): Promise<void>;
}> {
  const log = pino({ level: 'warn' });
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'grantflow-bench-'));
  const pg = await startEmbeddedPostgres({ dataDir: scratch, preferredPort: 0 }, log);
  await migrateDatabase(pg.ownerUrl, pg.runtimeRole);
  const owner = postgres(pg.ownerUrl, { max: 4, onnotice: () => {} });
  return {
    owner,
    ownerUrl: pg.ownerUrl,
    runtimeUrl: pg.runtimeUrl,
    async close() {
      await owner.end();
      await pg.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** What a bench started, stopped in reverse order once, on success, failure or Ctrl-C. */
export type BenchTeardown = {
  /** Registers how to stop something just started. */
  add: Teardown['add'];
  /** Stops everything (once) and removes the signal and pipe handlers. */
  finish(): Promise<void>;
};

/**
 * Servers run in processes of their own, so Ctrl-C must stop them from here; and output piped into
 * `head` that has exited must not kill the bench before it cleans up.
 */
export function benchTeardown(): BenchTeardown {
  const teardown = createTeardown(reportToStderr);
  const cleanup = () => teardown.run();
  const onSignal = () => {
    progress('interrupted; stopping what the bench started…');
    void cleanup().finally(() => process.exit(130));
  };
  const ignoreClosedPipe = () => {};
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.stdout.on('error', ignoreClosedPipe);
  process.stderr.on('error', ignoreClosedPipe);
  return {
    add: teardown.add,
    async finish() {
      await cleanup();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.stdout.off('error', ignoreClosedPipe);
      process.stderr.off('error', ignoreClosedPipe);
    },
  };
}
