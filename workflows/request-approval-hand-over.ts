// Handing a departed approver's place to someone else. A leaver may be an approver of requests still
// waiting (a manager, an owner, a named approver); left alone, those requests would wait for their
// timers to escalate or expire them. The leaver workflow hands each such request to the leaver's
// manager, or to the resource owner, through this update: every step from the current one on that
// `from` may still decide gets `to` instead, escalation approvers included.
import { condition, setHandler } from '@temporalio/workflow';
import { type ApprovalHandOverInput, handOverApprovalsUpdate } from './messages.js';
import { refuse } from './refusal.js';
import { describeRequest, notify, type RequestRun, recordEvent, written } from './request-context.js';

/** Steps (by index, from the current one) where `from` is an approver who has not approved yet. */
function stepsWaitingOn(run: RequestRun, from: string): number[] {
  const { state } = run;
  if (state.status !== 'pending_approval' || state.currentStep === undefined) return [];
  const plan = state.decision?.outcome === 'approval_required' ? state.decision : undefined;
  return state.steps
    .filter((step) => step.index >= (state.currentStep ?? 0))
    .filter(
      (step) =>
        (step.eligible.includes(from) && !step.approvedBy.includes(from)) ||
        (!step.escalated && plan?.steps[step.index]?.escalation.approvers.includes(from)),
    )
    .map((step) => step.index);
}

const swap = (list: string[], from: string, to: string) =>
  [...new Set(list.map((email) => (email === from ? to : email)))].sort();

/** Registers the hand-over update of one run. */
export function registerApprovalHandOver(run: RequestRun): void {
  setHandler(
    handOverApprovalsUpdate,
    async (input: ApprovalHandOverInput) => {
      await condition(written(run));
      const steps = stepsWaitingOn(run, input.from);
      const plan = run.state.decision?.outcome === 'approval_required' ? run.state.decision : undefined;
      for (const index of steps) {
        const step = run.state.steps[index];
        if (step) step.eligible = swap(step.eligible, input.from, input.to);
        const planned = plan?.steps[index];
        if (planned) planned.escalation.approvers = swap(planned.escalation.approvers, input.from, input.to);
      }
      const current = run.state.currentStep ?? 0;
      await recordEvent(run, `handover:${input.from}:${input.to}`, {
        event_type: 'access.request.handed_over',
        actor: { type: 'system', id: input.by },
        action: 'hand_over',
        result: 'success',
        ...(input.reason ? { reason: input.reason } : {}),
        details: { from: input.from, to: input.to, steps },
      });
      // Asked now only for the step waiting now; a later step asks everyone when it starts.
      if (steps.includes(current)) {
        await notify(run, {
          kind: 'approval_needed',
          to: [input.to],
          text: `Handed to you (${input.from} has left): ${describeRequest(run)}`,
          facts: { step: `${current + 1} of ${run.state.steps.length}` },
          actions: ['approve', 'deny'],
        });
      }
      return run.state;
    },
    {
      validator: (input: ApprovalHandOverInput) => {
        if (!input.asAdmin)
          refuse({ code: 'not_allowed', message: 'only grantflow itself hands approvals over' });
        if (input.to === run.state.requester) {
          refuse({ code: 'not_allowed', message: 'nobody may approve their own request' });
        }
        if (stepsWaitingOn(run, input.from).length === 0) {
          refuse({ code: 'conflict', message: `nothing on this request waits on ${input.from}` });
        }
      },
    },
  );
}
