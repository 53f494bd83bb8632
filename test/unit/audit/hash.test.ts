import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chainHash, emptyRootHash, GENESIS_CHAIN, leafHash, nodeHash } from '../../../audit/hash.js';

const hex = (value: Uint8Array) => Buffer.from(value).toString('hex');

describe('RFC 6962 hashing', () => {
  it('hashes leaves with the 0x00 prefix (certificate-transparency vectors)', () => {
    expect(hex(leafHash(Buffer.alloc(0)))).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
    expect(hex(leafHash(Buffer.from([0x00])))).toBe(
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    );
  });

  it('hashes nodes with the 0x01 prefix: the two-leaf CT root', () => {
    const root = nodeHash(leafHash(Buffer.alloc(0)), leafHash(Buffer.from([0x00])));
    expect(hex(root)).toBe('fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125');
  });

  it('gives SHA-256 of the empty string as the empty root', () => {
    expect(hex(emptyRootHash())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('chains from 32 zero bytes without a prefix', () => {
    expect(GENESIS_CHAIN).toEqual(Buffer.alloc(32));
    const leaves = ['a', 'b', 'c'].map((text) => leafHash(Buffer.from(text)));
    let chain = GENESIS_CHAIN;
    let expected = Buffer.alloc(32);
    for (const leaf of leaves) {
      chain = chainHash(chain, leaf);
      expected = createHash('sha256').update(expected).update(leaf).digest();
    }
    expect(hex(chain)).toBe(hex(expected));
    expect(hex(chainHash(GENESIS_CHAIN, leaves[0]!))).not.toBe(hex(chainHash(GENESIS_CHAIN, leaves[1]!)));
  });

  it('refuses inputs that are not 32-byte hashes', () => {
    const good = leafHash(Buffer.from('x'));
    expect(() => nodeHash(good, good.subarray(1))).toThrow(/right must be a 32-byte hash/);
    expect(() => chainHash(Buffer.alloc(31), good)).toThrow(/prevChain must be a 32-byte hash/);
    expect(() => chainHash(good, good.toString('hex') as unknown as Buffer)).toThrow(/leaf must be/);
  });
});
