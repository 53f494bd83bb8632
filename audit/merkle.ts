// RFC 6962 §2.1 Merkle tree over leaf hashes: roots, an incremental frontier for checkpoints,
// and the inclusion / consistency proofs that audit/proof-verify.ts checks.
import { emptyRootHash, HASH_SIZE, nodeHash } from './hash.js';

/** Persistable form of a MerkleFrontier: tree size and the right-border subtree roots in hex. */
export interface MerkleFrontierState {
  size: number;
  nodes: string[];
}

/** RFC 6962 MTH over leaf hashes; the empty tree's root is SHA-256 of the empty string. */
export function merkleRoot(leaves: readonly Uint8Array[]): Buffer {
  assertLeaves(leaves);
  return rangeRoot(leaves, 0, leaves.length);
}

/**
 * The right border of a Merkle tree: one perfect-subtree root per set bit of `size`, largest
 * first. Enough to append and to compute the root, so a checkpoint after k new leaves costs
 * O(k + log n) hashes instead of rehashing the whole ledger.
 */
export class MerkleFrontier {
  #size = 0;
  #nodes: Buffer[] = [];

  /** Resumes a frontier saved with toJSON(); rejects a state whose shape cannot be right. */
  static fromJSON(state: MerkleFrontierState): MerkleFrontier {
    const size = state?.size;
    const nodes = state?.nodes;
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new RangeError('frontier size must be a safe integer ≥ 0');
    }
    if (!Array.isArray(nodes) || nodes.length !== popcount(size)) {
      throw new RangeError(`frontier of size ${size} must hold ${popcount(size)} nodes`);
    }
    const frontier = new MerkleFrontier();
    frontier.#size = size;
    frontier.#nodes = nodes.map((hex, i) => {
      if (typeof hex !== 'string' || !/^[0-9a-f]{64}$/.test(hex)) {
        throw new RangeError(`frontier nodes[${i}] must be 64 lowercase hex characters`);
      }
      return Buffer.from(hex, 'hex');
    });
    return frontier;
  }

  /** Number of leaves appended so far. */
  get size(): number {
    return this.#size;
  }

  /** Adds one leaf hash at index `size`. */
  append(leaf: Uint8Array): void {
    assertHash(leaf, 'leaf');
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new RangeError('frontier is full');
    // Each trailing 1-bit of the old size is a perfect subtree the new leaf now completes:
    // merge them like a binary counter's carries. Arithmetic, not bit operators, so sizes past
    // 2^32 keep working.
    let carry: Buffer = Buffer.from(leaf);
    for (let n = this.#size; n % 2 === 1; n = Math.floor(n / 2)) {
      const left = this.#nodes.pop()!;
      carry = nodeHash(left, carry);
    }
    this.#nodes.push(carry);
    this.#size += 1;
  }

  /** Appends leaf hashes in order. */
  appendAll(leaves: Iterable<Uint8Array>): void {
    for (const leaf of leaves) this.append(leaf);
  }

  /** The RFC 6962 root of the tree of `size` leaves. */
  root(): Buffer {
    if (this.#nodes.length === 0) return emptyRootHash();
    // Folding right to left reproduces MTH's split at the largest power of two.
    let root: Buffer = Buffer.from(this.#nodes[this.#nodes.length - 1]!);
    for (let i = this.#nodes.length - 2; i >= 0; i--) root = nodeHash(this.#nodes[i]!, root);
    return root;
  }

  /** The state to persist (e.g. beside a checkpoint row) and resume with fromJSON(). */
  toJSON(): MerkleFrontierState {
    return { size: this.#size, nodes: this.#nodes.map((node) => node.toString('hex')) };
  }
}

/** RFC 6962 §2.1.1 audit path for leaf `index` in the tree over `leaves`, deepest sibling first. */
export function inclusionProof(index: number, leaves: readonly Uint8Array[]): Buffer[] {
  const n = leaves.length;
  if (!Number.isSafeInteger(index) || index < 0 || index >= n) {
    throw new RangeError(`leaf index ${index} is outside a tree of size ${n}`);
  }
  assertLeaves(leaves);
  // PATH(m, D[lo:hi]) recurses into the half holding m and appends the other half's root;
  // walking top-down and reversing gives the same list without recursion. The sibling ranges
  // halve each step, so the total hashing is O(n).
  const siblings: Buffer[] = [];
  let lo = 0;
  let hi = n;
  while (hi - lo > 1) {
    const k = largestPowerOfTwoBelow(hi - lo);
    if (index < lo + k) {
      siblings.push(rangeRoot(leaves, lo + k, hi));
      hi = lo + k;
    } else {
      siblings.push(rangeRoot(leaves, lo, lo + k));
      lo += k;
    }
  }
  return siblings.reverse();
}

/**
 * RFC 6962 §2.1.2 consistency proof PROOF(oldSize, D[n]) between the tree of the first
 * `oldSize` leaves and the tree over all `leaves`. Empty when oldSize is 0 or n.
 */
export function consistencyProof(oldSize: number, leaves: readonly Uint8Array[]): Buffer[] {
  const n = leaves.length;
  if (!Number.isSafeInteger(oldSize) || oldSize < 0 || oldSize > n) {
    throw new RangeError(`old size ${oldSize} is outside 0..${n}`);
  }
  if (oldSize === 0 || oldSize === n) return [];
  assertLeaves(leaves);
  // SUBPROOF(m, D[lo:hi], b), unrolled: each step keeps the half that still holds the old
  // tree's edge and records the other half's root; b turns false once we step right, which is
  // when the old tree stops being a prefix the verifier already knows.
  const tail: Buffer[] = [];
  let lo = 0;
  let hi = n;
  let m = oldSize;
  let knownSubtree = true;
  while (m !== hi - lo) {
    const k = largestPowerOfTwoBelow(hi - lo);
    if (m <= k) {
      tail.push(rangeRoot(leaves, lo + k, hi));
      hi = lo + k;
    } else {
      tail.push(rangeRoot(leaves, lo, lo + k));
      lo += k;
      m -= k;
      knownSubtree = false;
    }
  }
  const head = knownSubtree ? [] : [rangeRoot(leaves, lo, hi)];
  return [...head, ...tail.reverse()];
}

// MTH(D[lo:hi]) bottom-up: pairing neighbours and promoting an odd last node level by level
// yields exactly the RFC's split at the largest power of two, with n - 1 hashes and no recursion.
// Each level is one buffer of 32-byte nodes: a Buffer per node costs ten times its hash, half a
// gigabyte for a consistency proof over a million entries.
function rangeRoot(leaves: readonly Uint8Array[], lo: number, hi: number): Buffer {
  if (hi <= lo) return emptyRootHash();
  let node = (i: number): Uint8Array => leaves[lo + i]!;
  for (let count = hi - lo; count > 1; count = Math.ceil(count / 2)) {
    const up = Buffer.allocUnsafe(Math.ceil(count / 2) * HASH_SIZE);
    for (let i = 0; i + 1 < count; i += 2) up.set(nodeHash(node(i), node(i + 1)), (i / 2) * HASH_SIZE);
    if (count % 2 === 1) up.set(node(count - 1), up.length - HASH_SIZE);
    node = (i) => up.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
  }
  return Buffer.from(node(0));
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function popcount(n: number): number {
  let count = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) count += rest % 2;
  return count;
}

// A single leaf is copied, not hashed, so a malformed one would slip into a root or proof unseen.
function assertLeaves(leaves: readonly Uint8Array[]): void {
  for (const [i, leaf] of leaves.entries()) assertHash(leaf, `leaves[${i}]`);
}

function assertHash(value: Uint8Array, name: string): void {
  if (!(value instanceof Uint8Array) || value.length !== HASH_SIZE) {
    throw new TypeError(`${name} must be a ${HASH_SIZE}-byte leaf hash`);
  }
}
