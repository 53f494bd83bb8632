import { describe, expect, it } from 'vitest';
import { leafHash, nodeHash } from '../../../audit/hash.js';
import { consistencyProof, inclusionProof, MerkleFrontier, merkleRoot } from '../../../audit/merkle.js';
import { verifyConsistency, verifyInclusion } from '../../../audit/proof-verify.js';
import { seededRandom } from './random.js';

const hex = (value: Uint8Array) => Buffer.from(value).toString('hex');
const leafOf = (i: number) => leafHash(Buffer.from(`event ${i}`));
const LEAVES = Array.from({ length: 300 }, (_, i) => leafOf(i));

// The certificate-transparency reference corpus (RFC 6962 test data, as in Trillian's testonly).
const CT_INPUTS = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const CT_LEAVES = CT_INPUTS.map((input) => leafHash(Buffer.from(input, 'hex')));
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('merkleRoot and proofs against the CT reference vectors', () => {
  it('computes the reference root of every size 0..8', () => {
    for (let size = 0; size <= 8; size++) {
      expect(hex(merkleRoot(CT_LEAVES.slice(0, size)))).toBe(CT_ROOTS[size]);
    }
  });

  it('produces the reference inclusion proofs', () => {
    expect(inclusionProof(0, CT_LEAVES).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(inclusionProof(5, CT_LEAVES).map(hex)).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(inclusionProof(0, CT_LEAVES.slice(0, 1))).toEqual([]);
  });

  it('produces the reference consistency proofs', () => {
    expect(consistencyProof(1, CT_LEAVES.slice(0, 1))).toEqual([]);
    expect(consistencyProof(1, CT_LEAVES).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(consistencyProof(6, CT_LEAVES).map(hex)).toEqual([
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(consistencyProof(2, CT_LEAVES.slice(0, 5)).map(hex)).toEqual([
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ]);
  });

  it('refuses indexes and sizes outside the tree', () => {
    expect(() => inclusionProof(8, CT_LEAVES)).toThrow(/outside a tree of size 8/);
    expect(() => inclusionProof(-1, CT_LEAVES)).toThrow(RangeError);
    expect(() => inclusionProof(0, [])).toThrow(RangeError);
    expect(() => consistencyProof(9, CT_LEAVES)).toThrow(/outside 0..8/);
    expect(() => merkleRoot([Buffer.alloc(31)])).toThrow(/leaves\[0\] must be a 32-byte leaf hash/);
  });
});

describe('MerkleFrontier', () => {
  it('matches merkleRoot at every size 0..300', () => {
    const frontier = new MerkleFrontier();
    expect(hex(frontier.root())).toBe(CT_ROOTS[0]);
    for (let size = 1; size <= LEAVES.length; size++) {
      frontier.append(LEAVES[size - 1]!);
      expect(frontier.size).toBe(size);
      expect(hex(frontier.root()), `size ${size}`).toBe(hex(merkleRoot(LEAVES.slice(0, size))));
    }
  });

  it('resumes from persisted state at random split points', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed);
      const total = random.int(LEAVES.length + 1);
      let frontier = new MerkleFrontier();
      while (frontier.size < total) {
        const batch = Math.min(total - frontier.size, 1 + random.int(40));
        frontier.appendAll(LEAVES.slice(frontier.size, frontier.size + batch));
        // Through JSON text, as a database row would hold it.
        frontier = MerkleFrontier.fromJSON(JSON.parse(JSON.stringify(frontier)));
      }
      expect(hex(frontier.root()), `seed ${seed}, size ${total}`).toBe(
        hex(merkleRoot(LEAVES.slice(0, total))),
      );
      expect(frontier.toJSON().nodes).toHaveLength(total.toString(2).replace(/0/g, '').length);
    }
  });

  it('keeps working past 2^32 leaves (no 32-bit bit operators)', () => {
    const nodes = Array.from({ length: 33 }, (_, i) => leafOf(1000 + i));
    const frontier = MerkleFrontier.fromJSON({ size: 2 ** 33 - 1, nodes: nodes.map(hex) });
    const foldRight = (hashes: Buffer[]) => hashes.reduceRight((acc, node) => nodeHash(node, acc));
    expect(hex(frontier.root())).toBe(hex(foldRight(nodes)));
    const leaf = leafOf(7);
    frontier.append(leaf);
    expect(frontier.size).toBe(2 ** 33);
    expect(frontier.toJSON().nodes).toHaveLength(1);
    expect(hex(frontier.root())).toBe(hex(foldRight([...nodes, leaf])));

    const big = MerkleFrontier.fromJSON({ size: 2 ** 32, nodes: [hex(nodes[0]!)] });
    big.append(leaf);
    expect(big.toJSON()).toEqual({ size: 2 ** 32 + 1, nodes: [hex(nodes[0]!), hex(leaf)] });
    expect(hex(big.root())).toBe(hex(nodeHash(nodes[0]!, leaf)));
  });

  it('rejects persisted state that cannot be right', () => {
    const node = hex(leafOf(1));
    expect(() => MerkleFrontier.fromJSON({ size: 3, nodes: [node] })).toThrow(/must hold 2 nodes/);
    expect(() => MerkleFrontier.fromJSON({ size: -1, nodes: [] })).toThrow(/safe integer/);
    expect(() => MerkleFrontier.fromJSON({ size: 1, nodes: [node.toUpperCase()] })).toThrow(/lowercase hex/);
    expect(() => MerkleFrontier.fromJSON({ size: 1, nodes: [node.slice(2)] })).toThrow(/64 lowercase hex/);
    expect(() => new MerkleFrontier().append(Buffer.alloc(16))).toThrow(/32-byte/);
  });
});

// A wrong tree size alone is not a tampering case: a size-3 root can also be read as a size-4
// root whose last subtree is unknown, so RFC 9162 accepts it. Size and root come together from
// the signed checkpoint, which is what binds them.
describe('inclusion proofs verified offline', () => {
  it('verifies every leaf of every tree up to 64 and refuses tampering', () => {
    // Failures are collected rather than asserted one by one: thousands of expect() calls would
    // dominate the run time, and one list shows every broken case at once.
    const failures: string[] = [];
    const check = (actual: boolean, expected: boolean, what: string) => {
      if (actual !== expected) failures.push(`${what}: got ${actual}`);
    };
    for (let size = 1; size <= 64; size++) {
      const leaves = LEAVES.slice(0, size);
      const rootHash = merkleRoot(leaves);
      const wrongRoot = merkleRoot(LEAVES.slice(0, size + 1));
      for (let index = 0; index < size; index++) {
        const auditPath = inclusionProof(index, leaves);
        const proof = { leafIndex: index, treeSize: size, leafHash: leaves[index]!, auditPath, rootHash };
        const where = `leaf ${index} of ${size}`;
        check(verifyInclusion(proof), true, where);
        // Every tree shape up to 33 leaves gets the tampering cases; larger ones repeat them.
        if (size > 33) continue;
        check(verifyInclusion({ ...proof, leafHash: LEAVES[size]! }), false, `${where}: wrong leaf`);
        check(verifyInclusion({ ...proof, rootHash: wrongRoot }), false, `${where}: wrong root`);
        check(
          verifyInclusion({ ...proof, auditPath: [...auditPath, leaves[0]!] }),
          false,
          `${where}: extended`,
        );
        if (size > 1) {
          check(verifyInclusion({ ...proof, leafIndex: (index + 1) % size }), false, `${where}: wrong index`);
          check(
            verifyInclusion({ ...proof, auditPath: auditPath.slice(0, -1) }),
            false,
            `${where}: truncated`,
          );
          const flipped = auditPath.map((p) => Buffer.from(p));
          flipped[0]![0]! ^= 1;
          check(verifyInclusion({ ...proof, auditPath: flipped }), false, `${where}: altered path`);
        }
      }
      const outside = { leafIndex: size, treeSize: size, leafHash: leaves[0]!, auditPath: [], rootHash };
      check(verifyInclusion(outside), false, `index ${size} of ${size}`);
    }
    expect(failures).toEqual([]);
  });

  it('refuses an interior node passed off as a leaf with a shortened path', () => {
    const leaves = LEAVES.slice(0, 4);
    const [left, right] = [nodeHash(leaves[0]!, leaves[1]!), nodeHash(leaves[2]!, leaves[3]!)];
    const rootHash = merkleRoot(leaves);
    expect(hex(nodeHash(left, right))).toBe(hex(rootHash));
    const proof = { leafIndex: 0, treeSize: 4, rootHash };
    expect(verifyInclusion({ ...proof, leafHash: left, auditPath: [right] })).toBe(false);
    expect(verifyInclusion({ ...proof, leafHash: rootHash, auditPath: [] })).toBe(false);
  });

  it('accepts hex strings as well as bytes', () => {
    const leaves = LEAVES.slice(0, 11);
    const proof = {
      leafIndex: 9,
      treeSize: 11,
      leafHash: hex(leaves[9]!),
      auditPath: inclusionProof(9, leaves).map(hex),
      rootHash: hex(merkleRoot(leaves)),
    };
    expect(verifyInclusion(proof)).toBe(true);
    expect(verifyInclusion({ ...proof, rootHash: 'zz' })).toBe(false);
  });

  it('handles indexes past 2^32', () => {
    const left = leafOf(1);
    const leaf = leafOf(2);
    const proof = { leafIndex: 2 ** 32, treeSize: 2 ** 32 + 1, leafHash: leaf, auditPath: [left] };
    expect(verifyInclusion({ ...proof, rootHash: nodeHash(left, leaf) })).toBe(true);
    expect(verifyInclusion({ ...proof, rootHash: nodeHash(leaf, left) })).toBe(false);
  });
});

describe('consistency proofs verified offline', () => {
  it('verifies every pair of sizes up to 64 and refuses tampering', () => {
    const failures: string[] = [];
    const check = (actual: boolean, expected: boolean, what: string) => {
      if (actual !== expected) failures.push(`${what}: got ${actual}`);
    };
    const roots = Array.from({ length: 65 }, (_, size) => merkleRoot(LEAVES.slice(0, size)));
    for (let newSize = 1; newSize <= 64; newSize++) {
      const leaves = LEAVES.slice(0, newSize);
      for (let oldSize = 0; oldSize <= newSize; oldSize++) {
        const proof = consistencyProof(oldSize, leaves);
        const input = { oldSize, newSize, oldRoot: roots[oldSize]!, newRoot: roots[newSize]!, proof };
        const where = `${oldSize} -> ${newSize}`;
        check(verifyConsistency(input), true, where);
        if (oldSize === 0 || oldSize === newSize || newSize > 33) continue;
        check(
          verifyConsistency({ ...input, oldRoot: roots[oldSize - 1]! }),
          false,
          `${where}: wrong old root`,
        );
        check(
          verifyConsistency({ ...input, newRoot: roots[newSize - 1]! }),
          false,
          `${where}: wrong new root`,
        );
        check(verifyConsistency({ ...input, oldSize: oldSize - 1 }), false, `${where}: wrong old size`);
        check(verifyConsistency({ ...input, proof: proof.slice(0, -1) }), false, `${where}: truncated`);
        check(verifyConsistency({ ...input, proof: [...proof, roots[1]!] }), false, `${where}: extended`);
        const flipped = proof.map((p) => Buffer.from(p));
        flipped[flipped.length - 1]![31]! ^= 1;
        check(verifyConsistency({ ...input, proof: flipped }), false, `${where}: altered`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('treats the edges as the RFC defines them', () => {
    const root5 = merkleRoot(LEAVES.slice(0, 5));
    const root6 = merkleRoot(LEAVES.slice(0, 6));
    const empty = merkleRoot([]);
    expect(verifyConsistency({ oldSize: 5, newSize: 5, oldRoot: root5, newRoot: root5, proof: [] })).toBe(
      true,
    );
    // Same size, different roots: a split view.
    expect(verifyConsistency({ oldSize: 5, newSize: 5, oldRoot: root5, newRoot: root6, proof: [] })).toBe(
      false,
    );
    expect(verifyConsistency({ oldSize: 0, newSize: 6, oldRoot: empty, newRoot: root6, proof: [] })).toBe(
      true,
    );
    expect(verifyConsistency({ oldSize: 0, newSize: 6, oldRoot: root5, newRoot: root6, proof: [] })).toBe(
      false,
    );
    expect(verifyConsistency({ oldSize: 6, newSize: 5, oldRoot: root6, newRoot: root5, proof: [] })).toBe(
      false,
    );
    expect(verifyConsistency({ oldSize: 5, newSize: 6, oldRoot: root5, newRoot: root6, proof: [] })).toBe(
      false,
    );
  });

  it('handles sizes past 2^32', () => {
    const oldRoot = leafOf(1);
    const leaf = leafOf(2);
    const input = { oldSize: 2 ** 32, newSize: 2 ** 32 + 1, oldRoot, proof: [leaf] };
    expect(verifyConsistency({ ...input, newRoot: nodeHash(oldRoot, leaf) })).toBe(true);
    expect(verifyConsistency({ ...input, newRoot: nodeHash(leaf, oldRoot) })).toBe(false);
  });
});
