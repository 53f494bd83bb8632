import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inclusionProof, merkleRoot } from '../../../audit/merkle.js';
import { MerkleLevels } from '../../../audit/merkle-levels.js';
import { verifyInclusion } from '../../../audit/proof-verify.js';

const leaves = (n: number) =>
  Array.from({ length: n }, (_, i) => createHash('sha256').update(`leaf ${i}`).digest());

describe('MerkleLevels', () => {
  it('gives the RFC 6962 root and the same audit paths as merkle.ts, for every size up to 40', () => {
    for (let n = 0; n <= 40; n++) {
      const tree = new MerkleLevels(leaves(n));
      expect(tree.root().equals(merkleRoot(leaves(n))), `root of ${n}`).toBe(true);
      for (let i = 0; i < n; i++) {
        const path = tree.inclusionProof(i);
        expect(path, `path ${i} of ${n}`).toEqual(inclusionProof(i, leaves(n)));
        expect(
          verifyInclusion({
            leafIndex: i,
            treeSize: n,
            leafHash: leaves(n)[i]!,
            auditPath: path,
            rootHash: tree.root(),
          }),
        ).toBe(true);
      }
    }
  });

  it('refuses a leaf outside the tree', () => {
    expect(() => new MerkleLevels(leaves(3)).inclusionProof(3)).toThrow(RangeError);
    expect(() => new MerkleLevels([]).inclusionProof(0)).toThrow(RangeError);
  });
});
