import { describe, expect, it } from 'vitest';
import type { PolicyDefinition } from '../../../directory/file-schema.js';
import type { RiskLevel } from '../../../domain/index.js';
import { checkRequestInput, effectiveMaxDuration, type RequestCheckInput } from '../../../policy/index.js';
import { org } from './org.js';

const HOUR = 3600;

/** Sam asks for 1h of an 8h, medium-risk entitlement under policy "standard". */
function check(
  overrides: Partial<RequestCheckInput> = {},
  policy: Pick<PolicyDefinition, 'maxDuration' | 'requireReasonAbove'> = {},
  risk: RiskLevel = 'medium',
) {
  return checkRequestInput({
    requester: 'sam@acme.test',
    durationSeconds: HOUR,
    reason: 'month-end close',
    entitlement: { name: 'Payments read', risk, maxDurationSeconds: 8 * HOUR },
    policy: { key: 'standard', definition: policy },
    directory: org(),
    ...overrides,
  });
}

describe('checkRequestInput', () => {
  it('finds nothing wrong with a fine request', () => {
    expect(check()).toEqual([]);
  });

  it('accepts exactly the maximum duration', () => {
    expect(check({ durationSeconds: 8 * HOUR })).toEqual([]);
  });

  it('refuses a duration above the entitlement’s maxDuration', () => {
    expect(check({ durationSeconds: 8 * HOUR + 1 })).toEqual([
      { field: 'durationSeconds', message: "must be at most 8h (the entitlement's maxDuration)" },
    ]);
  });

  it('refuses a duration above a stricter policy maxDuration, naming the policy', () => {
    expect(check({ durationSeconds: 5 * HOUR }, { maxDuration: 4 * HOUR })).toEqual([
      { field: 'durationSeconds', message: 'must be at most 4h (the maxDuration of policy "standard")' },
    ]);
  });

  it('names the entitlement when the policy allows longer', () => {
    expect(check({ durationSeconds: 9 * HOUR }, { maxDuration: 24 * HOUR })).toEqual([
      { field: 'durationSeconds', message: "must be at most 8h (the entitlement's maxDuration)" },
    ]);
  });

  it.each([0, -60, 1.5, Number.NaN])('refuses a duration of %s seconds', (durationSeconds) => {
    expect(check({ durationSeconds })).toEqual([
      { field: 'durationSeconds', message: 'must be a positive whole number of seconds' },
    ]);
  });

  it.each([undefined, '', '   '])('asks for a reason above requireReasonAbove when given %j', (reason) => {
    expect(check({ reason }, { requireReasonAbove: 'low' })).toEqual([
      {
        field: 'reason',
        message:
          'must be given: Payments read is medium risk and policy "standard" asks for a reason above low',
      },
    ]);
  });

  it('needs no reason at the requireReasonAbove level itself', () => {
    expect(check({ reason: undefined }, { requireReasonAbove: 'medium' })).toEqual([]);
  });

  it('needs no reason when the policy does not ask for one', () => {
    expect(check({ reason: undefined }, {}, 'critical')).toEqual([]);
  });

  it('refuses a requester not in the directory', () => {
    expect(check({ requester: 'ghost@acme.test' })).toEqual([
      {
        field: 'requester',
        message: 'must be a person in the directory; no one has the email "ghost@acme.test"',
      },
    ]);
  });

  it('refuses an inactive requester', () => {
    expect(check({ requester: 'cy@acme.test' })).toEqual([
      { field: 'requester', message: 'must be an active person; cy@acme.test is inactive' },
    ]);
  });

  it('finds the requester whatever the case of their email', () => {
    expect(check({ requester: 'Sam@Acme.TEST' })).toEqual([]);
  });

  it('lists every problem, in field order', () => {
    const problems = check(
      { requester: 'cy@acme.test', durationSeconds: 9 * HOUR, reason: undefined },
      { requireReasonAbove: 'low' },
    );

    expect(problems.map((p) => p.field)).toEqual(['requester', 'durationSeconds', 'reason']);
  });
});

describe('effectiveMaxDuration', () => {
  const entitlement = { name: 'x', risk: 'low', maxDurationSeconds: 8 * HOUR } as const;

  it.each([
    [undefined, { seconds: 8 * HOUR, source: 'entitlement' }],
    [4 * HOUR, { seconds: 4 * HOUR, source: 'policy' }],
    [8 * HOUR, { seconds: 8 * HOUR, source: 'entitlement' }],
    [24 * HOUR, { seconds: 8 * HOUR, source: 'entitlement' }],
  ])('with a policy maxDuration of %s is %j', (maxDuration, expected) => {
    const policy = { key: 'p', definition: maxDuration === undefined ? {} : { maxDuration } };

    expect(effectiveMaxDuration({ entitlement, policy })).toEqual(expected);
  });
});
