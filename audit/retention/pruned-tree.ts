// Inclusion proofs in a ledger whose first B leaves were pruned: the boundary checkpoint's
// frontier holds the roots of the perfect subtrees those B leaves form, and every node of the
// RFC 6962 tree that lies wholly below B and that a proof for a leaf at or past B needs is one of
// them (an aligned subtree inside [0, B) is inside a frontier subtree, and the path to a leaf past
// B never enters one). So retained events stay provable from the database alone.
import { nodeHash } from '../hash.js';
import { type MerkleFrontierState, merkleRoot } from '../merkle.js';

/** RFC 6962 audit path of leaf `index` (≥ prefix.size) in the tree of `prefix.size + leaves.length` leaves. */
export function inclusionProofAfterPrefix(
  index: number,
  prefix: MerkleFrontierState,
  leaves: readonly Buffer[],
): Buffer[] {
  const pruned = prefix.size;
  const size = pruned + leaves.length;
  if (!Number.isSafeInteger(index) || index < pruned || index >= size) {
    throw new RangeError(`leaf index ${index} is outside the retained leaves ${pruned}..${size - 1}`);
  }
  const blocks = new Map<string, Buffer>();
  let start = 0;
  let remaining = pruned;
  for (const hex of prefix.nodes) {
    const width = largestPowerOfTwoAtMost(remaining);
    blocks.set(`${start}:${start + width}`, Buffer.from(hex, 'hex'));
    start += width;
    remaining -= width;
  }
  const root = (lo: number, hi: number): Buffer => {
    if (lo >= pruned) return merkleRoot(leaves.slice(lo - pruned, hi - pruned));
    if (hi <= pruned) {
      const block = blocks.get(`${lo}:${hi}`);
      if (!block)
        throw new RangeError(`subtree ${lo}..${hi} lies in the pruned prefix and is not a frontier node`);
      return block;
    }
    const k = largestPowerOfTwoBelow(hi - lo);
    return nodeHash(root(lo, lo + k), root(lo + k, hi));
  };
  const siblings: Buffer[] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = largestPowerOfTwoBelow(hi - lo);
    if (index < lo + k) {
      siblings.push(root(lo + k, hi));
      hi = lo + k;
    } else {
      siblings.push(root(lo, lo + k));
      lo += k;
    }
  }
  return siblings.reverse();
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function largestPowerOfTwoAtMost(n: number): number {
  let k = 1;
  while (k * 2 <= n) k *= 2;
  return k;
}
