// Verifies archived segments with nothing but their folders and the verifier keys: the manifest's
// signature and every file's SHA-256 and size; each entry's leaf recomputed from its content and
// its chain hash from the one before, starting at the segment's start state; the start state held
// to the start checkpoint's signed root; every covering checkpoint's signed root reproduced at its
// size; and, across segments, each one continuing exactly where the previous one ended.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { entryLeafHash } from '../entry.js';
import { chainHash, GENESIS_CHAIN } from '../hash.js';
import { MerkleFrontier, type MerkleFrontierState } from '../merkle.js';
import { type NoteVerifier, openNote, parseCheckpoint } from '../signed-note.js';
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
} from './format.js';

const MAX_PROBLEMS = 20;

/** The outcome of verifying one segment folder. */
export type SegmentCheck = {
  dir: string;
  ok: boolean;
  problems: string[];
  from?: number;
  to?: number;
  entries: number;
  manifestSha256?: string;
  boundaryCheckpointId?: number;
  /** Where the segment starts and ends; the next segment (or the retained ledger) continues from `end`. */
  start?: { chain: Buffer; root: Buffer };
  end?: { chain: Buffer; root: Buffer; frontier: MerkleFrontierState };
};

/** The outcome of verifying an archive directory: each segment, then how they join up. */
export type ArchiveCheck = {
  dir: string;
  segments: SegmentCheck[];
  /** Problems across segments (gaps, overlaps, broken continuity). */
  problems: string[];
  ok: boolean;
};

/** Called with every archived entry in order, once its hashes verified. */
export type OnArchivedEntry = (entry: ArchivedEntry, leaf: Buffer) => void;

