import { describe, expect, it } from 'vitest';
import {
  describeStep,
  type ExplainPlanOptions,
  evaluatePolicy,
  explainPlan,
  type PlanStep,
  type PolicyEvaluationInput,
} from '../../../policy/index.js';
import { MAKER_CHECKER, request, stepsOf, withPolicy } from './org.js';

const SAM = { email: 'sam@acme.test', name: 'Sam Lee' };
const TO_SAM: ExplainPlanOptions = { requester: SAM };
const TO_DANA: ExplainPlanOptions = { requester: SAM, reader: 'dana@acme.test' };

function explain(input: PolicyEvaluationInput, options = TO_SAM): string {
  return explainPlan(evaluatePolicy(input), options);
}

function stepFor(approvers: string[], require: 'any' | 'all' | number, base = request()): PlanStep {
  return stepsOf(evaluatePolicy(withPolicy({ steps: [{ approvers, require }] }, base)))[0] as PlanStep;
}

const TWO_STEPS = withPolicy({
  steps: [
    { name: 'Manager', approvers: ['manager'], require: 'any' },
    { name: 'Security', approvers: ['group:security'], require: 2 },
  ],
});

describe('explainPlan', () => {
  it('lists the steps in order, addressed to the requester', () => {
    expect(explain(TWO_STEPS)).toBe('needs: your manager (Dana Reyes), then 2 of Security');
  });

  it('names the requester when someone else reads it', () => {
    expect(explain(TWO_STEPS, TO_DANA)).toBe("needs: Sam Lee's manager (Dana Reyes), then 2 of Security");
  });

  it('addresses the requester when they are the reader, whatever the case of the email', () => {
    expect(explain(TWO_STEPS, { requester: SAM, reader: 'SAM@acme.test' })).toBe(
      'needs: your manager (Dana Reyes), then 2 of Security',
    );
  });

  it('says which rule auto-approved and why', () => {
    const base = withPolicy({ autoApprove: [{ maxRisk: 'low', requesterInGroups: ['engineering'] }] });

    expect(explain({ ...base, policy: { ...base.policy, key: 'low-risk-auto' } })).toBe(
      'auto-approved by policy "low-risk-auto" (risk low ≤ low, requester in group engineering)',
    );
  });

  it('names the separation-of-duties rule that denied', () => {
    const input = request({
      entitlement: { key: 'checker', name: 'Payments checker', risk: 'high', maxDurationSeconds: 3600 },
      heldEntitlements: ['payments/maker'],
      sodRules: [MAKER_CHECKER],
    });

    expect(explain(input)).toBe(
      'denied: separation-of-duties rule "payments-maker-checker" (holding payments/maker and payments/checker together)',
    );
  });

  it('says an SoD step is for its rule', () => {
    const input = request({
      entitlement: { key: 'checker', name: 'Payments checker', risk: 'high', maxDurationSeconds: 3600 },
      heldEntitlements: ['payments/maker'],
      sodRules: [{ ...MAKER_CHECKER, action: 'require_approval', approvers: ['group:risk'] }],
    });

    expect(explain(input)).toBe(
      'needs: your manager (Dana Reyes), then one of Risk for separation-of-duties rule "payments-maker-checker"',
    );
  });

  it('shows a plan-time escalation, to the requester and to others', () => {
    const input = request({ resource: { key: 'payments', name: 'Payments', owner: 'sam@acme.test' } });
    const ownerStep = withPolicy({ steps: [{ approvers: ['resource_owner'], require: 'any' }] }, input);

    expect(explain(ownerStep)).toBe(
      "needs: the owner of Payments (you), escalated to your manager's manager (Lee Park)",
    );
    expect(explain(ownerStep, TO_DANA)).toBe(
      "needs: the owner of Payments (Sam Lee), escalated to Sam Lee's manager's manager (Lee Park)",
    );
  });

  it('says why no one can approve a step', () => {
    expect(
      explain(request({ requester: 'zoe@acme.test' }), {
        requester: { email: 'zoe@acme.test', name: 'Zoe Kim' },
      }),
    ).toBe(
      "denied: not enough approvers for step 1: needs 1, none eligible and no one to escalate to: your manager's manager (none on record)",
    );
    expect(
      explain(withPolicy({ steps: [{ name: 'Security', approvers: ['group:security'], require: 4 }] })),
    ).toBe(
      `denied: not enough approvers for step 1 ("Security"): needs 4, only 3 eligible even after escalating to your manager's manager (Lee Park)`,
    );
  });

  it('says an inactive requester cannot ask', () => {
    const input = request({ requester: 'cy@acme.test' });
    const cy = { email: 'cy@acme.test', name: 'Cy Tran' };

    expect(explain(input, { requester: cy })).toBe('denied: you are not an active person in the directory');
    expect(explain(input, { requester: cy, reader: 'dana@acme.test' })).toBe(
      'denied: Cy Tran is not an active person in the directory',
    );
  });
});

