// The archive of a pruned ledger segment: one folder per segment under `<export dir>/archive/`,
// written by archive-write.ts and checked by archive-verify.ts with nothing but the folder and the
// verifier keys. A segment holds entries from..to, where `to` is a signed checkpoint's tree size:
//
//   entries.jsonl        one entry a line, exactly as hashed: { seq, recorded_at, event }, plus
//                        the stored leaf_hash and chain_hash (hex)
//   start.json           where the segment continues from: the chain hash of entry from-1 (zeros
//                        at genesis) and the Merkle frontier of the first from-1 leaves
//   checkpoint-<id>.note every signed checkpoint whose tree size is in from-1..to, the boundary
//                        (size `to`) and the start boundary (size from-1) included
//   manifest.json        each file's SHA-256 and size, the range and the checkpoints
//   manifest.sig         a C2SP signed note over manifest.json's SHA-256, by the ledger key
import type { MerkleFrontierState } from '../merkle.js';

/** Names the manifest's format, so a later layout can be told apart. */
export const ARCHIVE_FORMAT = 'grantflow-audit-archive/1';
export const ENTRIES_FILE = 'entries.jsonl';
export const START_FILE = 'start.json';
export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_SIGNATURE_FILE = 'manifest.sig';

/** One archived ledger entry, as a line of entries.jsonl. */
export type ArchivedEntry = {
  seq: number;
  recorded_at: string;
  event: unknown;
  leaf_hash: string;
  chain_hash: string;
};

/** start.json: the state the segment's first entry extends. */
export type SegmentStart = {
  seq: number;
  previous_chain: string;
  frontier: MerkleFrontierState;
  /** The checkpoint of tree size seq - 1; null when the segment starts at genesis. */
  checkpoint_id: number | null;
};

/** manifest.json. */
export type ArchiveManifest = {
  format: typeof ARCHIVE_FORMAT;
  origin: string;
  from_seq: number;
  to_seq: number;
  boundary_checkpoint_id: number;
  start_checkpoint_id: number | null;
  created_at: string;
  files: { name: string; sha256: string; size: number }[];
};

/** The folder name of the segment from..to. */
export function segmentDirName(from: number, to: number): string {
  return `segment-${from}-${to}`;
}

/** A checkpoint's file name, as in the export directory. */
export function checkpointFileName(id: number): string {
  return `checkpoint-${String(id).padStart(10, '0')}.note`;
}

/** What manifest.sig signs: the ledger's origin, then the manifest's SHA-256. */
export function manifestNoteBody(origin: string, manifestSha256: string): string {
  return `${origin}/audit-archive\n${MANIFEST_FILE} sha256 ${manifestSha256}\n`;
}
