import type postgres from 'postgres';
import { GrantflowError, NotFoundError, ValidationError } from '../core/errors.js';
import { cosignedNoteColumn } from './cosigned-note.js';
import { isoTimestamp } from './entry.js';
import { consistencyProof, inclusionProof } from './merkle.js';

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

/**
 * An inclusion proof of one event under the newest checkpoint: the entry exactly as hashed, its
 * RFC 6962 audit path, and the signed checkpoint. Anyone holding the public key can check it.
 */
export async function proveEvent(sql: postgres.Sql, eventId: string): Promise<ProofBundle> {
  const [entry] = await sql<{ seq: string; recorded_at: string; event: unknown; leaf_hash: Buffer }[]>`
    select seq, ${isoTimestamp(sql)} as recorded_at, event, leaf_hash from audit_ledger where event_id = ${eventId}::uuid order by seq limit 1`;
  if (!entry) throw new NotFoundError('audit event', eventId);
  const seq = Number(entry.seq);
  const checkpoint = await newestCheckpoint(sql);
  if (!checkpoint || checkpoint.treeSize < seq) throw new NotYetCheckpointedError(seq);
  const leaves = await checkpointedLeaves(sql, checkpoint.treeSize);
  return {
    event: { seq, recorded_at: entry.recorded_at, event: entry.event },
    leafIndex: seq - 1,
    treeSize: checkpoint.treeSize,
    leafHash: entry.leaf_hash.toString('hex'),
    auditPath: inclusionProof(seq - 1, leaves).map((node) => node.toString('hex')),
    checkpoint: checkpoint.note,
  };
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

/** The leaf hashes of entries 1..treeSize, a page per round trip; refuses a ledger missing any. */
export async function checkpointedLeaves(
  sql: postgres.Sql | postgres.TransactionSql,
  treeSize: number,
): Promise<Buffer[]> {
  const leaves: Buffer[] = [];
  for (let after = 0; after < treeSize; ) {
    const page = await sql<{ seq: string; leaf_hash: Buffer }[]>`
      select seq, leaf_hash from audit_ledger where seq > ${after} and seq <= ${treeSize} order by seq limit ${LEAF_PAGE}`;
    if (page.length === 0) break;
    for (const row of page) leaves.push(row.leaf_hash);
    after = Number(page.at(-1)?.seq);
  }
  if (leaves.length !== treeSize) {
    throw new GrantflowError(
      'ledger_incomplete',
      `The ledger has ${leaves.length} of the ${treeSize} checkpointed entries; run grantflow audit verify.`,
    );
  }
  return leaves;
}
