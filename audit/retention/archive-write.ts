// Writes one segment's archive folder (format.ts) from the database: the entries streamed through
// a cursor, the covering checkpoints, the start state and the signed manifest. The folder is
// built under a `.partial` name and renamed when complete, so a crash leaves no folder that looks
// finished.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type postgres from 'postgres';
import { isoTimestamp } from '../entry.js';
import { type NoteSigner, signNote } from '../signed-note.js';
import {
  ARCHIVE_FORMAT,
  type ArchivedEntry,
  type ArchiveManifest,
  checkpointFileName,
  ENTRIES_FILE,
  MANIFEST_FILE,
  MANIFEST_SIGNATURE_FILE,
  manifestNoteBody,
  type SegmentStart,
  START_FILE,
  segmentDirName,
} from './format.js';
import type { SegmentPlan } from './plan.js';

const CURSOR_ROWS = 2_000;

/** A written segment folder and its manifest's SHA-256 (what the disposal records). */
export type WrittenSegment = { dir: string; manifestSha256: string; entries: number };

/** Writes the archive of `plan` under `archiveRoot`; refuses to overwrite a finished folder. */
export async function writeSegment(
  sql: postgres.Sql,
  plan: SegmentPlan,
  options: { archiveRoot: string; origin: string; signer: NoteSigner; onProgress?: (done: number) => void },
): Promise<WrittenSegment> {
  const dir = path.join(options.archiveRoot, segmentDirName(plan.from, plan.to));
  if (existsSync(dir)) throw new Error(`${dir} exists already`);
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });

  const files: ArchiveManifest['files'] = [];
  const entries = await writeEntries(sql, plan, path.join(partial, ENTRIES_FILE), options.onProgress);
  files.push(describe(partial, ENTRIES_FILE, entries.sha256));

  const start: SegmentStart = {
    seq: plan.from,
    previous_chain: plan.previousChain.toString('hex'),
    frontier: plan.startFrontier.toJSON(),
    checkpoint_id: plan.start?.id ?? null,
  };
  files.push(writeSmall(partial, START_FILE, `${JSON.stringify(start, null, 2)}\n`));

  const checkpoints = await sql<{ id: string; note: string }[]>`
    select id, note from audit_checkpoint where tree_size between ${plan.from - 1} and ${plan.to} order by id`;
  for (const checkpoint of checkpoints) {
    files.push(writeSmall(partial, checkpointFileName(Number(checkpoint.id)), checkpoint.note));
  }

  const manifest: ArchiveManifest = {
    format: ARCHIVE_FORMAT,
    origin: options.origin,
    from_seq: plan.from,
    to_seq: plan.to,
    boundary_checkpoint_id: plan.boundary.id,
    start_checkpoint_id: plan.start?.id ?? null,
    created_at: new Date().toISOString(),
    files,
  };
  const manifestFile = writeSmall(partial, MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(
    path.join(partial, MANIFEST_SIGNATURE_FILE),
    signNote(manifestNoteBody(options.origin, manifestFile.sha256), options.signer),
  );
  renameSync(partial, dir);
  return { dir, manifestSha256: manifestFile.sha256, entries: entries.count };
}

async function writeEntries(
  sql: postgres.Sql,
  plan: SegmentPlan,
  file: string,
  onProgress: ((done: number) => void) | undefined,
): Promise<{ sha256: string; count: number }> {
  const out = createWriteStream(file);
  const digest = createHash('sha256');
  let count = 0;
  const rows = sql<
    { seq: string; recorded_at: string; event: unknown; leaf_hash: Buffer; chain_hash: Buffer }[]
  >`
    select seq, ${isoTimestamp(sql)} as recorded_at, event, leaf_hash, chain_hash from audit_ledger
    where seq between ${plan.from} and ${plan.to} order by seq`.cursor(CURSOR_ROWS);
  for await (const page of rows) {
    let text = '';
    for (const row of page) {
      const entry: ArchivedEntry = {
        seq: Number(row.seq),
        recorded_at: row.recorded_at,
        event: row.event,
        leaf_hash: row.leaf_hash.toString('hex'),
        chain_hash: row.chain_hash.toString('hex'),
      };
      text += `${JSON.stringify(entry)}\n`;
    }
    count += page.length;
    digest.update(text, 'utf8');
    if (!out.write(text)) await once(out, 'drain');
    onProgress?.(count);
  }
  out.end();
  await once(out, 'finish');
  return { sha256: digest.digest('hex'), count };
}

function writeSmall(dir: string, name: string, text: string): ArchiveManifest['files'][number] {
  writeFileSync(path.join(dir, name), text);
  return describe(dir, name, createHash('sha256').update(text, 'utf8').digest('hex'));
}

function describe(dir: string, name: string, sha256: string): ArchiveManifest['files'][number] {
  return { name, sha256, size: statSync(path.join(dir, name)).size };
}
