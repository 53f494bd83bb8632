// The attested population of a campaign: its count and a SHA-256 an auditor can recompute from the
// grants alone, to test completeness and accuracy of the population (SOC 2 CC6.2/6.3, ISO 27001
// A.5.18). The hash is computed page by page, so a 100,000-grant population never sits in memory.
//
// Byte format (version 1), exactly:
//
//   population_sha256 = lowercase hex of SHA-256( line(item_1) ‖ line(item_2) ‖ ... ‖ line(item_n) )
//   line(item)        = UTF-8( JCS(item) ) ‖ 0x0A
//   item              = { "entitlementKey", "grantId", "grantedAt", "holderEmail", "resourceKey" }
//
// - JCS is RFC 8785 (audit/canonical.ts): keys sorted, no whitespace, so the member order above is
//   the one on the wire, e.g.
//   {"entitlementKey":"read","grantId":"0190...","grantedAt":"2026-01-02T03:04:05.678901Z","holderEmail":"dev@acme.test","resourceKey":"db"}
// - items are in ascending `grantId` order: lowercase canonical UUID text, which sorts like
//   PostgreSQL's `uuid` type; every grant appears once.
// - `grantedAt` is the grant's `granted_at` in UTC with six fractional digits (microseconds, as
//   PostgreSQL stores it): `to_char(granted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.
// - `holderEmail` is the holder's lower-case email, `resourceKey` / `entitlementKey` the catalog keys.
// - an empty population hashes the empty string (e3b0c442...b855).
import { createHash, type Hash } from 'node:crypto';
import { canonicalize } from '../audit/canonical.js';
import type { PopulationEntry } from '../domain/index.js';

export type { PopulationEntry };

/** Thrown when entries arrive out of order or malformed: the digest would no longer be recomputable. */
export class PopulationOrderError extends Error {
  /** Stable code for callers that map errors to responses. */
  readonly code = 'population_invalid';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const GRANTED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** The canonical line of one entry (without the newline), picking only the hashed fields. */
export function canonicalEntry(entry: PopulationEntry): string {
  return canonicalize({
    grantId: entry.grantId,
    holderEmail: entry.holderEmail,
    resourceKey: entry.resourceKey,
    entitlementKey: entry.entitlementKey,
    grantedAt: entry.grantedAt,
  });
}

/** An incremental population hash: feed pages in grant id order, then read the digest once. */
export type PopulationHasher = {
  /** Adds the next page; refuses an entry not strictly after the previous one. */
  add(entries: readonly PopulationEntry[]): void;
  /** Lowercase hex SHA-256 of everything added; the hasher is finished afterwards. */
  digest(): string;
  /** How many entries were added. */
  readonly count: number;
  /** The last grant id added, where the next page starts. */
  readonly lastGrantId: string | undefined;
};

/** Starts a population hash (see the byte format at the top of this file). */
export function createPopulationHasher(): PopulationHasher {
  const hash: Hash = createHash('sha256');
  let count = 0;
  let lastGrantId: string | undefined;
  let finished = false;
  return {
    add(entries) {
      if (finished) throw new PopulationOrderError('the population hash was already finished');
      for (const entry of entries) {
        // Checking here rather than trusting the query: an unordered or overlapping page would
        // produce a digest nobody can reproduce from the grants.
        if (!UUID.test(entry.grantId)) {
          throw new PopulationOrderError(`grantId ${JSON.stringify(entry.grantId)} is not a lowercase UUID`);
        }
        if (lastGrantId !== undefined && entry.grantId <= lastGrantId) {
          throw new PopulationOrderError(`grant ${entry.grantId} does not come after ${lastGrantId}`);
        }
        if (!GRANTED_AT.test(entry.grantedAt)) {
          throw new PopulationOrderError(
            `grant ${entry.grantId}: grantedAt ${JSON.stringify(entry.grantedAt)} is not UTC with microseconds`,
          );
        }
        hash.update(`${canonicalEntry(entry)}\n`, 'utf8');
        lastGrantId = entry.grantId;
        count++;
      }
    },
    digest() {
      if (finished) throw new PopulationOrderError('the population hash was already finished');
      finished = true;
      return hash.digest('hex');
    },
    get count() {
      return count;
    },
    get lastGrantId() {
      return lastGrantId;
    },
  };
}

/** The canonical form of a population: only the hashed fields, sorted by grant id. */
export function canonicalPopulation(entries: readonly PopulationEntry[]): PopulationEntry[] {
  return entries
    .map(({ grantId, holderEmail, resourceKey, entitlementKey, grantedAt }) => ({
      grantId,
      holderEmail,
      resourceKey,
      entitlementKey,
      grantedAt,
    }))
    .sort((a, b) => (a.grantId < b.grantId ? -1 : a.grantId > b.grantId ? 1 : 0));
}

/**
 * Count and digest of a whole population held in memory, in any order (tests, small campaigns, an
 * auditor's own recomputation); a grant listed twice is refused, not counted twice.
 */
export function populationDigest(entries: readonly PopulationEntry[]): { count: number; sha256: string } {
  const hasher = createPopulationHasher();
  hasher.add(canonicalPopulation(entries));
  return { count: hasher.count, sha256: hasher.digest() };
}
