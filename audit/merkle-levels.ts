// Many inclusion proofs under one tree: every level of the RFC 6962 tree kept once, so each proof
// costs O(log n) instead of rehashing the tree. In a tree of any size the last node of a level with
// an odd count moves up unchanged, which is exactly how RFC 6962 §2.1's split at the largest power
// of two shapes the tree (checked against merkle.ts). The levels above the leaves are one buffer
// each, 32 bytes a node: a Buffer object per node costs ten times the hash it holds, which on a
// ledger of a million entries was 400 MB.
import { emptyRootHash, HASH_SIZE, nodeHash } from './hash.js';

/** The levels of one Merkle tree, leaves first. */
export class MerkleLevels {
  readonly #leaves: readonly Buffer[];
  /** Level 1 (the leaves' parents) up to the root, each as consecutive 32-byte nodes. */
  readonly #levels: Buffer[] = [];

  constructor(leaves: readonly Buffer[]) {
    this.#leaves = leaves.slice();
    for (let level = 0, count = leaves.length; count > 1; level++, count = Math.ceil(count / 2)) {
      const up = Buffer.allocUnsafe(Math.ceil(count / 2) * HASH_SIZE);
      for (let i = 0; i + 1 < count; i += 2) {
        up.set(nodeHash(this.#node(level, i), this.#node(level, i + 1)), (i / 2) * HASH_SIZE);
      }
      if (count % 2 === 1) up.set(this.#node(level, count - 1), up.length - HASH_SIZE);
      this.#levels.push(up);
    }
  }

  /** Node `index` of `level` (0 = the leaves). */
  #node(level: number, index: number): Buffer {
    if (level === 0) return this.#leaves[index]!;
    return this.#levels[level - 1]!.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }

  /** Number of leaves. */
  get size(): number {
    return this.#leaves.length;
  }

  /** The tree's root hash. */
  root(): Buffer {
    return this.size === 0 ? emptyRootHash() : this.#node(this.#levels.length, 0);
  }

  /** RFC 6962 §2.1.1 audit path of leaf `index`, deepest sibling first. */
  inclusionProof(index: number): Buffer[] {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(`leaf index ${index} is outside a tree of size ${this.size}`);
    }
    const path: Buffer[] = [];
    let at = index;
    for (let level = 0, count = this.size; count > 1; level++, count = Math.ceil(count / 2)) {
      const sibling = at ^ 1;
      if (sibling < count) path.push(this.#node(level, sibling));
      at = Math.floor(at / 2);
    }
    return path;
  }
}
