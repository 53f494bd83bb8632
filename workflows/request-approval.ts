// Waiting for one approval step: decisions arrive through the decide update; the policy's timers
// remind the approvers, escalate the step, and finally expire the request.
import { condition } from '@temporalio/workflow';
import type { ApprovalRequiredDecision } from '../policy/types.js';
import { personActor, WORKFLOW_ACTOR } from './audit-write.js';
import type { StepState } from './messages.js';
import { describeRequest, notify, type RequestRun, recordEvent, transition } from './request-context.js';
import { cancelled, finish } from './request-ending.js';
import { startStep } from './request-steps.js';

/** How a step ended: approved, or the request ended while waiting. */
export type StepOutcome = 'approved' | 'denied' | 'cancelled' | 'expired';

const pendingApprovers = (step: StepState) =>
  step.eligible.filter((email) => !step.approvedBy.includes(email));

/** Waits until the current step has its approvals, or the request is denied, cancelled or expired. */
async function awaitStep(
  run: RequestRun,
  plan: ApprovalRequiredDecision,
  requestStartedAt: number,
): Promise<StepOutcome> {
  const index = run.state.currentStep ?? 0;
  const step = run.state.steps[index] as StepState;
  const planned = plan.steps[index];
  const { remindAfter, escalateAfter, expireAfter } = plan.timing;
  const stepStartedAt = Date.now();
  // Cards carry their step, so one delivered late (after an outage) can tell it is moot.
  const stepFact = `${index + 1} of ${plan.steps.length}`;
  const expireAt = expireAfter === undefined ? undefined : requestStartedAt + expireAfter * 1000;
  for (;;) {
    const deadlines = [
      !step.reminded && remindAfter !== undefined ? stepStartedAt + remindAfter * 1000 : undefined,
      !step.escalated && escalateAfter !== undefined ? stepStartedAt + escalateAfter * 1000 : undefined,
      expireAt,
    ].filter((at): at is number => at !== undefined);
    const next = deadlines.length ? Math.min(...deadlines) : undefined;
    // Every recorded decision wakes the flow, so its update can answer with the state after it.
    const settled = () => run.state.decisions.length > run.decisionsSeen || !!run.denial || !!run.cancel;
    if (next === undefined) await condition(settled);
    else if (next > Date.now()) await condition(settled, next - Date.now());
    const fresh = run.state.decisions.slice(run.decisionsSeen).filter((d) => d.decision === 'approve');
    if (fresh.length > 0) {
      // Everyone on the step hears who approved, and rich clients rewrite their cards in place.
      // Before `decisionsSeen` moves: the decide update answers once the flow has moved on.
      await notify(run, {
        kind: 'approval_recorded',
        to: step.eligible,
        text: `${fresh.map((d) => d.approver).join(', ')} approved: ${describeRequest(run)}`,
      });
    }
    run.decisionsSeen = run.state.decisions.length;
    if (run.cancel) return 'cancelled';
    if (run.denial) return 'denied';
    if (step.approvedBy.length >= step.required) return 'approved';

    const now = Date.now();
    if (next === undefined || now < next) continue;
    if (expireAt !== undefined && now >= expireAt) return 'expired';
    if (!step.escalated && escalateAfter !== undefined && now >= stepStartedAt + escalateAfter * 1000) {
      step.escalated = true;
      const added = (planned?.escalation.approvers ?? []).filter((email) => !step.eligible.includes(email));
      step.eligible = [...step.eligible, ...added].sort();
      await recordEvent(run, `step:${index}:escalated`, {
        event_type: 'access.request.escalated',
        actor: WORKFLOW_ACTOR,
        action: 'escalate',
        result: 'success',
        reason: `no decision within ${escalateAfter}s`,
        details: { step: index, escalatedTo: added, escalation: planned?.escalation.label ?? null },
      });
      await notify(run, {
        kind: 'approval_escalated',
        to: added,
        text: `Escalated to you: ${describeRequest(run)}`,
        facts: { step: stepFact },
        actions: ['approve', 'deny'],
      });
      await notify(run, {
        kind: 'approval_escalated',
        to: [run.input.requester.email],
        text: `Your request for ${run.input.resource.name} / ${run.input.entitlement.name} was escalated to ${
          planned?.escalation.label ?? added.join(', ')
        }`,
      });
    }
    if (!step.reminded && remindAfter !== undefined && now >= stepStartedAt + remindAfter * 1000) {
      step.reminded = true;
      const waitingOn = pendingApprovers(step);
      await recordEvent(run, `step:${index}:reminded`, {
        event_type: 'access.request.reminded',
        actor: WORKFLOW_ACTOR,
        action: 'remind',
        result: 'success',
        details: { step: index, reminded: waitingOn },
      });
      await notify(run, {
        kind: 'approval_reminder',
        to: waitingOn,
        text: `Reminder: ${describeRequest(run)}`,
        facts: { step: stepFact },
        actions: ['approve', 'deny'],
      });
    }
  }
}

/** Runs the plan's steps in order; anything but `approved` means the request has ended. */
export async function approveAllSteps(
  run: RequestRun,
  plan: ApprovalRequiredDecision,
  startedAt: number,
): Promise<StepOutcome> {
  for (const step of plan.steps) {
    run.state.currentStep = step.index;
    const start = startStep(run.state, plan, step.index);
    if (start.kind === 'no_eligible_approver') {
      await finish(
        run,
        'denied',
        `nobody is left to approve step ${step.index + 1}: this policy needs a different approver for each step, and everyone eligible decided an earlier one`,
        {
          event_type: 'access.request.denied',
          actor: WORKFLOW_ACTOR,
          details: { code: 'no_eligible_approver', step: step.index },
        },
      );
      return 'denied';
    }
    // Approvals carried over from earlier steps satisfy this one: nobody is asked again.
    if (start.kind === 'satisfied') continue;
    if (step.index > 0) await transition(run, 'pending_approval', []);
    if (start.escalatedTo.length > 0) {
      await recordEvent(run, `step:${step.index}:escalated`, {
        event_type: 'access.request.escalated',
        actor: WORKFLOW_ACTOR,
        action: 'escalate',
        result: 'success',
        reason:
          'everyone eligible decided an earlier step, and this policy needs a different approver for each step',
        details: { step: step.index, escalatedTo: start.escalatedTo, escalation: step.escalation.label },
      });
    }
    const state = run.state.steps[step.index];
    await notify(run, {
      kind: 'approval_needed',
      to: (state?.eligible ?? []).filter((email) => !state?.approvedBy.includes(email)),
      text: `Approval needed: ${describeRequest(run)}`,
      facts: { reason: run.input.reason ?? '', step: `${step.index + 1} of ${plan.steps.length}` },
      actions: ['approve', 'deny'],
    });
    const outcome = await awaitStep(run, plan, startedAt);
    if (outcome === 'approved') continue;
    if (outcome === 'cancelled') await cancelled(run);
    else if (outcome === 'denied') {
      const denial = run.denial ?? { approver: 'unknown' };
      await finish(
        run,
        'denied',
        `denied by ${denial.approver}${denial.comment ? `: ${denial.comment}` : ''}`,
        {
          event_type: 'access.request.denied',
          actor: personActor(denial.approver, denial.actedBy, denial.slackId),
        },
      );
    } else {
      await finish(run, 'expired', 'nobody decided before the request expired', {
        event_type: 'access.request.expired',
        actor: WORKFLOW_ACTOR,
      });
    }
    return outcome;
  }
  run.state.currentStep = undefined;
  return 'approved';
}
