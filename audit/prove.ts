import type postgres from 'postgres';
import { GrantflowError, NotFoundError, ValidationError } from '../core/errors.js';
import { cosignedNoteColumn } from './cosigned-note.js';
import { isoTimestamp } from './entry.js';
import { consistencyProof, inclusionProof, type MerkleFrontierState } from './merkle.js';
import { verifyArchive } from './retention/archive-verify.js';
import { inclusionProofAfterPrefix } from './retention/pruned-tree.js';
import type { NoteVerifier } from './signed-note.js';

/** Leaf hashes read per round trip while rebuilding a checkpointed tree. */
const LEAF_PAGE = 50_000;

/** What `grantflow audit prove` prints; `audit/proof-verify.ts` documents and checks it offline. */
export type ProofBundle = {
  event: { seq: number; recorded_at: string; event: unknown };
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  auditPath: string[];
  checkpoint: string;
};

/** What `grantflow audit prove-consistency` prints; `audit/proof-verify.ts` documents and checks it. */
export type ConsistencyBundle = {
  oldSize: number;
  newSize: number;
  /** Hex roots as stored beside the checkpoints; the verifier holds them to the signed notes. */
  oldRoot: string;
  newRoot: string;
  /** RFC 6962 §2.1.2 PROOF(oldSize, D[newSize]), hex. */
  proof: string[];
  oldCheckpoint: string;
  newCheckpoint: string;
};

/** The event exists but no checkpoint covers it yet. */
export class NotYetCheckpointedError extends GrantflowError {
  constructor(seq: number) {
    super(
      'not_yet_checkpointed',
      `Entry ${seq} is not under a signed checkpoint yet; wait for the next one or run \`grantflow audit checkpoint\`.`,
      { status: 409, details: { seq } },
    );
  }
}

type CheckpointHead = { treeSize: number; rootHash: string; note: string };

/** Where pruned entries are read from: an archive directory and the keys its files are checked with. */
export type ProofArchive = { dir: string; verifiers: readonly NoteVerifier[] };

/**
 * An inclusion proof of one event under the newest checkpoint: the entry exactly as hashed, its
 * RFC 6962 audit path, and the signed checkpoint. Anyone holding the public key can check it.
 * After retention pruned the ledger, a retained event is proven from the boundary checkpoint's
 * frontier; an archived one needs the archive, verified first, whose leaves stand in for the
 * pruned entries.
 */
export async function proveEvent(
  sql: postgres.Sql,
  eventId: string,
  archive?: ProofArchive,
): Promise<ProofBundle> {
  const [entry] = await sql<{ seq: string; recorded_at: string; event: unknown; leaf_hash: Buffer }[]>`
    select seq, ${isoTimestamp(sql)} as recorded_at, event, leaf_hash from audit_ledger where event_id = ${eventId}::uuid order by seq limit 1`;
  const checkpoint = await newestCheckpoint(sql);
  const pruned = await prunedPrefix(sql);
  let found = entry && {
    seq: Number(entry.seq),
    recorded_at: entry.recorded_at,
    event: entry.event,
    leafHash: entry.leaf_hash,
  };
  if (found && (!archive || !pruned)) {
    if (!checkpoint || checkpoint.treeSize < found.seq) throw new NotYetCheckpointedError(found.seq);
    const leaves = await checkpointedLeaves(sql, checkpoint.treeSize, pruned?.size ?? 0);
    const auditPath = pruned
      ? inclusionProofAfterPrefix(found.seq - 1, pruned, leaves)
      : inclusionProof(found.seq - 1, leaves);
    return bundle(found, checkpoint, auditPath);
  }
  if (!archive || !pruned) {
    throw pruned && !found
      ? new GrantflowError(
          'ledger_pruned',
          `No audit event ${eventId} in the database; entries 1..${pruned.size} were pruned by retention: pass --archive <dir> to prove from the archive.`,
          { status: 404, details: { eventId, prunedThrough: pruned.size } },
        )
      : new NotFoundError('audit event', eventId);
  }
  const prefix: Buffer[] = [];
  const check = await verifyArchive(archive.dir, archive.verifiers, (archived, leaf) => {
    if (prefix.length < pruned.size) prefix.push(leaf);
    const event = archived.event as { event_id?: string };
    if (!found && event?.event_id === eventId) {
      found = { seq: archived.seq, recorded_at: archived.recorded_at, event: archived.event, leafHash: leaf };
    }
  });
  const problems = [...check.problems, ...check.segments.flatMap((segment) => segment.problems)];
  if (!check.ok)
    throw new GrantflowError(
      'archive_invalid',
      `The archive ${archive.dir} does not verify: ${problems.join('; ')}`,
    );
  if (prefix.length !== pruned.size) {
    throw new GrantflowError(
      'archive_incomplete',
      `The archive ${archive.dir} holds ${prefix.length} entries, the database pruned ${pruned.size}.`,
    );
  }
  if (!found) throw new NotFoundError('audit event', eventId);
  if (!checkpoint || checkpoint.treeSize < found.seq) throw new NotYetCheckpointedError(found.seq);
  const leaves = [...prefix, ...(await checkpointedLeaves(sql, checkpoint.treeSize, prefix.length))];
  return bundle(found, checkpoint, inclusionProof(found.seq - 1, leaves));
}

