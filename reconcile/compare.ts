// Comparing what a target holds with the grants that should explain it. Pure: the activity feeds
// it the resource's active grants, the directory's accounts and the target's holdings page by
// page, and reads the differences at the end. Kept apart from I/O so every rule is unit-tested.
import type { FindingSighting } from '../db/queries/findings.js';

/** An active grant on the resource, as the comparison needs it. */
export type ComparedGrant = { grantId: string; personId: string; entitlementKey: string; account: string };

/** A person the target may know, by the account name the connector derives for them. */
export type KnownAccount = { personId: string; account: string };

/** What the comparison ends with: the differences as sightings, and how many holdings matched. */
export type Comparison = {
  matched: number;
  holdings: number;
  sightings: FindingSighting[];
};

const keyOf = (entitlementKey: string, account: string) => `${entitlementKey}\n${account}`;

/** Fingerprints: the same difference seen by two runs is one finding. */
export const fingerprints = {
  orphan: (resourceId: string, entitlementId: string, account: string) =>
    `orphan:${resourceId}:${entitlementId}:${account}`,
  unknownAccount: (resourceId: string, entitlementId: string, account: string) =>
    `unknown_account:${resourceId}:${entitlementId}:${account}`,
  missing: (grantId: string) => `missing:${grantId}`,
};

/**
 * Starts a comparison for one resource. `see` takes holdings as the target lists them (duplicates
 * are harmless); `finish` reports orphans (a known person, no grant), unknown accounts (nobody we
 * know) and missing grants (granted, not held). Only call `finish` after the target was read to
 * the end: a partial read would report everything unread as missing.
 */
export function startComparison(input: {
  resourceId: string;
  entitlements: { id: string; key: string }[];
  grants: ComparedGrant[];
  accounts: KnownAccount[];
}) {
  const entitlementIds = new Map(input.entitlements.map((e) => [e.key, e.id]));
  const granted = new Map(input.grants.map((g) => [keyOf(g.entitlementKey, g.account), g]));
  const people = new Map(input.accounts.map((a) => [a.account, a.personId]));
  const seen = new Set<string>();
  const sightings = new Map<string, FindingSighting>();
  let holdings = 0;

  return {
    see(holding: { entitlementKey: string; account: string }): void {
      holdings += 1;
      const key = keyOf(holding.entitlementKey, holding.account);
      if (seen.has(key)) return;
      seen.add(key);
      if (granted.has(key)) return;
      const entitlementId = entitlementIds.get(holding.entitlementKey) ?? null;
      if (!entitlementId) return;
      const personId = people.get(holding.account) ?? null;
      const sighting: FindingSighting = personId
        ? {
            kind: 'orphan',
            fingerprint: fingerprints.orphan(input.resourceId, entitlementId, holding.account),
            resourceId: input.resourceId,
            entitlementId,
            personId,
            grantId: null,
            account: holding.account,
            detail: { entitlement: holding.entitlementKey },
          }
        : {
            kind: 'unknown_account',
            fingerprint: fingerprints.unknownAccount(input.resourceId, entitlementId, holding.account),
            resourceId: input.resourceId,
            entitlementId,
            personId: null,
            grantId: null,
            account: holding.account,
            detail: { entitlement: holding.entitlementKey },
          };
      sightings.set(sighting.fingerprint, sighting);
    },

    finish(): Comparison {
      let matched = 0;
      for (const [key, grant] of granted) {
        if (seen.has(key)) {
          matched += 1;
          continue;
        }
        const sighting: FindingSighting = {
          kind: 'missing',
          fingerprint: fingerprints.missing(grant.grantId),
          resourceId: input.resourceId,
          entitlementId: entitlementIds.get(grant.entitlementKey) ?? null,
          personId: grant.personId,
          grantId: grant.grantId,
          account: grant.account,
          detail: { entitlement: grant.entitlementKey },
        };
        sightings.set(sighting.fingerprint, sighting);
      }
      return { matched, holdings, sightings: [...sightings.values()] };
    },
  };
}
