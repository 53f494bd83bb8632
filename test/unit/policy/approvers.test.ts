import { describe, expect, it } from 'vitest';
import { evaluatePolicy, type PlanStep } from '../../../policy/index.js';
import { org, request, stepsOf, withPolicy } from './org.js';

const LEE_BY_DEFAULT = {
  ref: 'manager_of_manager',
  source: 'default',
  approvers: ['lee@acme.test'],
  label: "your manager's manager (Lee Park)",
} as const;

/** The single step of `base`'s policy with its steps replaced by this one. */
function onlyStep(approvers: string[], require: 'any' | 'all' | number = 'any', base = request()): PlanStep {
  const definition = { ...base.policy.definition, steps: [{ approvers, require }] };
  const steps = stepsOf(evaluatePolicy(withPolicy(definition, base)));
  expect(steps).toHaveLength(1);
  return steps[0] as PlanStep;
}

describe('approver kinds', () => {
  it('manager is the requester’s manager', () => {
    const step = onlyStep(['manager']);

    expect(step).toEqual({
      index: 0,
      source: 'policy',
      approverRefs: ['manager'],
      eligible: ['dana@acme.test'],
      required: 1,
      requireLabel: 'any',
      escalation: LEE_BY_DEFAULT,
      escalatedAtPlanTime: false,
      labels: ['your manager (Dana Reyes)'],
    });
  });

  it('resource_owner is the owner of the requested resource', () => {
    const step = onlyStep(['resource_owner']);

    expect(step.eligible).toEqual(['priya@acme.test']);
    expect(step.labels).toEqual(['the owner of Payments (Priya Shah)']);
  });

  it('user:<email> is that person', () => {
    const step = onlyStep(['user:rita@acme.test']);

    expect(step.eligible).toEqual(['rita@acme.test']);
    expect(step.labels).toEqual(['Rita Mora']);
  });

  it('group:<key> is its active members, sorted, without the requester', () => {
    const step = onlyStep(['group:security']);

    expect(step.eligible).toEqual(['ana@acme.test', 'ben@acme.test']);
    expect(step.labels).toEqual(['Security']);
  });

  it('keeps the step name and position as written', () => {
    const decision = evaluatePolicy(
      withPolicy({
        steps: [
          { name: 'Manager', approvers: ['manager'], require: 'any' },
          { approvers: ['resource_owner'], require: 'any' },
        ],
      }),
    );

    const steps = stepsOf(decision);
    expect(steps.map((s) => [s.index, s.name])).toEqual([
      [0, 'Manager'],
      [1, undefined],
    ]);
    expect('name' in (steps[1] as PlanStep)).toBe(false);
  });
});

describe('inactive and unknown people are never eligible', () => {
  it('an inactive user is labelled and left out; the step escalates', () => {
    const step = onlyStep(['user:cy@acme.test']);

    expect(step.labels).toEqual(['Cy Tran (inactive)']);
    expect(step.eligible).toEqual(['lee@acme.test']);
    expect(step.escalatedAtPlanTime).toBe(true);
  });

  it('an unknown user is labelled and left out', () => {
    const step = onlyStep(['user:ghost@acme.test', 'manager']);

    expect(step.labels).toEqual(['ghost@acme.test (not in the directory)', 'your manager (Dana Reyes)']);
    expect(step.eligible).toEqual(['dana@acme.test']);
  });

  it('inactive group members are left out', () => {
    const step = onlyStep(['group:security'], 'all');

    expect(step.eligible).not.toContain('cy@acme.test');
  });

  it('an inactive manager is left out, and escalation still reaches their manager', () => {
    const step = onlyStep(['manager'], 'any', request({ requester: 'ian@acme.test' }));

    expect(step.labels).toEqual(['your manager (Cy Tran, inactive)']);
    expect(step.escalation.approvers).toEqual(['dana@acme.test']);
    expect(step.eligible).toEqual(['dana@acme.test']);
    expect(step.escalatedAtPlanTime).toBe(true);
  });

  it('an inactive resource owner is left out', () => {
    const directory = org();
    directory.people['priya@acme.test'] = { ...directory.people['priya@acme.test']!, status: 'inactive' };

    const step = onlyStep(['resource_owner'], 'any', request({ directory }));

    expect(step.labels).toEqual(['the owner of Payments (Priya Shah, inactive)']);
    expect(step.eligible).toEqual(['lee@acme.test']);
  });

  it('an unknown group approves nobody', () => {
    const step = onlyStep(['group:ghosts', 'manager']);

    expect(step.labels).toEqual(['group "ghosts" (not in the directory)', 'your manager (Dana Reyes)']);
    expect(step.eligible).toEqual(['dana@acme.test']);
  });
});

