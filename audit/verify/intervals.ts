// Intervals: the overlap index the move analysis and the finding list share.

/**
 * Closed integer intervals answering "does any overlap from..to?" in O(log n), so that a ledger
 * damaged in a million places is still analysed in reasonable time.
 */
export class Intervals {
  #items: [number, number][] = [];
  #maxEnd: number[] = [];
  #indexed = true;

  add(from: number, to: number): void {
    this.#items.push([from, to]);
    this.#indexed = false;
  }

  overlaps(from: number, to: number): boolean {
    if (!this.#indexed) {
      this.#items.sort((a, b) => a[0] - b[0]);
      let max = Number.NEGATIVE_INFINITY;
      this.#maxEnd = this.#items.map(([, end]) => {
        max = Math.max(max, end);
        return max;
      });
      this.#indexed = true;
    }
    let lo = 0;
    let hi = this.#items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#items[mid]![0] <= to) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && this.#maxEnd[lo - 1]! >= from;
  }
}
