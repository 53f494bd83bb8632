// What a ledger entry hashes: the event plus the two facts the sequencer adds. Binding `seq`
// and `recorded_at` into the leaf means moving, re-numbering or back-dating an entry changes
// its hash, not only editing the event.
import type postgres from 'postgres';
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

/**
 * SQL rendering a timestamptz exactly as hashed: ISO-8601 UTC with milliseconds, like
 * `Date.prototype.toISOString`. Formatting in the database keeps the hashed text independent of
 * how a driver parses timestamps (drizzle's pools return them as strings, plain ones as Dates).
 */
export function isoTimestamp(sql: postgres.Sql | postgres.TransactionSql, expression = 'recorded_at') {
  return sql.unsafe(`to_char((${expression}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
}
