// One measured run of `npm run bench -- evidence`, in a process of its own so its peak resident
// memory (maxRSS) is the run's alone: `pack` builds and zips the SOC 2 pack as the worker's
// buildEvidencePack activity does; `export` is the baseline, a plain export of the same rows (each
// population's query as COPY ... TO STDOUT CSV, and the quarter's ledger rows as JSON lines, also by
// COPY), written to files. Reads its input as JSON from BENCH_EVIDENCE_INPUT and prints one JSON
// line on stdout (ChildResult); progress goes to stderr.
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import type { LedgerKeys } from '../audit/keys.js';
import { parseSignerKey, parseVerifierKey } from '../audit/signed-note.js';
import { connectDatabase } from '../db/client.js';
import { buildPack } from '../evidence/build.js';
import { loadControls, selectControls } from '../evidence/controls.js';
import { firstCheckpointCovering } from '../evidence/ledger-proofs.js';
import { parsePeriod } from '../evidence/period.js';
import { POPULATIONS } from '../evidence/populations.js';
import { bindParams, type EvidenceParams } from '../evidence/query-params.js';
import { verifyPack } from '../evidence/verify.js';
import { zipPack } from '../evidence/zip.js';
import type { LedgerRequest } from './evidence-ledger.js';

/** What the suite hands a child. */
export type ChildInput = {
  databaseUrl: string;
  signerKey: string;
  verifierKey: string;
  period: string;
  request: LedgerRequest;
  rubberStamp: { items: number; seconds: number };
  /** The folder the pack or the export is written into; the pack's zip goes beside it. */
  dir: string;
};

/** What a child prints: its time and peak memory, and what it wrote. */
export type ChildResult = {
  seconds: number;
  peakMb: number;
  /** Resident memory when the work began (Node, tsx and the modules loaded). */
  startMb: number;
  /** Data rows per population (and `ledger` for the export's event lines). */
  rows: Record<string, number>;
  /** Bytes written: the zip for the pack, every file for the export. */
  bytes: number;
  /** The pack's files before zipping. */
  unzipped?: number;
  exceptions?: number;
};

const mb = (bytes: number) => bytes / (1024 * 1024);
const peakMb = () => process.resourceUsage().maxRSS / 1024;

async function pack(
  sql: postgres.Sql,
  input: ChildInput,
): Promise<Omit<ChildResult, 'seconds' | 'peakMb' | 'startMb'>> {
  const keys: LedgerKeys = {
    signer: parseSignerKey(input.signerKey),
    verifierKey: input.verifierKey,
    verifiers: [parseVerifierKey(input.verifierKey)],
  };
  const started = performance.now();
  let lastStep = '';
  let lastLine = 0;
  const built = await buildPack(
    { sql, keys },
    {
      packId: input.request.eventId,
      framework: 'soc2',
      period: input.period,
      controls: selectControls(loadControls(), 'soc2'),
      request: input.request,
      rubberStamp: input.rubberStamp,
    },
    input.dir,
    (step) => {
      // Populations report every slice of rows: a line per step, and one per 10 s within a step.
      const now = performance.now();
      const name = step.split(':')[0]!;
      if (name === lastStep && now - lastLine < 10_000) return;
      lastStep = name;
      lastLine = now;
      const at = ((now - started) / 1000).toFixed(1);
      process.stderr.write(
        `  pack: ${step} at ${at} s (rss ${mb(process.memoryUsage.rss()).toFixed(0)} MB)\n`,
      );
    },
  );
  process.stderr.write(`  pack: zip at ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  const zipped = await zipPack(
    input.dir,
    built.files.map((file) => file.path),
    `${input.dir}.zip`,
    new Date(input.request.recordedAt),
  );
  const rows: Record<string, number> = {};
  const tests = new Map<string, number>();
  for (const control of built.model.controls) {
    for (const population of control.populations) rows[population.id] = population.rowCount;
    for (const test of control.tests) tests.set(test.id, test.exceptions.length);
  }
  const exceptions = [...tests.values()].reduce((sum, n) => sum + n, 0);
  const unzipped = built.files.reduce((sum, file) => sum + file.bytes, 0);
  return { rows, bytes: zipped.bytes, unzipped, exceptions };
}

/** A bound query with its values written in, since COPY takes no parameters. */
function inlined(query: string, params: EvidenceParams): string {
  const bound = bindParams(query, params);
  return bound.text.replace(/\$(\d+)/g, (_, n: string) => {
    const value = bound.values[Number(n) - 1]!;
    return typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`;
  });
}

