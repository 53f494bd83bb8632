// Extraction inside the pack's one REPEATABLE READ snapshot: each population streamed to its CSV
// (hashed as written, its keys offered to the samples that draw from it) with a JSON file saying how
// it was produced; each automated test's count and exceptions to its JSON file.
import type postgres from 'postgres';
import { csvCell } from '../audit/export-format.js';
import type { CheckDefinition } from './checks.js';
import { openFileSink, packJson, writeWholeFile } from './file-sink.js';
import type { ExceptionAnnotation, PopulationResult, TestException, TestResult } from './model.js';
import type { PopulationDefinition } from './populations.js';
import { bindParams, type EvidenceParams } from './query-params.js';
import type { SampleDraw } from './sample.js';

type Tx = postgres.TransactionSql;

const SLICE = 1000;

/** Where the snapshot was read, as the population files state it. */
export type SnapshotFacts = { isolation: 'repeatable read, read only'; asOf: string; treeSize: number };

/** Streams one population to `populations/<id>.csv` and describes it in `populations/<id>.json`. */
export async function extractPopulation(
  tx: Tx,
  root: string,
  definition: PopulationDefinition,
  params: EvidenceParams,
  snapshot: SnapshotFacts,
  draws: readonly SampleDraw[],
  onRows?: (rows: number) => void | Promise<void>,
): Promise<PopulationResult> {
  const bound = bindParams(definition.query, params);
  const csvPath = `populations/${definition.id}.csv`;
  const sink = openFileSink(root, csvPath);
  await sink.write(`${definition.columns.join(',')}\n`);
  let rowCount = 0;
  for await (const rows of tx.unsafe(bound.text, bound.values).cursor(SLICE)) {
    let text = '';
    for (const row of rows) {
      text += `${definition.columns.map((column) => csvCell(row[column])).join(',')}\n`;
      const key = String(row[definition.key]);
      for (const draw of draws) draw.offer(key);
    }
    rowCount += rows.length;
    await sink.write(text);
    await onRows?.(rowCount);
  }
  const csv = await sink.close();
  const jsonPath = `populations/${definition.id}.json`;
  await writeWholeFile(
    root,
    jsonPath,
    packJson({
      population: definition.id,
      title: definition.title,
      file: csvPath,
      rowCount,
      sha256: csv.sha256,
      key: definition.key,
      columns: definition.columns,
      snapshot,
      query: { named: definition.query, asRun: bound.text, parameters: bound.parameters },
      encoding:
        'UTF-8 CSV (RFC 4180), one header line; empty cell = null; timestamps ISO-8601 UTC (table times with ' +
        "microseconds, ledger times with the milliseconds they were hashed with); a cell starting with = + - @ is prefixed with ' so no spreadsheet runs it",
    }),
  );
  return { id: definition.id, csv: csvPath, json: jsonPath, rowCount, sha256: csv.sha256 };
}

/** Runs one automated test over its whole population and writes `tests/<id>.json`. */
export async function runCheck(
  tx: Tx,
  root: string,
  check: CheckDefinition,
  params: EvidenceParams,
  snapshot: SnapshotFacts,
  annotations: ReadonlyMap<string, ExceptionAnnotation>,
): Promise<TestResult> {
  const tested = bindParams(check.tested, params);
  const [count] = await tx.unsafe<{ tested: string }[]>(tested.text, tested.values);
  const found = bindParams(check.exceptions, params);
  const exceptions: TestException[] = [];
  for await (const rows of tx.unsafe(found.text, found.values).cursor(SLICE)) {
    for (const row of rows) {
      const key = String(row.key);
      const annotation = annotations.get(`${check.id} ${key}`);
      exceptions.push({
        test: check.id,
        key,
        summary: String(row.summary ?? ''),
        evidence: (row.evidence as (string | number)[]).map(Number),
        ...(annotation ? { annotation } : {}),
      });
    }
  }
  const file = `tests/${check.id}.json`;
  const populationRows = Number(count?.tested ?? 0);
  await writeWholeFile(
    root,
    file,
    packJson({
      test: check.id,
      title: check.title,
      population: check.population,
      tested: populationRows,
      exceptionCount: exceptions.length,
      snapshot,
      query: {
        tested: { named: check.tested, asRun: tested.text, parameters: tested.parameters },
        exceptions: { named: check.exceptions, asRun: found.text, parameters: found.parameters },
      },
      exceptions,
    }),
  );
  return { id: check.id, title: check.title, file, populationRows, exceptions };
}