function bundle(
  found: { seq: number; recorded_at: string; event: unknown; leafHash: Buffer },
  checkpoint: CheckpointHead,
  auditPath: Buffer[],
): ProofBundle {
  return {
    event: { seq: found.seq, recorded_at: found.recorded_at, event: found.event },
    leafIndex: found.seq - 1,
    treeSize: checkpoint.treeSize,
    leafHash: found.leafHash.toString('hex'),
    auditPath: auditPath.map((node) => node.toString('hex')),
    checkpoint: checkpoint.note,
  };
}

// The frontier of the pruned entries, from the checkpoint at the boundary, when retention pruned any.
async function prunedPrefix(sql: postgres.Sql): Promise<MerkleFrontierState | undefined> {
  const [oldest] = await sql<{ seq: string | null }[]>`select min(seq) as seq from audit_ledger`;
  const first = oldest?.seq ? Number(oldest.seq) : 1;
  if (first <= 1) return undefined;
  const [row] = await sql<{ frontier: MerkleFrontierState }[]>`
    select frontier from audit_checkpoint where tree_size = ${first - 1} order by id desc limit 1`;
  if (!row) {
    throw new GrantflowError(
      'ledger_incomplete',
      `The ledger starts at entry ${first} with no checkpoint at ${first - 1}; run grantflow audit verify.`,
    );
  }
  return row.frontier;
}

/**
 * A consistency proof between the checkpoints of tree sizes `from` and `to` (the newest when
 * omitted): shows that nothing the older one signed was removed or rewritten by the newer one.
 */
export async function proveConsistency(
  sql: postgres.Sql,
  from: number,
  to?: number,
): Promise<ConsistencyBundle> {
  for (const [name, size] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (size !== undefined && !(Number.isSafeInteger(size) && size >= 0)) {
      throw new ValidationError(`${name} must be a checkpoint's tree size, a whole number from 0`, {
        field: name,
      });
    }
  }
  if (to !== undefined && from > to) {
    throw new ValidationError(
      `from (${from}) is larger than to (${to}): a consistency proof runs from an older checkpoint to a newer one`,
      { from, to },
    );
  }
  const older = await checkpointOfSize(sql, from);
  // The older checkpoint exists, so a newest one does too, and it is at least as large.
  const newer = to === undefined ? ((await newestCheckpoint(sql)) ?? older) : await checkpointOfSize(sql, to);
  const leaves = await checkpointedLeaves(sql, newer.treeSize);
  return {
    oldSize: older.treeSize,
    newSize: newer.treeSize,
    oldRoot: older.rootHash,
    newRoot: newer.rootHash,
    proof: consistencyProof(older.treeSize, leaves).map((node) => node.toString('hex')),
    oldCheckpoint: older.note,
    newCheckpoint: newer.note,
  };
}

async function newestCheckpoint(sql: postgres.Sql): Promise<CheckpointHead | undefined> {
  const [row] = await sql<{ tree_size: string; root_hash: Buffer; note: string }[]>`
    select tree_size, root_hash, ${cosignedNoteColumn(sql)} from audit_checkpoint order by tree_size desc, id desc limit 1`;
  return row && { treeSize: Number(row.tree_size), rootHash: row.root_hash.toString('hex'), note: row.note };
}

// Sealing on a schedule repeats a size while nothing happens; those checkpoints sign the same
// tree, so the newest stands for them.
async function checkpointOfSize(sql: postgres.Sql, treeSize: number): Promise<CheckpointHead> {
  const [row] = await sql<{ root_hash: Buffer; note: string }[]>`
    select root_hash, ${cosignedNoteColumn(sql)} from audit_checkpoint where tree_size = ${treeSize} order by id desc limit 1`;
  if (!row) throw new NotFoundError('checkpoint of tree size', String(treeSize));
  return { treeSize, rootHash: row.root_hash.toString('hex'), note: row.note };
}

/**
 * The leaf hashes of entries after+1..treeSize (after = 0: all), a page per round trip; refuses a
 * ledger missing any.
 */
export async function checkpointedLeaves(
  sql: postgres.Sql | postgres.TransactionSql,
  treeSize: number,
  from = 0,
): Promise<Buffer[]> {
  const leaves: Buffer[] = [];
  for (let after = from; after < treeSize; ) {
    const page = await sql<{ seq: string; leaf_hash: Buffer }[]>`
      select seq, leaf_hash from audit_ledger where seq > ${after} and seq <= ${treeSize} order by seq limit ${LEAF_PAGE}`;
    if (page.length === 0) break;
    for (const row of page) leaves.push(row.leaf_hash);
    after = Number(page.at(-1)?.seq);
  }
  if (leaves.length !== treeSize - from) {
    throw new GrantflowError(
      'ledger_incomplete',
      `The ledger has ${leaves.length} of the ${treeSize - from} checkpointed entries after ${from}; run grantflow audit verify.`,
    );
  }
  return leaves;
}
