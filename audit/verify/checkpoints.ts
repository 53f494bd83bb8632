// Checkpoints: the signed claims the walk compares the ledger with, loaded from audit_checkpoint
// rows and from exported `.note` files, with the findings opening them produces.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type postgres from 'postgres';
import { HASH_SIZE } from '../hash.js';
import { MerkleFrontier, type MerkleFrontierState } from '../merkle.js';
import {
  MalformedNoteError,
  type NoteVerifier,
  openNote,
  parseCheckpoint,
  signedTime,
  UnverifiedNoteError,
} from '../signed-note.js';
import type { FindingCode, FindingList } from './findings.js';
import type { CheckpointSummary } from './types.js';

export type ExportedNote = { file: string; id?: number; text: string };

/** Something signed that says "the first `size` leaves have this root". */
export type Claim = {
  label: string;
  size: number;
  root: Buffer;
  checkpointId?: number;
  file?: string;
  /** Unsigned columns of a database checkpoint, used only to explain and narrow findings. */
  chainHead?: Buffer;
  frontier?: MerkleFrontier;
  /** Filled in by the walk. */
  matched?: boolean;
  ours?: MerkleFrontierState;
  chainHeadMatches?: boolean;
};

export type DbCheckpoint = {
  id: number;
  note: string;
  trusted: boolean;
  claim?: Claim;
  summary?: CheckpointSummary;
};

export async function loadCheckpoints(
  tx: postgres.TransactionSql,
  verifiers: readonly NoteVerifier[],
  findings: FindingList,
): Promise<DbCheckpoint[]> {
  const rows = await tx<
    {
      id: string;
      tree_size: string;
      root_hash: Buffer;
      chain_head: Buffer;
      frontier: unknown;
      note: string;
      key_id: string;
      created_at: Date | string;
    }[]
  >`select id, tree_size, root_hash, chain_head, frontier, note, key_id, created_at from audit_checkpoint order by id`;
  return rows.map((row) => {
    const id = Number(row.id);
    const opened = openCheckpoint(row.note, verifiers, (code, message) =>
      findings.add({ code, checkpointId: id, message: `checkpoint ${id}: ${message}` }),
    );
    if (!opened) return { id, note: row.note, trusted: false };
    const { size, root, signedBy, time } = opened;

    const problems: string[] = [];
    if (Number(row.tree_size) !== size)
      problems.push(`tree_size column says ${row.tree_size}, the signed note ${size}`);
    if (!row.root_hash.equals(root)) problems.push('root_hash column differs from the signed root');
    if (!signedBy.some((ref) => ref.endsWith(`+${row.key_id}`))) {
      problems.push(`key_id column says ${row.key_id}, the note is signed by ${signedBy.join(', ')}`);
    }
    // The frontier is what the next seal extends; one that does not reproduce the signed root
    // would make every later checkpoint vouch for a different tree (sealCheckpoint refuses it).
    let frontier: MerkleFrontier | undefined;
    try {
      frontier = MerkleFrontier.fromJSON(row.frontier as MerkleFrontierState);
      if (frontier.size !== size || !frontier.root().equals(root)) frontier = undefined;
    } catch {
      frontier = undefined;
    }
    if (!frontier) problems.push('stored frontier does not reproduce the signed root');
    if (problems.length > 0) {
      findings.add({
        code: 'checkpoint_mismatch',
        checkpointId: id,
        message: `checkpoint ${id}: ${problems.join('; ')}`,
      });
    }
    const claim: Claim = {
      label: `checkpoint ${id}`,
      size,
      root,
      checkpointId: id,
      ...(row.chain_head.length === HASH_SIZE ? { chainHead: row.chain_head } : {}),
      ...(frontier ? { frontier } : {}),
    };
    const summary: CheckpointSummary = { id, treeSize: size, rootHash: root.toString('hex'), signedBy };
    // The signed time of an older checkpoint, else the time its row records it was sealed.
    summary.time = time ?? new Date(row.created_at).toISOString();
    return { id, note: row.note, trusted: true, claim, summary };
  });
}

