// A campaign's population entry: what is frozen and hashed per grant when a campaign starts. The
// database layer reads entries in this shape and campaigns/snapshot.ts hashes them.

/** One grant of a population in its canonical form: the fields the hash covers, nothing else. */
export type PopulationEntry = {
  grantId: string;
  holderEmail: string;
  resourceKey: string;
  entitlementKey: string;
  /** UTC, microseconds: `2026-01-02T03:04:05.678901Z`. */
  grantedAt: string;
};
