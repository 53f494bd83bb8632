// `npm run bench -- evidence`: the SOC 2 evidence pack of a busy quarter (2026-Q3), beside a plain
// export of the same rows made in the same run.
//
// Data (evidence-seed.ts, evidence-events.ts, evidence-ledger.ts, all set-based SQL on a fresh
// embedded PostgreSQL): BENCH_EVIDENCE_GRANTS (default 100,000) grants with their people,
// resources, entitlements of every risk level, requests and approval decisions, many ended in the
// quarter; a campaign of BENCH_EVIDENCE_ITEMS (3,000) items; leavers; and BENCH_EVIDENCE_EVENTS
// (1,000,000) ledger events in the quarter, correlated with those rows and sequenced by the real
// sequencer, between checkpoints sealed before and after the quarter; then the pack request
// (audit.evidence.requested) and the checkpoint over it that seeds the samples.
//
// Measured (evidence-child.ts, each in a child process of its own so its peak RSS is its own):
// buildPack + zipPack for soc2, every control, as the worker runs them; baseline: the same
// populations' queries as COPY ... TO STDOUT CSV and the quarter's ledger rows as JSON lines,
// written to files. Figures: seconds and peak MB, pack beside export; then rows per population,
// exceptions and the zip's size.
//
// A quick check: BENCH_EVIDENCE_GRANTS=10000 BENCH_EVIDENCE_EVENTS=100000 BENCH_EVIDENCE_ITEMS=500
// npm run bench -- evidence. BENCH_EVIDENCE_CPU_PROF=<folder> writes a V8 CPU profile of the pack
// build there (open it in Chrome DevTools); BENCH_EVIDENCE_VERIFY=1 checks the zip afterwards with
// the offline verifier (untimed).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSignerKey, parseSignerKey, parseVerifierKey } from '../audit/signed-note.js';
import { loadConfig } from '../core/config.js';
import { connectDatabase } from '../db/client.js';
import { loadControls, selectControls } from '../evidence/controls.js';
import { parsePeriod } from '../evidence/period.js';
import type { ChildInput, ChildResult } from './evidence-child.js';
import { seedLedger } from './evidence-ledger.js';
import { type SeedTimes, seedTables } from './evidence-seed.js';
import { type BenchTeardown, benchDatabase, benchTeardown, progress, report } from './harness.js';
import { sizeFromEnv } from './lifecycle-stack.js';

