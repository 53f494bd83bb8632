import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type postgres from 'postgres';
import { GENESIS_CHAIN } from './hash.js';
import type { LedgerKeys } from './keys.js';
import { MerkleFrontier, type MerkleFrontierState } from './merkle.js';
import { formatCheckpoint, openNote, parseCheckpoint, signNote } from './signed-note.js';
import { collectCosignatures, type WitnessingDeps, type WitnessOutcome } from './witness/collect.js';

/** Serialises checkpoint sealing across workers (distinct from the sequencer's lock). */
const CHECKPOINT_LOCK_KEY = 0x67666370; // "gfcp"

/** Leaves read per round trip while extending the tree. */
const PAGE = 20_000;

/** A sealed checkpoint, as stored and exported. */
export type SealedCheckpoint = {
  id: number;
  treeSize: number;
  rootHash: string;
  /** The signed note, followed by the witnesses' cosignature lines when there are any. */
  note: string;
  file?: string;
  /** How each configured witness answered; empty without witnesses. */
  witnesses: WitnessOutcome[];
};

/** A checkpoint already in the database that cannot be trusted to extend; nothing was sealed. */
class CheckpointBaseError extends Error {
  readonly code = 'checkpoint_base_invalid';
}

type CheckpointRow = {
  id: string;
  tree_size: string;
  root_hash: Buffer;
  frontier: MerkleFrontierState;
  note: string;
  chain_head: Buffer;
};

/**
 * Seals a checkpoint over every sequenced entry, even when nothing new arrived (a fresh
 * signature, sealed at a recorded time, shows the log was alive and unchanged). Extends the previous
 * checkpoint's frontier, so the cost is proportional to the new entries. Before signing it
 * checks the previous checkpoint: its signature must verify and its stored frontier must
 * reproduce its signed root, or the new checkpoint would vouch for a tampered base.
 */
export async function sealCheckpoint(
  sql: postgres.Sql,
  keys: LedgerKeys,
  options: { origin: string; exportDir?: string; now?: Date; witnessing?: WitnessingDeps },
): Promise<SealedCheckpoint> {
  const sealed = await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${CHECKPOINT_LOCK_KEY})`;
    const [previous] = await tx<CheckpointRow[]>`
      select id, tree_size, root_hash, frontier, note, chain_head from audit_checkpoint
      order by tree_size desc, id desc limit 1`;
    const frontier = previous ? trustedFrontier(previous, keys) : new MerkleFrontier();

    let chainHead: Buffer = GENESIS_CHAIN;
    if (previous && Number(previous.tree_size) > 0) {
      const [head] = await tx<{ chain_hash: Buffer }[]>`
        select chain_hash from audit_ledger where seq = ${previous.tree_size}`;
      chainHead = head?.chain_hash ?? (await prunedChainHead(tx, previous));
    }
    for (;;) {
      const page = await tx<{ seq: string; leaf_hash: Buffer; chain_hash: Buffer }[]>`
        select seq, leaf_hash, chain_hash from audit_ledger
        where seq > ${frontier.size} order by seq limit ${PAGE}`;
      for (const row of page) {
        if (Number(row.seq) !== frontier.size + 1) {
          throw new CheckpointBaseError(
            `ledger has a gap: expected entry ${frontier.size + 1}, found ${row.seq}`,
          );
        }
        frontier.append(row.leaf_hash);
        chainHead = row.chain_hash;
      }
      if (page.length < PAGE) break;
    }

    const now = options.now ?? new Date();
    const rootHash = frontier.root();
    // No time line in the body: C2SP tlog-checkpoint advises against extension lines, and the
    // time a checkpoint was sealed lives in its row (created_at). Checkpoints sealed before
    // carry `time ...` and still verify.
    const body = formatCheckpoint({ origin: options.origin, size: frontier.size, rootHash });
    const note = signNote(body, keys.signer);
    const [row] = await tx<{ id: string }[]>`
      insert into audit_checkpoint (tree_size, root_hash, chain_head, frontier, note, key_id, created_at)
      values (${frontier.size}, ${rootHash}, ${chainHead}, ${JSON.stringify(frontier.toJSON())}::jsonb, ${note},
              ${keys.signer.keyId}, ${now.toISOString()}::timestamptz)
      returning id`;
    return { id: Number(row?.id), treeSize: frontier.size, rootHash: rootHash.toString('hex'), note };
  });
  // After commit: a witness cosigns only what the log has durably signed, and one that is slow
  // or down never holds the checkpoint lock.
  const witnesses = options.witnessing?.witnesses.length
    ? await collectCosignatures(sql, options.witnessing, sealed)
    : [];
  const cosigned = {
    ...sealed,
    // In witness-name order, as cosignedNote lists them, so every copy reads the same.
    note:
      sealed.note +
      [...witnesses]
        .sort((a, b) => (a.witness < b.witness ? -1 : a.witness > b.witness ? 1 : 0))
        .map((answer) => answer.line ?? '')
        .join(''),
    witnesses,
  };
  if (!options.exportDir) return cosigned;
  // Outside the database, standing for WORM storage or a SIEM: a copy an attacker with database
  // access cannot rewrite. Written after commit and the cosignatures, so no exported checkpoint
  // lacks its row and each carries the witnesses' lines.
  mkdirSync(options.exportDir, { recursive: true });
  const file = path.join(options.exportDir, `checkpoint-${String(sealed.id).padStart(10, '0')}.note`);
  writeFileSync(file, cosigned.note, { flag: 'wx' });
  return { ...cosigned, file };
}

// Retention pruned the entry the last checkpoint ends on (audit/retention/): the chain continues
// from the head that checkpoint recorded, which `audit verify` holds to the first retained entry.
async function prunedChainHead(tx: postgres.TransactionSql, previous: CheckpointRow): Promise<Buffer> {
  const [oldest] = await tx<{ seq: string | null }[]>`select min(seq) as seq from audit_ledger`;
  if (oldest?.seq && Number(oldest.seq) === Number(previous.tree_size) + 1) return previous.chain_head;
  throw new CheckpointBaseError(`ledger entry ${previous.tree_size} under the last checkpoint is missing`);
}

function trustedFrontier(previous: CheckpointRow, keys: LedgerKeys): MerkleFrontier {
  let signedRoot: Buffer;
  let signedSize: number;
  try {
    const checkpoint = parseCheckpoint(openNote(previous.note, keys.verifiers).body);
    signedRoot = checkpoint.rootHash;
    signedSize = checkpoint.size;
  } catch (error) {
    throw new CheckpointBaseError(`checkpoint ${previous.id} does not verify: ${(error as Error).message}`);
  }
  const frontier = MerkleFrontier.fromJSON(previous.frontier);
  if (
    signedSize !== Number(previous.tree_size) ||
    frontier.size !== signedSize ||
    !frontier.root().equals(signedRoot) ||
    !signedRoot.equals(previous.root_hash)
  ) {
    throw new CheckpointBaseError(
      `checkpoint ${previous.id}: stored tree state does not match its signed root`,
    );
  }
  return frontier;
}
