// What a ledger entry hashes: the event plus the two facts the sequencer adds. Binding `seq`
// and `recorded_at` into the leaf means moving, re-numbering or back-dating an entry changes
// its hash, not only editing the event.
import { canonicalBytes } from './canonical.js';
import { chainHash, leafHash } from './hash.js';

/** The hashed content of ledger entry `seq`. */
export type LedgerEntry = { seq: number; recorded_at: string; event: unknown };

/** SHA-256(0x00 ‖ JCS(entry)): the entry's RFC 6962 leaf hash. */
export function entryLeafHash(entry: LedgerEntry): Buffer {
  return leafHash(canonicalBytes({ seq: entry.seq, recorded_at: entry.recorded_at, event: entry.event }));
}

/** Leaf and chain hash of an entry that follows `prevChain`. */
export function hashEntry(entry: LedgerEntry, prevChain: Uint8Array): { leaf: Buffer; chain: Buffer } {
  const leaf = entryLeafHash(entry);
  return { leaf, chain: chainHash(prevChain, leaf) };
}

/** `recorded_at` as hashed: ISO-8601 UTC with milliseconds, whatever form the database returns. */
export function normaliseRecordedAt(value: string | Date): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
