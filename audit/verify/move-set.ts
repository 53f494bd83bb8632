// MoveSet: entries found away from the seq they were written at, kept as runs, and how each
// move was recognised.
import { Intervals } from './intervals.js';

/** How a moved entry was recognised: its own leaf, its payload under another's leaf, its intake row. */
export type MoveEvidence = 'row' | 'event' | 'intake';

/** Consecutive positions holding entries written `offset` seqs away, recognised the same way. */
export type MoveRun = { start: number; end: number; offset: number; how: MoveEvidence };

/**
 * Entries found at another position than the one they were written at, kept as runs: deleting
 * one early entry and renumbering a million later ones is one run, not a million map entries.
 */
export class MoveSet {
  readonly runs: MoveRun[] = [];
  #written: Intervals | undefined;

  add(seq: number, writtenAs: number, how: MoveEvidence): void {
    this.#written = undefined;
    const offset = writtenAs - seq;
    // Binary search for the first run starting after seq: the walk appends in seq order, so
    // this is the end of the list except for the few moves recognised after the walk.
    let lo = 0;
    let hi = this.runs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.runs[mid]!.start <= seq) lo = mid + 1;
      else hi = mid;
    }
    const before = this.runs[lo - 1];
    if (before && seq <= before.end) return;
    const after = this.runs[lo];
    const joins = (run: MoveRun | undefined) => run && run.offset === offset && run.how === how;
    if (before && joins(before) && before.end === seq - 1) {
      before.end = seq;
      if (after && joins(after) && after.start === seq + 1) {
        before.end = after.end;
        this.runs.splice(lo, 1);
      }
    } else if (after && joins(after) && after.start === seq + 1) {
      after.start = seq;
    } else {
      this.runs.splice(lo, 0, { start: seq, end: seq, offset, how });
    }
  }

  get(seq: number): MoveRun | undefined {
    let lo = 0;
    let hi = this.runs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const run = this.runs[mid]!;
      if (seq < run.start) hi = mid - 1;
      else if (seq > run.end) lo = mid + 1;
      else return run;
    }
    return undefined;
  }

  has(seq: number): boolean {
    return this.get(seq) !== undefined;
  }

  /** Whether any position in from..to holds a moved entry. */
  touches(from: number, to: number): boolean {
    // Runs are sorted and disjoint: only the last one starting at or before `to` can reach `from`.
    let lo = 0;
    let hi = this.runs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.runs[mid]!.start <= to) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && this.runs[lo - 1]!.end >= from;
  }

  /** Whether an entry written as one of from..to was found somewhere. */
  wrote(from: number, to: number): boolean {
    if (!this.#written) {
      this.#written = new Intervals();
      for (const run of this.runs) this.#written.add(run.start + run.offset, run.end + run.offset);
    }
    return this.#written.overlaps(from, to);
  }

  /** The highest seq any moved entry was written as, or 0. */
  maxWritten(): number {
    return this.runs.reduce((max, run) => Math.max(max, run.end + run.offset), 0);
  }
}