/**
 * Streams COPY output into `file`; returns its bytes and lines. Each COPY has a connection of its
 * own, closed after it: postgres.js can leave a connection's socket paused once a COPY stream has
 * ended under backpressure, and the next query on it never returns (porsager/postgres#499).
 */
async function copyToFile(url: string, copy: string, file: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    let bytes = 0;
    let lines = 0;
    const source = await sql.unsafe(copy).readable();
    source.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines += 1;
    });
    await pipeline(source, createWriteStream(file));
    return { bytes, lines };
  } finally {
    await sql.end({ timeout: 1 });
  }
}

async function plainExport(
  sql: postgres.Sql,
  input: ChildInput,
): Promise<Omit<ChildResult, 'seconds' | 'peakMb' | 'startMb'>> {
  const controls = selectControls(loadControls(), 'soc2');
  const wanted = new Set(controls.flatMap((control) => control.populations));
  const end = await firstCheckpointCovering(sql, input.request.seq);
  if (!end) throw new Error('no checkpoint covers the pack request');
  const period = parsePeriod(input.period);
  const params: EvidenceParams = {
    period_start: period.start,
    period_end: period.end,
    as_of: input.request.recordedAt,
    tree_size: end.treeSize,
    stamp_items: input.rubberStamp.items,
    stamp_seconds: input.rubberStamp.seconds,
  };
  mkdirSync(input.dir, { recursive: true });
  const rows: Record<string, number> = {};
  let bytes = 0;
  // One connection per COPY (so no shared snapshot, as the pack has): nothing writes while it runs.
  for (const population of POPULATIONS.filter((p) => wanted.has(p.id))) {
    const copy = `copy (${inlined(population.query, params)}) to stdout with (format csv, header)`;
    process.stderr.write(`  export: population ${population.id}\n`);
    const written = await copyToFile(input.databaseUrl, copy, path.join(input.dir, `${population.id}.csv`));
    rows[population.id] = written.lines - 1;
    bytes += written.bytes;
  }
  // CSV with a delimiter and a quote that JSON never holds: one JSON object a line, unescaped.
  const ledger = `copy (select json_build_object('seq', seq,
      'recorded_at', to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'event', event)
    from audit_ledger where recorded_at >= '${period.start}' and recorded_at < '${period.end}' and seq <= ${end.treeSize}
    order by seq) to stdout with (format csv, delimiter e'\\x01', quote e'\\x02')`;
  process.stderr.write('  export: ledger events\n');
  const written = await copyToFile(input.databaseUrl, ledger, path.join(input.dir, 'ledger.jsonl'));
  rows.ledger = written.lines;
  bytes += written.bytes;
  return { rows, bytes };
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode !== 'pack' && mode !== 'export')
    throw new Error(`usage: evidence-child.ts pack|export, got ${mode}`);
  const input = JSON.parse(process.env.BENCH_EVIDENCE_INPUT ?? '') as ChildInput;
  // The worker's kind of pool (drizzle's, which passes timestamps and JSON through as text).
  const database = connectDatabase(input.databaseUrl, { max: 4, applicationName: `grantflow-bench-${mode}` });
  const sql = database.sql;
  try {
    const startMb = mb(process.memoryUsage.rss());
    const started = performance.now();
    const result = mode === 'pack' ? await pack(sql, input) : await plainExport(sql, input);
    const seconds = (performance.now() - started) / 1000;
    const output: ChildResult = { seconds, peakMb: peakMb(), startMb, ...result };
    if (mode === 'pack' && process.env.BENCH_EVIDENCE_VERIFY === '1') {
      const verified = await verifyPack(`${input.dir}.zip`, [input.verifierKey]);
      const problems = verified.problems.map((p) => `${p.file}: ${p.check}: ${p.detail}`);
      process.stderr.write(`  pack verified (untimed): ${verified.ok ? 'intact' : problems.join('; ')}\n`);
      if (!verified.ok) throw new Error('the pack does not verify');
    }
    process.stdout.write(`${JSON.stringify(output)}\n`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