describe('describeStep', () => {
  it.each([
    [['manager'], 'any', 'your manager (Dana Reyes)'],
    [['group:security'], 'any', 'one of Security'],
    [['manager', 'group:security'], 'any', 'your manager (Dana Reyes) or one of Security'],
    [
      ['manager', 'resource_owner', 'user:rita@acme.test'],
      'any',
      'your manager (Dana Reyes), the owner of Payments (Priya Shah) or Rita Mora',
    ],
    [['group:security'], 2, '2 of Security'],
    [['group:security', 'group:risk'], 3, '3 of Security and Risk'],
    [['group:security'], 'all', 'all of Security (2 people)'],
    [['group:risk'], 'all', 'all of Risk (1 person)'],
    [
      ['manager', 'resource_owner'],
      'all',
      'your manager (Dana Reyes) and the owner of Payments (Priya Shah)',
    ],
    [['group:nobody'], 'all', "all of Nobody, escalated to your manager's manager (Lee Park)"],
  ] as const)('%j requiring %j reads %j', (approvers, require, text) => {
    expect(describeStep(stepFor([...approvers], require))).toBe(text);
  });

  it('speaks of the requester by name to other readers', () => {
    const step = stepFor(['user:sam@acme.test', 'manager'], 'any');

    expect(describeStep(step)).toBe('you or your manager (Dana Reyes)');
    expect(describeStep(step, TO_DANA)).toBe("Sam Lee or Sam Lee's manager (Dana Reyes)");
  });

  it('never rewrites a group’s own name', () => {
    const base = request();
    base.directory.groups.risk = { key: 'risk', name: 'your manager (you)', members: ['rita@acme.test'] };

    expect(describeStep(stepFor(['group:risk'], 'any', base), TO_DANA)).toBe('one of your manager (you)');
  });
});

describe('explainPlan when one person decides consecutive steps', () => {
  const danaOwns = (definition: Partial<Parameters<typeof withPolicy>[0]> = {}) =>
    withPolicy(
      {
        steps: [
          { approvers: ['manager'], require: 'any' },
          { approvers: ['resource_owner'], require: 'any' },
          { approvers: ['group:security'], require: 2 },
        ],
        ...definition,
      },
      request({ resource: { key: 'payments', name: 'Payments', owner: 'dana@acme.test' } }),
    );

  it('reads as one step, since their one approval counts for both', () => {
    expect(explain(danaOwns())).toBe(
      'needs: your manager and the owner of Payments: Dana Reyes, then 2 of Security',
    );
  });

  it('keeps the steps apart when the policy wants a different approver for each', () => {
    expect(explain(danaOwns({ distinctApprovers: true }))).toBe(
      'needs: your manager (Dana Reyes), then the owner of Payments (Dana Reyes), then 2 of Security',
    );
  });
});
