import { describe, expect, it } from 'vitest';
import { fingerprints, startComparison } from '../../../reconcile/compare.js';

const resourceId = 'r1';
const entitlements = [
  { id: 'e-read', key: 'read' },
  { id: 'e-write', key: 'write' },
];

function compare(holdings: { entitlementKey: string; account: string }[]) {
  const comparison = startComparison({
    resourceId,
    entitlements,
    grants: [
      { grantId: 'g-ann-read', personId: 'p-ann', entitlementKey: 'read', account: 'ann' },
      { grantId: 'g-bob-write', personId: 'p-bob', entitlementKey: 'write', account: 'bob' },
    ],
    accounts: [
      { personId: 'p-ann', account: 'ann' },
      { personId: 'p-bob', account: 'bob' },
      { personId: 'p-cat', account: 'cat' },
    ],
  });
  for (const holding of holdings) comparison.see(holding);
  return comparison.finish();
}

describe('comparing a target with its grants', () => {
  it('finds nothing when the target holds exactly what was granted', () => {
    const result = compare([
      { entitlementKey: 'read', account: 'ann' },
      { entitlementKey: 'write', account: 'bob' },
    ]);
    expect(result).toEqual({ matched: 2, holdings: 2, sightings: [] });
  });

  it('calls access held by a known person without a grant an orphan', () => {
    const result = compare([
      { entitlementKey: 'read', account: 'ann' },
      { entitlementKey: 'write', account: 'bob' },
      { entitlementKey: 'write', account: 'cat' },
      // Bob holds read too, but was granted only write.
      { entitlementKey: 'read', account: 'bob' },
    ]);
    expect(result.sightings.map((s) => [s.kind, s.personId, s.entitlementId, s.fingerprint])).toEqual([
      ['orphan', 'p-cat', 'e-write', fingerprints.orphan(resourceId, 'e-write', 'cat')],
      ['orphan', 'p-bob', 'e-read', fingerprints.orphan(resourceId, 'e-read', 'bob')],
    ]);
  });

  it('calls access held by nobody we know an unknown account', () => {
    const [sighting] = compare([
      { entitlementKey: 'read', account: 'ann' },
      { entitlementKey: 'write', account: 'bob' },
      { entitlementKey: 'read', account: 'svc_backup' },
    ]).sightings;
    expect(sighting).toMatchObject({ kind: 'unknown_account', personId: null, account: 'svc_backup' });
  });

  it('calls a grant the target does not hold missing, keyed by the grant', () => {
    const result = compare([{ entitlementKey: 'read', account: 'ann' }]);
    expect(result.matched).toBe(1);
    expect(result.sightings).toEqual([
      expect.objectContaining({
        kind: 'missing',
        grantId: 'g-bob-write',
        personId: 'p-bob',
        fingerprint: fingerprints.missing('g-bob-write'),
      }),
    ]);
  });

  it('counts a holding listed twice once, and ignores entitlements the catalog does not know', () => {
    const result = compare([
      { entitlementKey: 'read', account: 'ann' },
      { entitlementKey: 'read', account: 'ann' },
      { entitlementKey: 'write', account: 'bob' },
      { entitlementKey: 'admin', account: 'cat' },
    ]);
    expect(result).toEqual({ matched: 2, holdings: 4, sightings: [] });
  });
});
