// The verifier's public option and report shapes, and the Settings its stages read (the
// options with defaults applied).
import type { CosignatureVerifier } from '../cosignature.js';
import type { NoteVerifier } from '../signed-note.js';
import type { Finding } from './findings.js';
import type { WitnessSummary } from './witnesses.js';

/** What verifyLedger needs besides the connection. */
export interface VerifyOptions {
  /** Keys checkpoints may be signed with: the current one and every rotated-out one. */
  verifiers: readonly NoteVerifier[];
  /** Directory of exported checkpoint `.note` files (the copy outside the database) to compare. */
  exportDir?: string;
  /** Archive directory (`<export dir>/archive`) whose pruned segments are verified too. */
  archiveDir?: string;
  /**
   * Report row-level findings (payload, chain, dates, intake, duplicates, moves) only for entries
   * ≥ since. Every leaf from seq 1 is still fed into the Merkle tree, so checkpoints are compared
   * in full, and gaps, duplicated positions and truncation are still reported anywhere.
   */
  since?: number;
  /** How long an intake row may wait unsequenced before it is reported; default 300 s. */
  intakeSlaSeconds?: number;
  /** The role the services connect as, whose grants must stay narrow; default grantflow_app. */
  runtimeRole?: string;
  /** Called after each page of entries with how many were read out of how many. */
  onProgress?: (done: number, total: number) => void;
  /** Witness keys, and how many distinct ones must cosign the latest checkpoint. */
  witnesses?: { verifiers: readonly CosignatureVerifier[]; required: number };
}

/** The latest checkpoint whose signature verified, for the report's summary line. */
export interface CheckpointSummary {
  id: number;
  treeSize: number;
  rootHash: string;
  /** When it was sealed: the signed `time` line of an older checkpoint, else the time its row records. */
  time?: string;
  /** `name+keyid` of every key whose signature on it verified. */
  signedBy: string[];
}

/** The outcome of verifyLedger. */
export interface VerifyReport {
  /** 'error' only when verification could not run at all (e.g. the database is unreachable). */
  status: 'intact' | 'tampered' | 'error';
  /** Ledger entries read. */
  entries: number;
  /** Checkpoint rows in the database. */
  checkpoints: number;
  /** Checkpoint rows whose signature verified and whose root the ledger reproduces. */
  checkpointsVerified: number;
  /** Exported `.note` files read from exportDir. */
  exportedCheckpoints: number;
  /**
   * The outside copy compared: where it was looked for, and whether it was there. Absent when no
   * export directory was given, so only the database's own checkpoints were compared.
   */
  exportDir?: { path: string; found: boolean };
  latestCheckpoint?: CheckpointSummary;
  /** Entries after the latest verified checkpoint, not yet covered by any signature. */
  unsignedEntries: number;
  /**
   * Set when retention pruned the ledger: the walk started at this entry from the boundary
   * checkpoint a recorded disposal names, instead of genesis.
   */
  retained?: {
    fromSeq: number;
    checkpointId: number;
    disposalSeq?: number;
    manifestSha256: string;
    archive: string;
  };
  /** The archived segments verified, when archiveDir was given. */
  archive?: { path: string; segments: number; entries: number; ok: boolean };
  /** Row-level checks started at this seq (see VerifyOptions.since). */
  since?: number;
  /** The witnesses' cosignatures, when witness keys were given. */
  witnesses?: WitnessSummary;
  findings: Finding[];
  /** Findings left out of `findings` because there were too many to list. */
  omittedFindings: number;
  /** Why verification could not run, when status is 'error'. */
  error?: string;
  durationMs: number;
}

export type Settings = {
  verifiers: readonly NoteVerifier[];
  since: number;
  intakeSlaSeconds: number;
  runtimeRole: string;
  onProgress: VerifyOptions['onProgress'];
  witnesses: VerifyOptions['witnesses'];
};
