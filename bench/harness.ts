import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import postgres from 'postgres';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { migrateDatabase } from '../db/migrate.js';

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

function format(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
}

/** Wall time of `work` in milliseconds. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** A migrated database for a benchmark: DATABASE_URL's server if set, else a fresh embedded one. */
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