describe('nobody approves their own request', () => {
  it('removes a requester who owns the resource, and escalates the step', () => {
    const base = request({ resource: { key: 'payments', name: 'Payments', owner: 'sam@acme.test' } });

    const step = onlyStep(['resource_owner'], 'any', base);

    expect(step.labels).toEqual(['the owner of Payments (you)']);
    expect(step.eligible).toEqual(['lee@acme.test']);
    expect(step.escalatedAtPlanTime).toBe(true);
  });

  it('removes a requester named directly as user:', () => {
    const step = onlyStep(['user:sam@acme.test']);

    expect(step.labels).toEqual(['you']);
    expect(step.eligible).toEqual(['lee@acme.test']);
  });

  it('removes a requester who belongs to the approving group', () => {
    const step = onlyStep(['group:platform']);

    expect(step.eligible).toEqual(['olga@acme.test']);
    expect(step.escalatedAtPlanTime).toBe(false);
  });

  it('removes the requester however their email is cased', () => {
    const step = onlyStep(['group:platform'], 'any', request({ requester: ' Sam@ACME.test ' }));

    expect(step.eligible).toEqual(['olga@acme.test']);
  });

  it('removes the requester from SoD steps', () => {
    const decision = evaluatePolicy(
      request({
        entitlement: { key: 'checker', name: 'Payments checker', risk: 'high', maxDurationSeconds: 3600 },
        heldEntitlements: ['payments/maker'],
        sodRules: [
          {
            key: 'maker-checker-exception',
            entitlements: ['payments/maker', 'payments/checker'],
            action: 'require_approval',
            approvers: ['group:platform'],
          },
        ],
      }),
    );

    expect(stepsOf(decision)[1]?.eligible).toEqual(['olga@acme.test']);
  });

  it('removes the requester from the escalation targets', () => {
    const step = onlyStep(
      ['manager'],
      'any',
      withPolicy({ escalateTo: 'group:platform', escalateAfter: 60 }),
    );

    expect(step.escalation).toEqual({
      ref: 'group:platform',
      source: 'policy',
      approvers: ['olga@acme.test'],
      label: 'Platform',
    });
  });

  it('escalating to the requester alone leaves no one to escalate to', () => {
    const base = withPolicy({ escalateTo: 'user:sam@acme.test', escalateAfter: 60 });

    const step = onlyStep(['manager'], 'any', base);

    expect(step.escalation.approvers).toEqual([]);
  });
});

describe('any, all and N', () => {
  it('any needs one approval', () => {
    expect(onlyStep(['group:security'], 'any').required).toBe(1);
  });

  it('all means every eligible person, after removing the requester and inactive people', () => {
    const step = onlyStep(['group:security'], 'all');

    expect(step.required).toBe(2);
    expect(step.eligible).toEqual(['ana@acme.test', 'ben@acme.test']);
  });

  it('counts a person reached through two references once', () => {
    const step = onlyStep(['manager', 'user:dana@acme.test', 'group:security'], 'all');

    expect(step.eligible).toEqual(['ana@acme.test', 'ben@acme.test', 'dana@acme.test']);
    expect(step.required).toBe(3);
  });

  it('N asks for N approvals from everyone the references reach', () => {
    const step = onlyStep(['group:security', 'manager'], 3);

    expect(step.required).toBe(3);
    expect(step.eligible).toEqual(['ana@acme.test', 'ben@acme.test', 'dana@acme.test']);
    expect(step.escalatedAtPlanTime).toBe(false);
  });

  it('N above the eligible count escalates at plan time', () => {
    // Security has Ana, Ben, Cy (inactive) and Sam (the requester): two left for three approvals.
    const step = onlyStep(['group:security'], 3);

    expect(step.eligible).toEqual(['ana@acme.test', 'ben@acme.test', 'lee@acme.test']);
    expect(step.required).toBe(3);
    expect(step.escalatedAtPlanTime).toBe(true);
  });

  it('N still above the eligible count after escalation is denied, naming the step', () => {
    const decision = evaluatePolicy(
      withPolicy({
        steps: [
          { approvers: ['manager'], require: 'any' },
          { name: 'Security review', approvers: ['group:security'], require: 4 },
        ],
      }),
    );

    expect(decision).toMatchObject({
      outcome: 'deny',
      code: 'no_eligible_approver',
      step: { index: 1, name: 'Security review', required: 4, escalatedAtPlanTime: true },
      reason:
        'not enough eligible approvers for step 2 ("Security review"): needs 4, only 3 eligible even after escalating to manager_of_manager',
    });
  });

  it('all over a group with no one eligible escalates, and one escalation approval stands in', () => {
    const step = onlyStep(['group:nobody'], 'all');

    expect(step).toMatchObject({ eligible: ['lee@acme.test'], required: 1, escalatedAtPlanTime: true });
  });
});

