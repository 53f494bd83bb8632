import { describe, expect, it } from 'vitest';
import type { HeldAccess } from '../../../db/queries/grants.js';
import type { SodRule } from '../../../db/schema.js';
import { findSodBreaches } from '../../../reconcile/sod.js';

const rule = (key: string, action: 'deny' | 'require_approval', entitlementKeys: string[]): SodRule => ({
  id: `rule-${key}`,
  key,
  description: null,
  entitlementKeys,
  action,
  approvers: [],
  status: 'active',
  createdAt: new Date(0),
  updatedAt: new Date(0),
});
const held = (
  holder: string,
  entitlementRef: string,
  source: HeldAccess['source'] = 'request',
): HeldAccess => ({
  grantId: `${holder}-${entitlementRef}`,
  holderId: holder,
  holderEmail: `${holder}@acme.test`,
  entitlementRef,
  source,
});

describe('separation of duties over current holdings', () => {
  const makerChecker = rule('maker-checker', 'deny', ['pay/maker', 'pay/checker']);

  it('breaches a deny rule only by holding the whole set', () => {
    const breaches = findSodBreaches(
      [makerChecker],
      [
        held('ann', 'pay/maker'),
        held('ann', 'pay/checker'),
        held('bob', 'pay/maker'),
        held('bob', 'pay/read'),
      ],
    );
    expect(breaches.map((b) => [b.rule.key, b.personId, b.grantIds])).toEqual([
      ['maker-checker', 'ann', ['ann-pay/maker', 'ann-pay/checker']],
    ]);
  });

  it('lets a require-approval set stand when it came through requests, not when a piece was imported', () => {
    const approved = rule('approved', 'require_approval', ['pay/maker', 'pay/checker']);
    const breaches = findSodBreaches(
      [approved],
      [
        held('ann', 'pay/maker'),
        held('ann', 'pay/checker'),
        held('cat', 'pay/maker'),
        held('cat', 'pay/checker', 'import'),
      ],
    );
    expect(breaches.map((b) => b.personId)).toEqual(['cat']);
  });

  it('finds nothing without rules or holdings', () => {
    expect(findSodBreaches([], [held('ann', 'pay/maker')])).toEqual([]);
    expect(findSodBreaches([makerChecker], [])).toEqual([]);
  });
});
