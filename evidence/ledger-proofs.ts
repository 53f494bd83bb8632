// The ledger side of a pack: which signed checkpoints bound the period, the consistency proof
// between them, the period's events as OCSF, and an inclusion proof for every event the pack cites.
// The end checkpoint is the first one sealed after the pack request was recorded: it covers the
// whole period and the request, and its root is the samples' seed.
import type postgres from 'postgres';
import { cosignedNoteColumn } from '../audit/cosigned-note.js';
import { isoTimestamp } from '../audit/entry.js';
import { formatExportLine } from '../audit/export-format.js';
import { consistencyProof } from '../audit/merkle.js';
import { MerkleLevels } from '../audit/merkle-levels.js';
import { parseCheckpoint } from '../audit/signed-note.js';
import { openFileSink, packJson, writeWholeFile } from './file-sink.js';
import type { CheckpointRef } from './model.js';

type Sql = postgres.Sql | postgres.TransactionSql;

/** The checkpoints a pack is proven against, and what could not be proven. */
export type PackCheckpoints = { start: CheckpointRef | null; end: CheckpointRef; startNote?: string };

type CheckpointRow = { tree_size: string; root_hash: Buffer; note: string };

const toRef = (row: CheckpointRow): CheckpointRef => ({
  treeSize: Number(row.tree_size),
  rootHash: row.root_hash.toString('hex'),
  note: row.note,
});

/** The first checkpoint whose tree holds entry `seq`, or undefined when none is sealed yet. */
export async function firstCheckpointCovering(sql: Sql, seq: number): Promise<CheckpointRef | undefined> {
  const [row] = await sql<CheckpointRow[]>`
    select tree_size, root_hash, ${cosignedNoteColumn(sql)} from audit_checkpoint where tree_size >= ${seq}
    order by tree_size, id limit 1`;
  return row ? toRef(row) : undefined;
}

/**
 * The period's start checkpoint: the newest whose tree holds only entries recorded before the
 * period began. Without one, the pack says what it can prove instead.
 */
export async function packCheckpoints(
  sql: Sql,
  periodStart: string,
  end: CheckpointRef,
): Promise<PackCheckpoints> {
  const [first] = await sql<{ seq: string | null }[]>`
    select min(seq) as seq from audit_ledger where recorded_at >= ${periodStart}::timestamptz`;
  const before = first?.seq ? Number(first.seq) - 1 : end.treeSize;
  const [row] = await sql<CheckpointRow[]>`
    select tree_size, root_hash, ${cosignedNoteColumn(sql)} from audit_checkpoint where tree_size <= ${before}
    order by tree_size desc, id desc limit 1`;
  if (row && (Number(row.tree_size) === before || before === 0)) return { start: toRef(row), end };
  if (row) {
    return {
      start: toRef(row),
      end,
      startNote:
        `The newest checkpoint before the period holds ${row.tree_size} entries; the period starts at entry ` +
        `${before + 1}. Entries ${Number(row.tree_size) + 1}..${before} (before the period) are covered by the consistency proof too.`,
    };
  }
  if (before === 0)
    return {
      start: null,
      end,
      startNote: 'The ledger begins in this period: there is nothing before it to prove.',
    };
  return {
    start: null,
    end,
    startNote:
      `No checkpoint was sealed before this period began (its first entry is ${before + 1}), so the pack cannot ` +
      'prove that the entries before it were not rewritten; it proves the period against the end checkpoint only.',
  };
}

/** Writes the two checkpoints and the consistency proof between them; returns the proof's path. */
export async function writeCheckpointProofs(
  root: string,
  checkpoints: PackCheckpoints,
  leaves: readonly Buffer[],
): Promise<{ files: string[]; consistency: string | null }> {
  const files = [(await writeWholeFile(root, 'ledger/end-checkpoint.note', checkpoints.end.note)).path];
  if (!checkpoints.start) return { files, consistency: null };
  files.push((await writeWholeFile(root, 'ledger/start-checkpoint.note', checkpoints.start.note)).path);
  const { start, end } = checkpoints;
  const proof = consistencyProof(start.treeSize, leaves.slice(0, end.treeSize));
  const bundle = {
    oldSize: start.treeSize,
    newSize: end.treeSize,
    oldRoot: start.rootHash,
    newRoot: end.rootHash,
    proof: proof.map((node) => node.toString('hex')),
    oldCheckpoint: start.note,
    newCheckpoint: end.note,
  };
  const written = await writeWholeFile(root, 'ledger/consistency.json', packJson(bundle));
  files.push(written.path);
  return { files, consistency: written.path };
}

/** One inclusion proof per cited entry, as `grantflow audit prove` prints them, one per line. */
export async function writeInclusionProofs(
  sql: Sql,
  root: string,
  end: CheckpointRef,
  leaves: readonly Buffer[],
  seqs: Iterable<number>,
): Promise<{ path: string; count: number }> {
  const ordered = [...new Set(seqs)].filter((seq) => seq >= 1 && seq <= end.treeSize).sort((a, b) => a - b);
  const tree = new MerkleLevels(leaves.length === end.treeSize ? leaves : leaves.slice(0, end.treeSize));
  if (tree.root().toString('hex') !== end.rootHash) {
    throw new Error(
      `the ledger's first ${end.treeSize} entries do not hash to the checkpoint's root; run grantflow audit verify`,
    );
  }
  const sink = openFileSink(root, 'ledger/inclusion-proofs.jsonl');
  for (let i = 0; i < ordered.length; i += 1000) {
    const slice = ordered.slice(i, i + 1000);
    const rows = await sql<{ seq: string; recorded_at: string; event: unknown }[]>`
      select seq, ${isoTimestamp(sql)} as recorded_at, event from audit_ledger
      where seq = any(${slice}::bigint[]) order by seq`;
    let text = '';
    for (const row of rows) {
      const seq = Number(row.seq);
      text += `${JSON.stringify({
        event: { seq, recorded_at: row.recorded_at, event: row.event },
        leafIndex: seq - 1,
        treeSize: end.treeSize,
        leafHash: leaves[seq - 1]!.toString('hex'),
        auditPath: tree.inclusionProof(seq - 1).map((node) => node.toString('hex')),
        checkpoint: end.note,
      })}\n`;
    }
    await sink.write(text);
  }
  const written = await sink.close();
  return { path: written.path, count: ordered.length };
}

/** The period's ledger events as OCSF, one per line, streamed. */
export async function writeOcsfEvents(
  tx: postgres.TransactionSql,
  root: string,
  period: { start: string; end: string },
  treeSize: number,
): Promise<{ path: string; count: number }> {
  const sink = openFileSink(root, 'ledger/events.ocsf.jsonl');
  let count = 0;
  const rows = tx<{ seq: string; recorded_at: string; event: Record<string, unknown> }[]>`
    select seq, ${isoTimestamp(tx)} as recorded_at, event from audit_ledger
    where recorded_at >= ${period.start}::timestamptz and recorded_at < ${period.end}::timestamptz and seq <= ${treeSize}
    order by seq`.cursor(1000);
  for await (const page of rows) {
    let text = '';
    for (const row of page) {
      text += formatExportLine(
        { seq: Number(row.seq), recorded_at: row.recorded_at, event: row.event },
        'ocsf',
      );
    }
    count += page.length;
    await sink.write(text);
  }
  const written = await sink.close();
  return { path: written.path, count };
}

/** The checkpoint's origin line, for the pack model. */
export function checkpointOrigin(note: string): string {
  return parseCheckpoint(note.slice(0, note.indexOf('\n\n') + 1)).origin;
}