function openCheckpoint(
  note: string,
  verifiers: readonly NoteVerifier[],
  report: (code: FindingCode, message: string) => void,
): { size: number; root: Buffer; signedBy: string[]; time?: string } | undefined {
  try {
    const opened = openNote(note, verifiers);
    if (opened.invalidSignatures.length > 0) {
      // Another known key verified it, but a signature by one of our keys that does not verify
      // means the note text or its signature lines were altered after signing.
      const refs = opened.invalidSignatures.map((ref) => `${ref.name}+${ref.keyId}`).join(', ');
      report('checkpoint_signature_invalid', `signature by ${refs} does not verify`);
    }
    const checkpoint = parseCheckpoint(opened.body);
    const time = signedTime(checkpoint);
    return {
      size: checkpoint.size,
      root: checkpoint.rootHash,
      signedBy: opened.verifiedBy.map((ref) => `${ref.name}+${ref.keyId}`),
      ...(time ? { time } : {}),
    };
  } catch (error) {
    if (error instanceof UnverifiedNoteError) {
      if (error.reason === 'unknown_key') {
        report(
          'checkpoint_unknown_key',
          `${error.message}; a checkpoint we did not sign (a forgery, or a key not given)`,
        );
      } else {
        report('checkpoint_signature_invalid', `${error.message}; the note was altered after signing`);
      }
      return undefined;
    }
    if (error instanceof MalformedNoteError) {
      report('checkpoint_malformed', `not a signed checkpoint: ${error.message}`);
      return undefined;
    }
    throw error;
  }
}

/** The exported notes in `dir`, or undefined when there is no such directory (nothing to compare). */
export function readExportDir(dir: string): ExportedNote[] | undefined {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return names
    .filter((name) => name.endsWith('.note'))
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      const id = /^checkpoint-0*(\d+)\.note$/.exec(name)?.[1];
      return { file, text: readFileSync(file, 'utf8'), ...(id !== undefined ? { id: Number(id) } : {}) };
    });
}

// The exported copy of a checkpoint carries its witnesses' cosignatures after the log's own
// signature: the database note followed by nothing but further signature lines.
function carriesNote(exported: string, stored: string): boolean {
  return exported.startsWith(stored) && /^(\u2014 [^\n]+\n)*$/u.test(exported.slice(stored.length));
}

// An exported note identical to a database note adds nothing; any other verified one is a
// second, independent claim about the ledger, compared like a database checkpoint.
export function exportedClaims(
  exported: ExportedNote[],
  checkpoints: DbCheckpoint[],
  verifiers: readonly NoteVerifier[],
  findings: FindingList,
): Claim[] {
  const byNote = new Map(checkpoints.map((checkpoint) => [checkpoint.note, checkpoint]));
  const claims: Claim[] = [];
  for (const note of exported) {
    if (byNote.get(note.text)?.trusted) continue;
    const same =
      note.id === undefined ? undefined : checkpoints.find((checkpoint) => checkpoint.id === note.id);
    if (same?.trusted && carriesNote(note.text, same.note)) continue;
    const name = path.basename(note.file);
    const where = { file: note.file, ...(note.id !== undefined ? { checkpointId: note.id } : {}) };
    const opened = openCheckpoint(note.text, verifiers, (code, message) =>
      findings.add({ code, ...where, message: `exported ${name}: ${message}` }),
    );
    if (!opened) continue;
    const claim: Claim = { label: `exported ${name}`, size: opened.size, root: opened.root, ...where };
    claims.push(claim);
    const row =
      note.id === undefined ? undefined : checkpoints.find((checkpoint) => checkpoint.id === note.id);
    // A database row that no longer verifies was reported already; a checkpoint of the same
    // size with another root is reported as a split view once the ledger says which is right.
    if (row && !row.trusted) continue;
    if (
      checkpoints.some(
        (checkpoint) => checkpoint.claim?.size === opened.size && !checkpoint.claim.root.equals(opened.root),
      )
    ) {
      continue;
    }
    const root = `${opened.root.toString('hex').slice(0, 16)}…`;
    const database = row
      ? `database checkpoint ${row.id} differs from it`
      : 'the database has no such checkpoint';
    findings.add({
      code: 'split_view',
      ...where,
      message:
        `exported ${name} (size ${opened.size}, root ${root}) is signed, but ${database}: ` +
        'the database and its exported copy tell different stories',
    });
  }
  return claims;
}