describe('escalation', () => {
  it('defaults to the manager’s manager', () => {
    expect(onlyStep(['manager']).escalation).toEqual(LEE_BY_DEFAULT);
  });

  it('falls back to the manager when the manager reports to nobody', () => {
    // Max's manager Zoe has no manager herself.
    const step = onlyStep(['group:nobody'], 'any', request({ requester: 'max@acme.test' }));

    expect(step.escalation).toEqual({
      ref: 'manager',
      source: 'default',
      approvers: ['zoe@acme.test'],
      label: 'your manager (Zoe Kim)',
    });
    expect(step.eligible).toEqual(['zoe@acme.test']);
  });

  it('applies the same fallback when the policy names manager_of_manager', () => {
    const base = withPolicy(
      { escalateTo: 'manager_of_manager', escalateAfter: 60 },
      request({ requester: 'max@acme.test' }),
    );

    const step = onlyStep(['manager'], 'any', base);

    expect(step.escalation).toMatchObject({ ref: 'manager', source: 'policy', approvers: ['zoe@acme.test'] });
  });

  it('escalates to a named user', () => {
    const base = withPolicy({ escalateTo: 'user:olga@acme.test', escalateAfter: 60 });

    expect(onlyStep(['manager'], 'any', base).escalation).toEqual({
      ref: 'user:olga@acme.test',
      source: 'policy',
      approvers: ['olga@acme.test'],
      label: 'Olga Berg',
    });
  });

  it('escalates to a group, leaving out inactive members', () => {
    const base = withPolicy({ escalateTo: 'group:security', escalateAfter: 60 });

    expect(onlyStep(['manager'], 'any', base).escalation.approvers).toEqual([
      'ana@acme.test',
      'ben@acme.test',
    ]);
  });

  it('a plan-time escalation uses the policy’s escalateTo', () => {
    const base = withPolicy(
      { escalateTo: 'group:risk', escalateAfter: 60 },
      request({ resource: { key: 'payments', name: 'Payments', owner: 'sam@acme.test' } }),
    );

    expect(onlyStep(['resource_owner'], 'any', base).eligible).toEqual(['rita@acme.test']);
  });

  it('a manager-less requester with no one to escalate to is denied rather than stalled', () => {
    const decision = evaluatePolicy(request({ requester: 'zoe@acme.test' }));

    expect(decision).toMatchObject({
      outcome: 'deny',
      code: 'no_eligible_approver',
      step: {
        index: 0,
        eligible: [],
        escalatedAtPlanTime: false,
        labels: ['your manager (none on record)'],
        escalation: {
          ref: 'manager_of_manager',
          approvers: [],
          label: "your manager's manager (none on record)",
        },
      },
      reason:
        'not enough eligible approvers for step 1: needs 1, none eligible and no one to escalate to (manager_of_manager)',
    });
  });

  it('a manager-less requester is planned when the policy names someone to escalate to', () => {
    const base = withPolicy(
      { escalateTo: 'user:olga@acme.test', escalateAfter: 60 },
      request({ requester: 'zoe@acme.test' }),
    );

    expect(onlyStep(['manager'], 'any', base)).toMatchObject({
      eligible: ['olga@acme.test'],
      escalatedAtPlanTime: true,
    });
  });

  it('gives every step its own copy of the escalation', () => {
    const steps = stepsOf(
      evaluatePolicy(
        withPolicy({
          steps: [
            { approvers: ['manager'], require: 'any' },
            { approvers: ['resource_owner'], require: 'any' },
          ],
        }),
      ),
    );

    expect(steps[0]?.escalation).toEqual(steps[1]?.escalation);
    expect(steps[0]?.escalation).not.toBe(steps[1]?.escalation);
  });
});

describe('timing', () => {
  it('copies the policy’s timers, in seconds', () => {
    const decision = evaluatePolicy(
      withPolicy({ remindAfter: 3600, escalateAfter: 7200, escalateTo: 'group:risk', expireAfter: 86_400 }),
    );

    expect(decision).toMatchObject({
      timing: { remindAfter: 3600, escalateAfter: 7200, expireAfter: 86_400 },
    });
  });

  it('leaves out timers the policy does not set', () => {
    const decision = evaluatePolicy(withPolicy({ expireAfter: 86_400 }));

    expect(decision).toMatchObject({ outcome: 'approval_required' });
    expect(decision.outcome === 'approval_required' && decision.timing).toStrictEqual({
      expireAfter: 86_400,
    });
  });

  it('names the policy version and the step count in the reason', () => {
    const decision = evaluatePolicy(
      withPolicy({
        steps: [
          { approvers: ['manager'], require: 'any' },
          { name: 'Owner', approvers: ['user:sam@acme.test'], require: 'any' },
        ],
      }),
    );

    expect(decision).toMatchObject({
      policy: { key: 'standard', version: 3 },
      reason:
        'approval required by policy "standard" v3 in 2 steps; escalated at plan time for lack of eligible approvers: step 2 ("Owner")',
    });
  });
});
