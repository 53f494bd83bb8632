// Builds one evidence pack into a folder: populations and tests inside one REPEATABLE READ
// snapshot, samples seeded by the end checkpoint's root, the ledger proofs, the OSCAL document,
// the index (HTML and PDF), and a manifest signed with the ledger's checkpoint key. Everything is
// a function of the pack request and the data as it stood then, so building again gives the same
// bytes.
import { createHash } from 'node:crypto';
import { createReadStream, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type postgres from 'postgres';
import type { LedgerKeys } from '../audit/keys.js';
import { checkpointedLeaves } from '../audit/prove.js';
import { signNote } from '../audit/signed-note.js';
import type { EvidenceTestId, Framework, PopulationId } from '../domain/evidence.js';
import { chainOf, chainQuery } from './chains.js';
import { CHECKS } from './checks.js';
import { extractPopulation, runCheck, type SnapshotFacts } from './extract.js';
import { packJson, type WrittenFile, writeWholeFile } from './file-sink.js';
import { renderIndexHtml } from './index-html.js';
import { renderIndexPdf } from './index-pdf.js';
import {
  checkpointOrigin,
  firstCheckpointCovering,
  packCheckpoints,
  writeCheckpointProofs,
  writeInclusionProofs,
  writeOcsfEvents,
} from './ledger-proofs.js';
import { manifestNoteBody, PACK_FORMAT } from './manifest.js';
import type {
  Control,
  ControlResult,
  ExceptionAnnotation,
  PackModel,
  PopulationResult,
  SampleResult,
  TestResult,
} from './model.js';
import { buildAssessmentResults } from './oscal.js';
import { parsePeriod } from './period.js';
import { POPULATIONS } from './populations.js';
import { type EvidenceParams, isoText } from './query-params.js';
import { SAMPLE_RULE, SampleDraw } from './sample.js';

/** What a build needs to know about its request. */
export type PackRequest = {
  packId: string;
  framework: Framework;
  period: string;
  controls: Control[];
  /** The ledger entry that asked for the pack. */
  request: { seq: number; eventId: string; recordedAt: string; requestedBy: string };
  /** Rubber-stamping: more than `items` decisions within `seconds`. */
  rubberStamp: { items: number; seconds: number };
};

/** What the build is doing, for the progress line. */
export type BuildProgress = (step: string, done?: number, total?: number) => void | Promise<void>;

/** What a build leaves behind: the folder's files (manifest last) and the model they came from. */
export type BuiltPack = { dir: string; files: WrittenFile[]; model: PackModel };

const annotationsAsOf = async (sql: postgres.TransactionSql, asOf: string) => {
  const rows = await sql<
    {
      test: string;
      exception_key: string;
      root_cause: string;
      corrective_action: string;
      annotated_by: string;
      at: string;
    }[]
  >`
    select distinct on (test, exception_key) test, exception_key, root_cause, corrective_action, annotated_by,
      ${sql.unsafe(isoText('annotated_at'))} as at
    from evidence_annotations where annotated_at <= ${asOf}::timestamptz
    order by test, exception_key, annotated_at desc, id desc`;
  return new Map<string, ExceptionAnnotation>(
    rows.map((row) => [
      `${row.test} ${row.exception_key}`,
      {
        rootCause: row.root_cause,
        correctiveAction: row.corrective_action,
        by: row.annotated_by,
        at: row.at,
      },
    ]),
  );
};

/** Builds the pack into `dir` (emptied first). The end checkpoint must already cover the request. */
export async function buildPack(
  deps: { sql: postgres.Sql; keys: LedgerKeys },
  input: PackRequest,
  dir: string,
  progress: BuildProgress = () => {},
): Promise<BuiltPack> {
  rmSync(dir, { recursive: true, force: true });
  const period = parsePeriod(input.period);
  const end = await firstCheckpointCovering(deps.sql, input.request.seq);
  if (!end) throw new Error(`no checkpoint covers the pack request (ledger entry ${input.request.seq}) yet`);
  const checkpoints = await packCheckpoints(deps.sql, period.start, end);
  const seed = Buffer.from(end.rootHash, 'hex');
  const params: EvidenceParams = {
    period_start: period.start,
    period_end: period.end,
    as_of: input.request.recordedAt,
    tree_size: end.treeSize,
    stamp_items: input.rubberStamp.items,
    stamp_seconds: input.rubberStamp.seconds,
  };
  const snapshot: SnapshotFacts = {
    isolation: 'repeatable read, read only',
    asOf: input.request.recordedAt,
    treeSize: end.treeSize,
  };
  const draws = new Map(
    input.controls.map((control) => [control.id, new SampleDraw(seed, control.id, control.sample.size)]),
  );
  const wantedPopulations = new Set<PopulationId>(input.controls.flatMap((control) => control.populations));
  const wantedTests = new Set<EvidenceTestId>(input.controls.flatMap((control) => control.tests));

  const populations = new Map<PopulationId, PopulationResult>();
  const tests = new Map<EvidenceTestId, TestResult>();
  const samples = new Map<string, SampleResult>();
  const cited = new Set<number>([input.request.seq]);

  await deps.sql.begin('isolation level repeatable read read only', async (tx) => {
    const annotations = await annotationsAsOf(tx, input.request.recordedAt);
    const definitions = POPULATIONS.filter((population) => wantedPopulations.has(population.id));
    for (const [index, definition] of definitions.entries()) {
      await progress(`population ${definition.id}`, index, definitions.length);
      const sampling = input.controls
        .filter((control) => control.sample.population === definition.id)
        .map((control) => draws.get(control.id)!);
      const result = await extractPopulation(tx, dir, definition, params, snapshot, sampling, (rows) =>
        progress(`population ${definition.id}: ${rows} rows`, index, definitions.length),
      );
      populations.set(definition.id, result);
    }
    const checks = CHECKS.filter((check) => wantedTests.has(check.id));
    for (const [index, check] of checks.entries()) {
      await progress(`test ${check.id}`, index, checks.length);
      const result = await runCheck(tx, dir, check, params, snapshot, annotations);
      tests.set(check.id, result);
      for (const exception of result.exceptions) for (const seq of exception.evidence) cited.add(seq);
    }
    for (const control of input.controls) {
      await progress(`sample ${control.id}`);
      const population = populations.get(control.sample.population)!;
      const picked = [];
      for (const pick of draws.get(control.id)!.picked()) {
        const chain = await chainOf(tx, control.sample.population, pick.key, end.treeSize);
        for (const seq of chain) cited.add(seq);
        picked.push({ ...pick, chain });
      }
      const file = `samples/${control.id}.json`;
      await writeWholeFile(
        dir,
        file,
        packJson({
          control: control.id,
          population: control.sample.population,
          populationFile: population.csv,
          populationSha256: population.sha256,
          populationRows: population.rowCount,
          frequency: control.sample.frequency,
          size: control.sample.size,
          rule: SAMPLE_RULE,
          ruleText:
            'rank(row) = hex(SHA-256(seed ‖ UTF-8(control) ‖ 0x00 ‖ UTF-8(key))); the sample is the `size` rows of ' +
            "lowest rank (each key once), where key is the population's key column and seed the 32-byte root hash " +
            'of the seed checkpoint, the first checkpoint sealed after the pack request was recorded.',
          seed: { checkpoint: 'ledger/end-checkpoint.note', treeSize: end.treeSize, rootHash: end.rootHash },
          request: { seq: input.request.seq, eventId: input.request.eventId },
          chainQuery: chainQuery(control.sample.population),
          picked,
        }),
      );
      samples.set(control.id, {
        population: control.sample.population,
        size: control.sample.size,
        file,
        picked: picked.map((p) => p.key),
      });
    }
    await progress('ledger events (OCSF)');
    await writeOcsfEvents(tx, dir, period, end.treeSize);
  });

  await progress('ledger proofs');
  const leaves = await checkpointedLeaves(deps.sql, end.treeSize);
  const proofs = await writeCheckpointProofs(dir, checkpoints, leaves);
  await writeInclusionProofs(deps.sql, dir, end, leaves, cited);

  const controls: ControlResult[] = input.controls.map((control) => {
    const controlTests = control.tests.map((id) => tests.get(id)!);
    const open = controlTests.some((test) => test.exceptions.some((exception) => !exception.annotation));
    return {
      control,
      populations: control.populations.map((id) => populations.get(id)!),
      tests: controlTests,
      sample: samples.get(control.id) ?? null,
      status: open ? 'not-satisfied' : 'satisfied',
    };
  });
  const model: PackModel = {
    framework: input.framework,
    period,
    request: input.request,
    ledger: {
      origin: checkpointOrigin(end.note),
      verifierKey: deps.keys.verifierKey,
      start: checkpoints.start,
      end,
      consistency: proofs.consistency,
      ...(checkpoints.startNote ? { startNote: checkpoints.startNote } : {}),
    },
    controls,
  };
  await writeWholeFile(dir, 'keys/ledger-verifier.pub', `${deps.keys.verifierKey}\n`);
  await writeWholeFile(dir, 'pack.json', packJson(model));

  await progress('index and OSCAL');
  // The folder is read and hashed once; the renderings are hashed as they are written.
  const listed = await listFiles(dir);
  const rendered = [
    await writeWholeFile(
      dir,
      'oscal/assessment-results.json',
      packJson(buildAssessmentResults(model, listed)),
    ),
    await writeWholeFile(dir, 'index.html', renderIndexHtml(model)),
    await writeWholeFile(dir, 'index.pdf', await renderIndexPdf(model)),
  ];

  const all = [...listed, ...rendered].sort(byPath);
  const manifest = packJson({
    format: PACK_FORMAT,
    framework: input.framework,
    period,
    controls: input.controls.map((control) => control.id),
    request: input.request,
    ledger: { origin: model.ledger.origin, start: checkpoints.start?.treeSize ?? null, end: end.treeSize },
    files: all,
  });
  const manifestFile = await writeWholeFile(dir, 'manifest.json', manifest);
  const signature = await writeWholeFile(
    dir,
    'manifest.sig',
    signNote(manifestNoteBody(model.ledger.origin, manifestFile.sha256), deps.keys.signer),
  );
  return { dir, files: [...all, manifestFile, signature], model };
}

const byPath = (a: WrittenFile, b: WrittenFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** Every file under the folder, sorted by path, with size and SHA-256 (each read as a stream). */
async function listFiles(dir: string): Promise<WrittenFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: WrittenFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of createReadStream(full)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    files.push({
      path: path.relative(dir, full).split(path.sep).join('/'),
      bytes,
      sha256: hash.digest('hex'),
    });
  }
  return files.sort(byPath);
}
