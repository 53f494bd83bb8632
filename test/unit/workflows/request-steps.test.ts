import { describe, expect, it } from 'vitest';
import type { PolicyDefinition } from '../../../directory/file-schema.js';
import { evaluatePolicy } from '../../../policy/index.js';
import type { ApprovalRequiredDecision } from '../../../policy/types.js';
import type { AccessRequestState } from '../../../workflows/messages.js';
import { startStep, stepsSatisfiedBy } from '../../../workflows/request-steps.js';
import { request, withPolicy } from '../policy/org.js';

const DANA = 'dana@acme.test';

/** A plan where Dana is Sam's manager and the resource's owner; security needs `securityNeeds`. */
function planFor(definition: Partial<PolicyDefinition> = {}): ApprovalRequiredDecision {
  const decision = evaluatePolicy(
    withPolicy(
      {
        steps: [
          { approvers: ['manager'], require: 'any' },
          { approvers: ['resource_owner'], require: 'any' },
        ],
        ...definition,
      },
      request({ resource: { key: 'payments', name: 'Payments', owner: DANA } }),
    ),
  );
  if (decision.outcome !== 'approval_required') throw new Error(JSON.stringify(decision));
  return decision;
}

function stateFor(plan: ApprovalRequiredDecision): AccessRequestState {
  return {
    requestId: 'r1',
    status: 'pending_approval',
    requester: 'sam@acme.test',
    decision: plan,
    currentStep: 0,
    steps: plan.steps.map((s) => ({
      index: s.index,
      eligible: s.eligible,
      required: s.required,
      approvedBy: [],
      escalated: s.escalatedAtPlanTime,
      reminded: false,
    })),
    decisions: [],
  };
}

function approve(state: AccessRequestState, step: number, approver: string) {
  state.decisions.push({ step, approver, decision: 'approve' });
  state.steps[step]?.approvedBy.push(approver);
}

describe('one approval for consecutive steps', () => {
  it('carries the approval over and passes the step without asking again', () => {
    const plan = planFor();
    const state = stateFor(plan);
    expect(startStep(state, plan, 0)).toEqual({ kind: 'waiting', carriedOver: [], escalatedTo: [] });
    expect(stepsSatisfiedBy(state, plan, 0, DANA)).toEqual([0, 1]);
    approve(state, 0, DANA);

    expect(startStep(state, plan, 1)).toEqual({ kind: 'satisfied', carriedOver: [DANA] });
    expect(state.steps[1]).toMatchObject({ approvedBy: [DANA], carriedOver: [DANA] });
  });

  it('counts a carried approval toward a quorum without completing it', () => {
    const plan = planFor({
      steps: [
        { approvers: ['group:security'], require: 'any' },
        { approvers: ['group:security'], require: 2 },
      ],
    });
    const state = stateFor(plan);
    const [first] = plan.steps[0]?.eligible ?? [];
    startStep(state, plan, 0);
    expect(stepsSatisfiedBy(state, plan, 0, first as string)).toEqual([0]);
    approve(state, 0, first as string);

    const start = startStep(state, plan, 1);
    expect(start).toEqual({ kind: 'waiting', carriedOver: [first], escalatedTo: [] });
    expect(state.steps[1]?.approvedBy).toEqual([first]);
  });
});

describe('distinct approvers', () => {
  it('excludes the earlier approver and escalates to whoever is left', () => {
    const plan = planFor({ distinctApprovers: true, escalateTo: 'user:ana@acme.test' });
    const state = stateFor(plan);
    startStep(state, plan, 0);
    expect(stepsSatisfiedBy(state, plan, 0, DANA)).toEqual([0]);
    approve(state, 0, DANA);

    expect(startStep(state, plan, 1)).toEqual({
      kind: 'waiting',
      carriedOver: [],
      escalatedTo: ['ana@acme.test'],
    });
    expect(state.steps[1]).toMatchObject({ eligible: ['ana@acme.test'], escalated: true, approvedBy: [] });
  });

  it('finds nobody when the escalation is the same person', () => {
    const plan = planFor({ distinctApprovers: true, escalateTo: `user:${DANA}` });
    const state = stateFor(plan);
    startStep(state, plan, 0);
    approve(state, 0, DANA);

    expect(startStep(state, plan, 1)).toEqual({ kind: 'no_eligible_approver' });
  });
});
