// RFC 6962 §2.1 hashing. The 0x00 / 0x01 prefixes keep a leaf from ever being passed off as an
// interior node (second-preimage resistance), so every proof in this module depends on them.
import { createHash } from 'node:crypto';

/** Size in bytes of every hash in the ledger (SHA-256). */
export const HASH_SIZE = 32;

/** The `prev` of the first ledger row: 32 zero bytes. */
export const GENESIS_CHAIN: Buffer = Buffer.alloc(HASH_SIZE);

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** RFC 6962 leaf hash: SHA-256(0x00 ‖ canonical event bytes). */
export function leafHash(canonicalBytes: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(canonicalBytes).digest();
}

/** RFC 6962 interior node hash: SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  assertHash(left, 'left');
  assertHash(right, 'right');
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** Ledger hash chain link: SHA-256(prevChain ‖ leaf); the first row uses GENESIS_CHAIN. */
export function chainHash(prevChain: Uint8Array, leaf: Uint8Array): Buffer {
  assertHash(prevChain, 'prevChain');
  assertHash(leaf, 'leaf');
  return createHash('sha256').update(prevChain).update(leaf).digest();
}

/** SHA-256 of the empty string: the RFC 6962 root of an empty tree. */
export function emptyRootHash(): Buffer {
  return createHash('sha256').digest();
}

// A short or hex-string "hash" would still hash fine and produce a valid-looking but wrong
// value, so refuse anything that is not exactly 32 bytes.
function assertHash(value: Uint8Array, name: string): void {
  if (!(value instanceof Uint8Array) || value.length !== HASH_SIZE) {
    throw new TypeError(`${name} must be a ${HASH_SIZE}-byte hash`);
  }
}
