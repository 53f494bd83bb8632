// Samples nobody could pick: every row of a population gets a rank, SHA-256 over the seed (the root
// hash of a checkpoint sealed after the pack was requested), the control's id and the row's key;
// the sample is the `size` rows of lowest rank. Nobody knew the seed when the request fixed the
// period, the control and the rule, and anyone holding the population and the seed draws the same
// rows again. The rule's name is part of the pack, so a future rule cannot be mistaken for this one.
import { createHash } from 'node:crypto';

/** The documented sampling rule (docs/evidence.md "Samples"). */
export const SAMPLE_RULE = 'sha256-rank/v1';

/** The rank of one population row: hex SHA-256(seed ‖ control id ‖ 0x00 ‖ key). */
function sampleRank(seed: Buffer, controlId: string, key: string): string {
  return createHash('sha256')
    .update(seed)
    .update(controlId, 'utf8')
    .update(Buffer.of(0))
    .update(key, 'utf8')
    .digest('hex');
}

/**
 * Keeps the `size` lowest-ranked keys of a stream of population keys, in memory proportional to
 * the sample, not the population. Ties (a repeated key) keep the first.
 */
export class SampleDraw {
  readonly #picked: { rank: string; key: string }[] = [];
  readonly #seen = new Set<string>();

  constructor(
    readonly seed: Buffer,
    readonly controlId: string,
    readonly size: number,
  ) {}

  /** Offers one row's key. */
  offer(key: string): void {
    if (this.size <= 0) return;
    const rank = sampleRank(this.seed, this.controlId, key);
    const worst = this.#picked.at(-1);
    if (this.#picked.length >= this.size && worst && rank >= worst.rank) return;
    if (this.#seen.has(key)) return;
    const at = this.#picked.findIndex((pick) => pick.rank > rank);
    this.#picked.splice(at < 0 ? this.#picked.length : at, 0, { rank, key });
    this.#seen.add(key);
    if (this.#picked.length > this.size) this.#seen.delete(this.#picked.pop()!.key);
  }

  /** The sample, lowest rank first. */
  picked(): { key: string; rank: string }[] {
    return this.#picked.map(({ key, rank }) => ({ key, rank }));
  }
}
