// Reading the signed checkpoints and inclusion proofs over HTTP: the list (newest first, paged),
// one checkpoint's signed note as stored, and an event's inclusion proof exactly as `grantflow
// audit prove` prints it. Every read is itself recorded in the ledger (ISO 27001 A.8.15).
import type postgres from 'postgres';
import { z } from 'zod';
import { decodeCursor, type Page, pageOf } from '../core/cursor.js';
import { GrantflowError, NotFoundError } from '../core/errors.js';
import type { Executor } from '../db/client.js';
import { cosignedNoteColumn } from './cosigned-note.js';
import type { AuditActor, AuditSource } from './events.js';
import { NotYetCheckpointedError, type ProofBundle, proveEvent } from './prove.js';
import { recordLedgerRead } from './record-read.js';
import { type NoteVerifier, openNote, parseCheckpoint, signedTime } from './signed-note.js';

/** What a checkpoint read needs: both database handles and the keys that sign checkpoints. */
export type CheckpointReadDeps = { db: Executor; sql: postgres.Sql; verifiers: readonly NoteVerifier[] };

/** Who reads, as the ledger records it. */
export type LedgerReader = { actor: AuditActor; source: Partial<AuditSource> };

/** One checkpoint as the list shows it. */
export type CheckpointSummary = {
  id: number;
  treeSize: number;
  rootHash: string;
  /** When it was sealed: the signed `time` line of an older checkpoint, else the time its row records. */
  time: string | null;
  createdAt: Date;
  keyId: string;
  /** `name+keyid` of each signature that verifies with a key this installation trusts. */
  signedBy: string[];
  /** Signatures by keys this installation does not hold (witness cosignatures, say). */
  otherSignatures: string[];
};

const checkpointKey = z.tuple([z.number().int().positive()]);

type Row = {
  id: string;
  tree_size: string;
  root_hash: Buffer;
  note: string;
  key_id: string;
  created_at: Date;
};

function summarize(row: Row, verifiers: readonly NoteVerifier[]): CheckpointSummary {
  let signedBy: string[] = [];
  let otherSignatures: string[] = [];
  let time: string | null = null;
  try {
    const opened = openNote(row.note, verifiers);
    signedBy = opened.verifiedBy.map((ref) => `${ref.name}+${ref.keyId}`);
    otherSignatures = opened.unknownSignatures.map((ref) => `${ref.name}+${ref.keyId}`);
    time = signedTime(parseCheckpoint(opened.body)) ?? null;
  } catch {
    // A note that does not verify is listed with no signer: `audit verify` says what is wrong.
  }
  return {
    id: Number(row.id),
    treeSize: Number(row.tree_size),
    rootHash: row.root_hash.toString('hex'),
    time: time ?? new Date(row.created_at).toISOString(),
    createdAt: row.created_at,
    keyId: row.key_id,
    signedBy,
    otherSignatures,
  };
}

/** Checkpoints newest first (by id), after the cursor's id. */
export async function listCheckpoints(
  deps: CheckpointReadDeps,
  page: { cursor?: string; limit: number },
  reader: LedgerReader,
): Promise<Page<CheckpointSummary>> {
  const beforeId = page.cursor ? decodeCursor(page.cursor, checkpointKey)[0] : null;
  const rows = await deps.sql<Row[]>`
    select id, tree_size, root_hash, note, key_id, created_at from audit_checkpoint
    where ${beforeId === null ? deps.sql`true` : deps.sql`id < ${beforeId}`}
    order by id desc limit ${page.limit + 1}`;
  const found = pageOf(rows, page.limit, (row) => [Number(row.id)]);
  await recordLedgerRead(deps.db, {
    eventType: 'audit.search.performed',
    ...reader,
    action: 'list-checkpoints',
    details: { returned: found.items.length, ...(beforeId === null ? {} : { beforeId }) },
  });
  return { items: found.items.map((row) => summarize(row, deps.verifiers)), nextCursor: found.nextCursor };
}

/** Checkpoint `id`'s signed note with its witnesses' cosignatures, as exported (C2SP signed-note text). */
export async function checkpointNote(
  deps: CheckpointReadDeps,
  id: number,
  reader: LedgerReader,
): Promise<{ id: number; treeSize: number; note: string }> {
  const [row] = await deps.sql<{ tree_size: string; note: string }[]>`
    select tree_size, ${cosignedNoteColumn(deps.sql)} from audit_checkpoint where id = ${id}`;
  if (!row) throw new NotFoundError('checkpoint', String(id));
  await recordLedgerRead(deps.db, {
    eventType: 'audit.export.created',
    ...reader,
    action: 'checkpoint-note',
    details: { checkpointId: id, treeSize: Number(row.tree_size) },
  });
  return { id, treeSize: Number(row.tree_size), note: row.note };
}

/** 404: the event is in the ledger but no signed checkpoint covers it yet, so nothing can prove it. */
class NotUnderCheckpointError extends GrantflowError {
  constructor(eventId: string, seq: number) {
    super(
      'not_yet_checkpointed',
      `Event ${eventId} (entry ${seq}) is not under a signed checkpoint yet, so there is no inclusion proof to give; the next checkpoint (every few minutes) will cover it.`,
      { status: 404, details: { eventId, seq } },
    );
  }
}

/**
 * The inclusion proof of `eventId` under the newest checkpoint: the bundle `grantflow audit prove`
 * prints and `grantflow audit check-proof` accepts. An event not yet under a checkpoint is a 404
 * here (the CLI's 409 says "wait"; to a browser nothing is there to download yet).
 */
export async function proveEventFor(
  deps: CheckpointReadDeps,
  eventId: string,
  reader: LedgerReader,
): Promise<ProofBundle> {
  let bundle: ProofBundle;
  try {
    bundle = await proveEvent(deps.sql, eventId);
  } catch (error) {
    if (error instanceof NotYetCheckpointedError) {
      throw new NotUnderCheckpointError(eventId, Number(error.details?.seq));
    }
    throw error;
  }
  await recordLedgerRead(deps.db, {
    eventType: 'audit.proof.created',
    ...reader,
    action: 'prove',
    details: { eventId, seq: bundle.event.seq, treeSize: bundle.treeSize },
  });
  return bundle;
}
