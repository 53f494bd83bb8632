// Nobody is asked twice for one request. When a step starts, approvals from earlier steps by people
// eligible for this one count here too ("carried over"), and a step they satisfy is passed without
// asking anyone. A policy with `distinctApprovers` wants other people instead: whoever decided an
// earlier step is not eligible, and when nobody is left the step escalates at once, as a step with
// too few approvers does at plan time. Pure functions over the run's state: deterministic, so they
// run inside the workflow and in the decide handler alike.
import type { ApprovalRequiredDecision } from '../policy/types.js';
import type { AccessRequestState, StepState } from './messages.js';

/** People who approved a step before `index`, in the order they decided. */
function earlierApprovers(state: AccessRequestState, index: number): string[] {
  const approvers = state.decisions
    .filter((d) => d.step < index && d.decision === 'approve')
    .map((d) => d.approver);
  return [...new Set(approvers)];
}

/** How a step starts: satisfied already by carried-over approvals, waiting, or without anyone to ask. */
export type StepStart =
  | { kind: 'satisfied'; carriedOver: string[] }
  | { kind: 'waiting'; carriedOver: string[]; escalatedTo: string[] }
  | { kind: 'no_eligible_approver' };

/**
 * Prepares step `index` as it starts, changing its state in place: carries earlier approvals over,
 * or (with distinct approvers) removes earlier deciders and escalates when too few are left.
 */
export function startStep(
  state: AccessRequestState,
  plan: ApprovalRequiredDecision,
  index: number,
): StepStart {
  const step = state.steps[index] as StepState;
  const planned = plan.steps[index];
  const earlier = earlierApprovers(state, index);
  if (!plan.distinctApprovers) {
    const carriedOver = earlier.filter(
      (email) => step.eligible.includes(email) && !step.approvedBy.includes(email),
    );
    step.approvedBy.push(...carriedOver);
    step.carriedOver = carriedOver;
    if (step.approvedBy.length >= step.required) return { kind: 'satisfied', carriedOver };
    return { kind: 'waiting', carriedOver, escalatedTo: [] };
  }
  const excluded = new Set([...earlier, state.requester]);
  step.eligible = step.eligible.filter((email) => !excluded.has(email));
  let escalatedTo: string[] = [];
  if (step.eligible.length < step.required && !step.escalated) {
    escalatedTo = (planned?.escalation.approvers ?? []).filter(
      (email) => !excluded.has(email) && !step.eligible.includes(email),
    );
    step.eligible = [...step.eligible, ...escalatedTo].sort();
    step.escalated = true;
  }
  if (step.eligible.length < step.required) return { kind: 'no_eligible_approver' };
  return { kind: 'waiting', carriedOver: [], escalatedTo };
}

/**
 * The steps an approval of step `index` by `approver` satisfies, for the ledger: this step when it
 * completes it, then every following step it completes by being carried over (never with
 * distinct approvers). Computed from the plan as it stands when the decision is recorded.
 */
export function stepsSatisfiedBy(
  state: AccessRequestState,
  plan: ApprovalRequiredDecision | undefined,
  index: number,
  approver: string,
): number[] {
  const current = state.steps[index];
  if (!current || current.approvedBy.length + 1 < current.required) return [];
  const satisfied = [index];
  if (!plan || plan.distinctApprovers) return satisfied;
  const approvers = new Set([...earlierApprovers(state, index), ...current.approvedBy, approver]);
  for (let next = index + 1; next < state.steps.length; next++) {
    const step = state.steps[next] as StepState;
    const counted = step.eligible.filter((email) => approvers.has(email)).length;
    if (counted < step.required) break;
    satisfied.push(next);
  }
  return satisfied;
}
