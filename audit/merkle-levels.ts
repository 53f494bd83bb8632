// Many inclusion proofs under one tree: every level of the RFC 6962 tree kept once (about twice
// the leaves' memory), so each proof costs O(log n) instead of rehashing the tree. In a tree of
// any size the last node of a level with an odd count moves up unchanged, which is exactly how
// RFC 6962 §2.1's split at the largest power of two shapes the tree (checked against merkle.ts).
import { emptyRootHash, nodeHash } from './hash.js';

/** The levels of one Merkle tree, leaves first. */
export class MerkleLevels {
  readonly #levels: Buffer[][];

  constructor(leaves: readonly Buffer[]) {
    const levels: Buffer[][] = [leaves.slice()];
    for (let level = levels[0]!; level.length > 1; ) {
      const up: Buffer[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) up.push(nodeHash(level[i]!, level[i + 1]!));
      if (level.length % 2 === 1) up.push(level.at(-1)!);
      levels.push(up);
      level = up;
    }
    this.#levels = levels;
  }

  /** Number of leaves. */
  get size(): number {
    return this.#levels[0]!.length;
  }

  /** The tree's root hash. */
  root(): Buffer {
    return this.size === 0 ? emptyRootHash() : this.#levels.at(-1)![0]!;
  }

  /** RFC 6962 §2.1.1 audit path of leaf `index`, deepest sibling first. */
  inclusionProof(index: number): Buffer[] {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(`leaf index ${index} is outside a tree of size ${this.size}`);
    }
    const path: Buffer[] = [];
    let at = index;
    for (const level of this.#levels.slice(0, -1)) {
      const sibling = at ^ 1;
      if (sibling < level.length) path.push(level[sibling]!);
      at = Math.floor(at / 2);
    }
    return path;
  }
}
