// Builds the approval steps of a plan. A step that has too few eligible approvers once the requester
// and inactive people are removed is escalated at plan time, so the request neither stalls waiting
// for nobody nor passes a step nobody approved.
import { type ApproverContext, resolveApproverRef, sortedUnique } from './approvers.js';
import type { PlanEscalation, PlanStep, RequireLabel } from './types.js';

/** One step to plan, before its references are resolved. */
export type PlanStepInput = {
  index: number;
  name?: string | undefined;
  source: 'policy' | 'sod';
  sodRule?: string | undefined;
  approverRefs: string[];
  require: RequireLabel;
};

/** Resolves a step's approvers and escalates it up front when too few people are eligible. */
export function planStep(
  input: PlanStepInput,
  escalation: PlanEscalation,
  context: ApproverContext,
): PlanStep {
  const resolved = input.approverRefs.map((ref) => resolveApproverRef(ref, context));
  const listed = sortedUnique(resolved.flatMap((r) => r.people));
  // `all` means every eligible person; when there is none, the escalation stands in as one approver
  // (as it does when the step escalates after `escalateAfter`), rather than all of an escalation group.
  const required =
    input.require === 'any' ? 1 : input.require === 'all' ? Math.max(listed.length, 1) : input.require;
  const short = listed.length < required;
  const eligible = short ? sortedUnique([...listed, ...escalation.approvers]) : listed;
  return {
    index: input.index,
    ...(input.name === undefined ? {} : { name: input.name }),
    source: input.source,
    ...(input.sodRule === undefined ? {} : { sodRule: input.sodRule }),
    approverRefs: [...input.approverRefs],
    eligible,
    required,
    requireLabel: input.require,
    // A copy per step, so a consumer editing one step's escalation cannot change another's.
    escalation: { ...escalation, approvers: [...escalation.approvers] },
    escalatedAtPlanTime: short && escalation.approvers.length > 0,
    labels: resolved.map((r) => r.label),
  };
}

/** Whether enough people are eligible to satisfy the step. */
export function isSatisfiable(step: PlanStep): boolean {
  return step.required >= 1 && step.eligible.length >= step.required;
}
