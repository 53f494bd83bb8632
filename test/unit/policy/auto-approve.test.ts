import { describe, expect, it } from 'vitest';
import type { RiskLevel } from '../../../domain/index.js';
import { evaluatePolicy } from '../../../policy/index.js';
import { request, withPolicy } from './org.js';

/** Sam asks for an entitlement of `risk` under a policy with these auto-approve rules. */
function atRisk(
  risk: RiskLevel,
  autoApprove: { maxRisk: RiskLevel; requesterInGroups?: string[] }[],
  requester?: string,
) {
  const base = request({
    entitlement: { key: 'read', name: 'Payments read', risk, maxDurationSeconds: 3600 },
    ...(requester ? { requester } : {}),
  });
  return evaluatePolicy(
    withPolicy({ autoApprove }, { ...base, policy: { ...base.policy, key: 'low-risk-auto' } }),
  );
}

describe('auto-approval', () => {
  it('approves when the risk is at most maxRisk', () => {
    expect(atRisk('low', [{ maxRisk: 'low' }])).toEqual({
      outcome: 'auto_approve',
      policy: { key: 'low-risk-auto', version: 3 },
      rule: { index: 0, maxRisk: 'low' },
      reason: 'auto-approved by policy "low-risk-auto" (risk low ≤ low)',
    });
  });

  it.each([
    ['low', 'medium', true],
    ['medium', 'medium', true],
    ['medium', 'high', true],
    ['high', 'medium', false],
    ['critical', 'high', false],
    ['critical', 'critical', true],
  ] as const)('risk %s under maxRisk %s: auto-approved %s', (risk, maxRisk, approved) => {
    expect(atRisk(risk, [{ maxRisk }]).outcome).toBe(approved ? 'auto_approve' : 'approval_required');
  });

  it('approves a requester in one of the listed groups, naming the groups they are in', () => {
    const decision = atRisk('low', [
      { maxRisk: 'low', requesterInGroups: ['finance', 'engineering', 'platform'] },
    ]);

    expect(decision).toEqual({
      outcome: 'auto_approve',
      policy: { key: 'low-risk-auto', version: 3 },
      rule: {
        index: 0,
        maxRisk: 'low',
        requesterInGroups: ['finance', 'engineering', 'platform'],
        matchedGroups: ['engineering', 'platform'],
      },
      reason:
        'auto-approved by policy "low-risk-auto" (risk low ≤ low, requester in groups engineering, platform)',
    });
  });

  it('does not approve a requester outside the listed groups', () => {
    expect(atRisk('low', [{ maxRisk: 'low', requesterInGroups: ['finance'] }]).outcome).toBe(
      'approval_required',
    );
  });

  it('treats an unknown group as having no members', () => {
    expect(atRisk('low', [{ maxRisk: 'low', requesterInGroups: ['ghosts'] }]).outcome).toBe(
      'approval_required',
    );
  });

  it('reports the first matching rule in the policy’s order', () => {
    const decision = atRisk('low', [
      { maxRisk: 'low', requesterInGroups: ['finance'] },
      { maxRisk: 'medium', requesterInGroups: ['engineering'] },
      { maxRisk: 'low' },
    ]);

    expect(decision).toMatchObject({
      rule: { index: 1, maxRisk: 'medium', matchedGroups: ['engineering'] },
      reason: 'auto-approved by policy "low-risk-auto" (risk low ≤ medium, requester in group engineering)',
    });
  });

  it('never approves an inactive requester', () => {
    expect(atRisk('low', [{ maxRisk: 'critical' }], 'cy@acme.test')).toEqual({
      outcome: 'deny',
      code: 'requester_inactive',
      policy: { key: 'low-risk-auto', version: 3 },
      reason: 'requester cy@acme.test is inactive',
    });
  });

  it('never approves someone not in the directory', () => {
    expect(atRisk('low', [{ maxRisk: 'critical' }], 'ghost@acme.test')).toMatchObject({
      code: 'requester_inactive',
      reason: 'requester ghost@acme.test is not in the directory',
    });
  });
});
