import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inclusionProof, MerkleFrontier } from '../../../audit/merkle.js';
import { inclusionProofAfterPrefix } from '../../../audit/retention/pruned-tree.js';

const leaf = (i: number) => createHash('sha256').update(`leaf ${i}`).digest();

describe('inclusion proofs after a pruned prefix', () => {
  it('equal the proofs over all leaves, for every prefix, size and retained leaf up to 20', () => {
    for (let size = 2; size <= 20; size++) {
      const leaves = Array.from({ length: size }, (_, i) => leaf(i));
      for (let pruned = 1; pruned < size; pruned++) {
        const frontier = new MerkleFrontier();
        frontier.appendAll(leaves.slice(0, pruned));
        for (let index = pruned; index < size; index++) {
          const ours = inclusionProofAfterPrefix(index, frontier.toJSON(), leaves.slice(pruned));
          const reference = inclusionProof(index, leaves);
          expect(Buffer.concat(ours).toString('hex')).toBe(Buffer.concat(reference).toString('hex'));
        }
      }
    }
  });

  it('refuses a pruned leaf', () => {
    const frontier = new MerkleFrontier();
    frontier.appendAll([leaf(0), leaf(1)]);
    expect(() => inclusionProofAfterPrefix(1, frontier.toJSON(), [leaf(2)])).toThrow(/outside the retained/);
  });
});