const PERIOD = '2026-Q3';
const CHILD = fileURLToPath(new URL('./evidence-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The quarter, the campaign's dates inside it, and the auditor's request the morning after. */
function quarterTimes(): SeedTimes & { requestedAt: string } {
  const { start, end } = parsePeriod(PERIOD);
  return {
    start,
    end,
    launchedAt: '2026-09-01T09:00:00.000Z',
    dueAt: '2026-09-15T17:00:00.000Z',
    signedOffAt: '2026-09-20T10:00:00.000Z',
    requestedAt: '2026-10-01T09:00:00.000Z',
  };
}

/**
 * Runs evidence-child.ts in `mode`; its stdout is one ChildResult, its stderr passes through. A run
 * past BENCH_EVIDENCE_TIMEOUT_MINUTES (60) is stopped, and so is one still running when the bench
 * stops (Ctrl-C), so neither outlives it.
 */
async function runChild(
  mode: 'pack' | 'export',
  input: ChildInput,
  teardown: BenchTeardown,
): Promise<ChildResult> {
  const profile = process.env.BENCH_EVIDENCE_CPU_PROF;
  const flags = mode === 'pack' && profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : [];
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', CHILD, mode], {
    cwd: ROOT,
    env: { ...process.env, BENCH_EVIDENCE_INPUT: JSON.stringify(input) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  teardown.add(async () => child.kill('SIGKILL'), `${mode} run`);
  const minutes = sizeFromEnv('BENCH_EVIDENCE_TIMEOUT_MINUTES', 60);
  let timedOut = false;
  const limit = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, minutes * 60_000);
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(limit);
  if (timedOut) throw new Error(`the ${mode} run took longer than ${minutes} minutes and was stopped`);
  if (code !== 0)
    throw new Error(`the ${mode} run failed (${signal ? `killed by ${signal}` : `exit ${code}`})`);
  return JSON.parse(stdout) as ChildResult;
}

const count = (n: number) => n.toLocaleString('en-US');

/** Pack time and peak memory, each beside a plain export of the same rows. */
export async function runEvidenceBench(): Promise<void> {
  const sizes = {
    grants: sizeFromEnv('BENCH_EVIDENCE_GRANTS', 100_000, 100),
    events: sizeFromEnv('BENCH_EVIDENCE_EVENTS', 1_000_000),
    items: sizeFromEnv('BENCH_EVIDENCE_ITEMS', 3_000),
  };
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  const rubberStamp = {
    items: config.GRANTFLOW_EVIDENCE_RUBBER_STAMP_ITEMS,
    seconds: config.GRANTFLOW_EVIDENCE_RUBBER_STAMP_SECONDS,
  };
  const times = quarterTimes();
  const controls = selectControls(loadControls(), 'soc2');
  const teardown = benchTeardown();
  try {
    const database = await benchDatabase();
    teardown.add(() => database.close(), 'PostgreSQL');
    const runtime = connectDatabase(database.runtimeUrl, { max: 2 });
    teardown.add(() => runtime.close(), 'runtime pool');
    const work = mkdtempSync(path.join(os.tmpdir(), 'grantflow-bench-evidence-'));
    teardown.add(async () => rmSync(work, { recursive: true, force: true }), 'pack folder');

    const seedStarted = performance.now();
    progress(`seeding ${PERIOD}: ${count(sizes.grants)} grants, ${count(sizes.events)} ledger events…`);
    const seeded = await seedTables(database.owner, sizes, times);
    progress(`tables: ${JSON.stringify(seeded)}`);
    const key = generateSignerKey('bench');
    const keys = {
      signer: parseSignerKey(key.signerKey),
      verifierKey: key.verifierKey,
      verifiers: [parseVerifierKey(key.verifierKey)],
    };
    const ledger = await seedLedger({ owner: database.owner, ownerUrl: database.ownerUrl, runtime }, keys, {
      times,
      events: sizes.events,
      requestedAt: times.requestedAt,
      controls,
      rubberStamp,
    });
    // A database that has been running a while has statistics (autovacuum would gather them).
    await database.owner`analyze`;
    const [size] = await database.owner<{ ledger: string }[]>`
      select pg_size_pretty(pg_total_relation_size('audit_ledger')) as ledger`;
    progress(`seeded in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s`);

    const input = (dir: string): ChildInput => ({
      databaseUrl: database.runtimeUrl,
      signerKey: key.signerKey,
      verifierKey: key.verifierKey,
      period: PERIOD,
      request: ledger.request,
      rubberStamp,
      dir: path.join(work, dir),
    });
    progress('building the pack…');
    const pack = await runChild('pack', input('pack'), teardown);
    progress('plain export…');
    const plain = await runChild('export', input('export'), teardown);

    process.stdout.write(
      `data: ${count(seeded.grants)} grants (${count(seeded.imported)} imported, ${count(seeded.ended)} ended), ` +
        `${count(seeded.requests)} requests, ${count(seeded.decisions)} decisions, ${count(seeded.items)} campaign items, ` +
        `${count(seeded.leavers)} leavers, ${count(seeded.people)} people; ledger ${count(ledger.entries)} entries ` +
        `(${count(ledger.inQuarter)} in ${PERIOD}, ${size?.ledger}), checkpoints at ${ledger.checkpoints.map(count).join(', ')}\n`,
    );
    report({
      name: `evidence pack ${PERIOD}, soc2, build + zip (s)`,
      value: pack.seconds,
      unit: 's',
      baseline: plain.seconds,
      baselineName: 'plain export',
    });
    report({
      name: 'evidence pack, peak RSS (MB)',
      value: pack.peakMb,
      unit: 'MB',
      baseline: plain.peakMb,
      baselineName: 'plain export',
    });
    for (const [population, rows] of Object.entries(pack.rows)) {
      process.stdout.write(
        `  ${population.padEnd(20)} ${count(rows).padStart(9)} rows (export ${count(plain.rows[population] ?? 0)})\n`,
      );
    }
    process.stdout.write(
      `  ledger events of the quarter: export ${count(plain.rows.ledger ?? 0)} lines; ` +
        `${count(pack.exceptions ?? 0)} test exceptions; zip ${(pack.bytes / 1e6).toFixed(1)} MB (of ${((pack.unzipped ?? 0) / 1e6).toFixed(1)} MB), ` +
        `export files ${(plain.bytes / 1e6).toFixed(1)} MB; RSS at start: pack ${pack.startMb.toFixed(0)} MB, ` +
        `export ${plain.startMb.toFixed(0)} MB\n`,
    );
  } finally {
    await teardown.finish();
  }
}