/** Verifies one segment folder; never throws for a damaged one, it reports it. */
export async function verifySegment(
  dir: string,
  verifiers: readonly NoteVerifier[],
  onEntry?: OnArchivedEntry,
): Promise<SegmentCheck> {
  const check: SegmentCheck = { dir, ok: false, problems: [], entries: 0 };
  const problem = (message: string) => {
    if (check.problems.length < MAX_PROBLEMS) check.problems.push(message);
    else if (check.problems.length === MAX_PROBLEMS) check.problems.push('… and more');
  };
  try {
    const manifestText = readFileSync(path.join(dir, MANIFEST_FILE), 'utf8');
    const manifestSha256 = sha256(manifestText);
    check.manifestSha256 = manifestSha256;
    const manifest = JSON.parse(manifestText) as ArchiveManifest;
    if (manifest.format !== ARCHIVE_FORMAT) problem(`${MANIFEST_FILE}: format is not ${ARCHIVE_FORMAT}`);
    check.from = manifest.from_seq;
    check.to = manifest.to_seq;
    check.boundaryCheckpointId = manifest.boundary_checkpoint_id;

    // 1. The manifest's signature, then every file against the manifest.
    try {
      const opened = openNote(readFileSync(path.join(dir, MANIFEST_SIGNATURE_FILE), 'utf8'), verifiers);
      if (opened.body !== manifestNoteBody(manifest.origin, manifestSha256)) {
        problem(`${MANIFEST_SIGNATURE_FILE} signs another manifest than this ${MANIFEST_FILE}`);
      }
    } catch (error) {
      problem(`${MANIFEST_SIGNATURE_FILE}: ${(error as Error).message}`);
    }
    const listed = new Set([MANIFEST_FILE, MANIFEST_SIGNATURE_FILE]);
    for (const file of manifest.files ?? []) {
      listed.add(file.name);
      const full = path.join(dir, file.name);
      if (!existsSync(full)) {
        problem(`${file.name} is listed in the manifest but missing`);
        continue;
      }
      const size = statSync(full).size;
      const digest = await sha256File(full);
      if (size !== file.size || digest !== file.sha256) {
        problem(`${file.name}: SHA-256 or size differs from the manifest (altered after archiving)`);
      }
    }
    for (const name of readdirSync(dir)) {
      if (!listed.has(name)) problem(`${name} is not listed in the manifest`);
    }

    // 2. The signed checkpoints it holds, by tree size.
    const bySize = new Map<number, { name: string; root: Buffer }[]>();
    let boundaryRoot: Buffer | undefined;
    for (const file of manifest.files ?? []) {
      if (!file.name.endsWith('.note')) continue;
      try {
        const opened = openNote(readFileSync(path.join(dir, file.name), 'utf8'), verifiers);
        const checkpoint = parseCheckpoint(opened.body);
        if (checkpoint.origin !== manifest.origin) problem(`${file.name}: origin is not ${manifest.origin}`);
        if (checkpoint.size < manifest.from_seq - 1 || checkpoint.size > manifest.to_seq) {
          problem(`${file.name}: tree size ${checkpoint.size} is outside the segment`);
        }
        bySize.set(checkpoint.size, [
          ...(bySize.get(checkpoint.size) ?? []),
          { name: file.name, root: checkpoint.rootHash },
        ]);
        if (file.name === checkpointFileName(manifest.boundary_checkpoint_id)) {
          if (checkpoint.size !== manifest.to_seq)
            problem(`${file.name}: the boundary does not sign size ${manifest.to_seq}`);
          boundaryRoot = checkpoint.rootHash;
        }
      } catch (error) {
        problem(`${file.name}: ${(error as Error).message}`);
      }
    }
    if (!boundaryRoot)
      problem(`the boundary checkpoint ${manifest.boundary_checkpoint_id} is not in the segment`);

    // 3. The start state, held to the start checkpoint's signed root (or genesis).
    const start = JSON.parse(readFileSync(path.join(dir, START_FILE), 'utf8')) as SegmentStart;
    const frontier = MerkleFrontier.fromJSON(start.frontier);
    let prevChain: Buffer = Buffer.from(start.previous_chain, 'hex');
    check.start = { chain: prevChain, root: frontier.root() };
    if (start.seq !== manifest.from_seq || frontier.size !== manifest.from_seq - 1) {
      problem(`${START_FILE}: does not start at entry ${manifest.from_seq}`);
    }
    if (start.checkpoint_id === null) {
      if (manifest.from_seq !== 1 || !prevChain.equals(GENESIS_CHAIN)) {
        problem(`${START_FILE}: names no start checkpoint but does not start at genesis`);
      }
    } else {
      const signed = bySize.get(manifest.from_seq - 1) ?? [];
      if (!signed.some((note) => note.name === checkpointFileName(start.checkpoint_id!))) {
        problem(`${START_FILE}: its start checkpoint ${start.checkpoint_id} is not in the segment`);
      }
    }

    // 4. The entries: leaves, chain and roots recomputed in one pass.
    const compare = (size: number) => {
      for (const note of bySize.get(size) ?? []) {
        if (!note.root.equals(frontier.root())) {
          problem(`${note.name}: its signed root for size ${size} is not the root of the archived entries`);
        }
      }
    };
    compare(frontier.size);
    let expected = manifest.from_seq;
    const lines = createInterface({
      input: createReadStream(path.join(dir, ENTRIES_FILE)),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      if (line === '') continue;
      const entry = JSON.parse(line) as ArchivedEntry;
      if (entry.seq !== expected) {
        problem(`${ENTRIES_FILE}: entry ${expected} expected, found ${entry.seq}`);
        break;
      }
      const leaf = entryLeafHash({ seq: entry.seq, recorded_at: entry.recorded_at, event: entry.event });
      if (leaf.toString('hex') !== entry.leaf_hash) {
        problem(`${ENTRIES_FILE}: entry ${entry.seq}'s content no longer hashes to its leaf`);
      }
      // Checked against the stored leaf and continued from the stored chain, so an edited entry is
      // reported once, not again at every later link.
      const storedChain = Buffer.from(entry.chain_hash, 'hex');
      if (!chainHash(prevChain, Buffer.from(entry.leaf_hash, 'hex')).equals(storedChain)) {
        problem(`${ENTRIES_FILE}: the chain breaks at entry ${entry.seq}`);
      }
      prevChain = storedChain;
      frontier.append(leaf);
      compare(frontier.size);
      onEntry?.(entry, leaf);
      check.entries += 1;
      expected += 1;
    }
    if (frontier.size !== manifest.to_seq) {
      problem(`${ENTRIES_FILE}: ends at entry ${frontier.size}, the segment at ${manifest.to_seq}`);
    }
    check.end = { chain: prevChain, root: frontier.root(), frontier: frontier.toJSON() };
  } catch (error) {
    problem(`could not read the segment: ${(error as Error).message}`);
  }
  check.ok = check.problems.length === 0;
  return check;
}

/** The segment folders of an archive directory, oldest first. */
function segmentDirs(archiveDir: string): string[] {
  return readdirSync(archiveDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^segment-\d+-\d+$/.test(entry.name))
    .map((entry) => ({ name: entry.name, from: Number(entry.name.split('-')[1]) }))
    .sort((a, b) => a.from - b.from)
    .map((entry) => path.join(archiveDir, entry.name));
}

/** Verifies every segment of `archiveDir` and that each continues where the previous one ended. */
export async function verifyArchive(
  archiveDir: string,
  verifiers: readonly NoteVerifier[],
  onEntry?: OnArchivedEntry,
): Promise<ArchiveCheck> {
  const segments: SegmentCheck[] = [];
  const problems: string[] = [];
  if (!existsSync(archiveDir)) {
    return { dir: archiveDir, segments, problems: [`${archiveDir} does not exist`], ok: false };
  }
  for (const dir of segmentDirs(archiveDir)) segments.push(await verifySegment(dir, verifiers, onEntry));
  if (segments.length === 0) problems.push(`${archiveDir} holds no segment-<from>-<to> folders`);
  const first = segments[0];
  if (first?.from !== undefined && first.from !== 1) {
    problems.push(`the archive starts at entry ${first.from}: entries 1..${first.from - 1} are not in it`);
  }
  for (let i = 1; i < segments.length; i++) {
    const [before, after] = [segments[i - 1]!, segments[i]!];
    const name = path.basename(after.dir);
    if (before.to === undefined || after.from === undefined) continue;
    if (after.from !== before.to + 1) {
      problems.push(
        `${name} starts at entry ${after.from}, but ${path.basename(before.dir)} ends at ${before.to}`,
      );
    } else if (
      before.end &&
      after.start &&
      (!before.end.chain.equals(after.start.chain) || !before.end.root.equals(after.start.root))
    ) {
      problems.push(`${name} does not continue the chain and tree where ${path.basename(before.dir)} ends`);
    }
  }
  const ok = problems.length === 0 && segments.every((segment) => segment.ok);
  return { dir: archiveDir, segments, problems, ok };
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

async function sha256File(file: string): Promise<string> {
  const digest = createHash('sha256');
  for await (const chunk of createReadStream(file)) digest.update(chunk as Buffer);
  return digest.digest('hex');
}
