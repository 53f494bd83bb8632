import { describe, expect, it } from 'vitest';
import { evaluatePolicy, type PolicyEvaluationInput, type SodRuleView } from '../../../policy/index.js';
import { MAKER_CHECKER, request, stepsOf, withPolicy } from './org.js';

const CHECKER = { key: 'checker', name: 'Payments checker', risk: 'high', maxDurationSeconds: 3600 } as const;

const EXCEPTION: SodRuleView = {
  key: 'maker-checker-exception',
  entitlements: ['payments/maker', 'payments/checker'],
  action: 'require_approval',
  approvers: ['group:risk'],
};

/** Sam, holding `held`, asks for payments/checker under `rules`. */
function checkerRequest(held: string[], rules: SodRuleView[]): PolicyEvaluationInput {
  return request({ entitlement: CHECKER, heldEntitlements: held, sodRules: rules });
}

describe('separation of duties: deny', () => {
  it('denies a request that completes a forbidden set, naming the rule', () => {
    const decision = evaluatePolicy(checkerRequest(['payments/maker'], [MAKER_CHECKER]));

    expect(decision).toEqual({
      outcome: 'deny',
      code: 'sod_conflict',
      policy: { key: 'standard', version: 3 },
      rule: {
        key: 'payments-maker-checker',
        description: 'Nobody both makes and checks payments',
        entitlements: ['payments/maker', 'payments/checker'],
      },
      conflictingWith: ['payments/maker'],
      otherRules: [],
      reason:
        'separation-of-duties rule "payments-maker-checker" forbids holding payments/maker and payments/checker together',
    });
  });

  it('counts pending requests as held (the caller lists them in heldEntitlements)', () => {
    const decision = evaluatePolicy(checkerRequest(['payments/maker', 'crm/read'], [MAKER_CHECKER]));

    expect(decision).toMatchObject({ outcome: 'deny', code: 'sod_conflict' });
  });

  it('wins over an auto-approve rule and over a require_approval rule', () => {
    const base = checkerRequest(['payments/maker'], [EXCEPTION, MAKER_CHECKER]);

    const decision = evaluatePolicy(withPolicy({ autoApprove: [{ maxRisk: 'critical' }] }, base));

    expect(decision).toMatchObject({
      outcome: 'deny',
      code: 'sod_conflict',
      rule: { key: 'payments-maker-checker' },
    });
  });

  it('names the first deny rule by key and lists the others, whatever their order', () => {
    const other: SodRuleView = { ...MAKER_CHECKER, key: 'a-first', description: undefined };

    const decision = evaluatePolicy(checkerRequest(['payments/maker'], [MAKER_CHECKER, other]));

    expect(decision).toMatchObject({ rule: { key: 'a-first' }, otherRules: ['payments-maker-checker'] });
    expect(
      decision.outcome === 'deny' && decision.code === 'sod_conflict' && 'description' in decision.rule,
    ).toBe(false);
  });

  it('is not triggered when the requested entitlement is not part of the rule', () => {
    // Sam already holds both (e.g. from an import); asking for something else is not the conflict.
    const decision = evaluatePolicy(
      request({ heldEntitlements: ['payments/maker', 'payments/checker'], sodRules: [MAKER_CHECKER] }),
    );

    expect(decision.outcome).toBe('approval_required');
  });

  it('is not triggered while the rest of the set is not held', () => {
    const rule: SodRuleView = {
      key: 'three-way',
      entitlements: ['payments/maker', 'payments/checker', 'payments/release'],
      action: 'deny',
    };

    expect(evaluatePolicy(checkerRequest(['payments/maker'], [rule])).outcome).toBe('approval_required');
    expect(evaluatePolicy(checkerRequest(['payments/maker', 'payments/release'], [rule]))).toMatchObject({
      code: 'sod_conflict',
      conflictingWith: ['payments/maker', 'payments/release'],
    });
  });

  it('is not triggered by an entitlement of the same key on another resource', () => {
    const decision = evaluatePolicy(
      request({
        entitlement: CHECKER,
        resource: { key: 'ledger', name: 'Ledger', owner: 'priya@acme.test' },
        heldEntitlements: ['payments/maker'],
        sodRules: [MAKER_CHECKER],
      }),
    );

    expect(decision.outcome).toBe('approval_required');
  });
});

describe('separation of duties: require_approval', () => {
  it('appends a step for the rule’s approvers after the policy steps', () => {
    const decision = evaluatePolicy(checkerRequest(['payments/maker'], [EXCEPTION]));

    const steps = stepsOf(decision);
    expect(steps).toHaveLength(2);
    expect(steps[1]).toEqual({
      index: 1,
      name: 'separation of duties: maker-checker-exception',
      source: 'sod',
      sodRule: 'maker-checker-exception',
      approverRefs: ['group:risk'],
      eligible: ['rita@acme.test'],
      required: 1,
      requireLabel: 'any',
      escalation: {
        ref: 'manager_of_manager',
        source: 'default',
        approvers: ['lee@acme.test'],
        label: "your manager's manager (Lee Park)",
      },
      escalatedAtPlanTime: false,
      labels: ['Risk'],
    });
    expect(decision.reason).toBe(
      'approval required by policy "standard" v3 in 2 steps, including separation-of-duties rule "maker-checker-exception"',
    );
  });

  it('adds one step per triggered rule, ordered by rule key', () => {
    const second: SodRuleView = { ...EXCEPTION, key: 'checker-audit', approvers: ['user:olga@acme.test'] };

    const steps = stepsOf(evaluatePolicy(checkerRequest(['payments/maker'], [EXCEPTION, second])));

    expect(steps.map((s) => [s.index, s.source, s.sodRule ?? null])).toEqual([
      [0, 'policy', null],
      [1, 'sod', 'checker-audit'],
      [2, 'sod', 'maker-checker-exception'],
    ]);
  });

  it('escalates an SoD step whose approvers are all ineligible', () => {
    const rule: SodRuleView = { ...EXCEPTION, approvers: ['user:sam@acme.test'] };

    const steps = stepsOf(evaluatePolicy(checkerRequest(['payments/maker'], [rule])));

    expect(steps[1]).toMatchObject({ eligible: ['lee@acme.test'], escalatedAtPlanTime: true });
  });

  it('suppresses auto-approval', () => {
    const base = checkerRequest(['payments/maker'], [EXCEPTION]);

    const decision = evaluatePolicy(withPolicy({ autoApprove: [{ maxRisk: 'critical' }] }, base));

    expect(stepsOf(decision).map((s) => s.source)).toEqual(['policy', 'sod']);
  });
});
