// Finding codes and the Finding shape (public), the FindingList that collects and de-duplicates
// findings during a run, and the order the report lists them in.
import { Intervals } from './intervals.js';
import { MAX_FINDINGS } from './limits.js';

/** Every finding code, in the order the report lists them by kind. */
export const findingCodes = [
  'protection_disabled',
  'privileges_widened',
  'runtime_role_missing',
  'checkpoint_malformed',
  'checkpoint_unknown_key',
  'checkpoint_signature_invalid',
  'checkpoint_mismatch',
  'split_view',
  'cosignature_invalid',
  'witnesses_insufficient',
  'witness_gap',
  'payload_rewritten',
  'tail_truncated',
  'archive_invalid',
  'row_deleted',
  'row_inserted',
  'reordered',
  'payload_edited',
  'chain_broken',
  'backdated',
  'duplicate_event',
  'intake_orphaned',
  'intake_stalled',
] as const;

/** A stable name for one kind of problem; tools and runbooks may rely on these. */
export type FindingCode = (typeof findingCodes)[number];

/** 'error' findings make the ledger tampered; 'warning' findings are reported but do not. */
export type FindingSeverity = 'error' | 'warning';

/** One problem the verifier found, with where it is. */
export interface Finding {
  /** What kind of problem. */
  code: FindingCode;
  /** Whether it makes the ledger count as tampered. */
  severity: FindingSeverity;
  /** The ledger position concerned; the first one when `lastSeq` is set. */
  seq?: number;
  /** Last position of a range of entries, inclusive. */
  lastSeq?: number;
  /** For a moved entry: the seq it was written as (its leaf hash or intake row says so). */
  writtenAsSeq?: number;
  /** The audit_checkpoint row concerned (for an exported file: the id in its name). */
  checkpointId?: number;
  /** The other checkpoint row of a split view, when it is one. */
  otherCheckpointId?: number;
  /** The exported checkpoint file concerned, for findings about the export directory. */
  file?: string;
  /** A sentence an auditor can act on. */
  message: string;
}

/** Findings collected so far; one per code and position, capped. */
export class FindingList {
  readonly list: Finding[] = [];
  omitted = 0;
  readonly #keys = new Set<string>();
  // Positions a structural finding accounts for: consequences there (a broken chain after a
  // deleted row, an orphaned intake row of a moved entry) are not reported a second time.
  readonly #explained = new Intervals();

  add(finding: Omit<Finding, 'severity'> & { severity?: FindingSeverity }): void {
    // Findings without a position (protections, privileges, intake) are told apart by message.
    const located =
      finding.seq !== undefined || finding.checkpointId !== undefined || finding.file !== undefined;
    const key = located
      ? `${finding.code}:${finding.seq ?? ''}:${finding.checkpointId ?? ''}:${finding.file ?? ''}`
      : `${finding.code}::${finding.message}`;
    if (this.#keys.has(key)) return;
    this.#keys.add(key);
    if (this.list.length >= MAX_FINDINGS) {
      this.omitted += 1;
      return;
    }
    this.list.push({ severity: 'error', ...finding });
  }

  has(code: FindingCode, seq: number): boolean {
    return this.#keys.has(`${code}:${seq}::`);
  }

  explain(from: number, to: number): void {
    this.#explained.add(from, to);
  }

  isExplained(seq: number): boolean {
    return this.#explained.overlaps(seq, seq);
  }

  overlapsExplained(from: number, to: number): boolean {
    return this.#explained.overlaps(from, to);
  }
}

export function sortFindings(findings: Finding[]): Finding[] {
  const rank = (code: FindingCode) => findingCodes.indexOf(code);
  return [...findings].sort(
    (a, b) =>
      (a.seq ?? 0) - (b.seq ?? 0) ||
      rank(a.code) - rank(b.code) ||
      (a.checkpointId ?? 0) - (b.checkpointId ?? 0),
  );
}
