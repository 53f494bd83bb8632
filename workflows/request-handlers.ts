// The request's updates and query. Validators run before anything is written to history, so a
// refused click leaves no trace in the workflow (the caller audits the refusal); an accepted one
// is recorded (decision row + ledger) before the update answers.
import { condition, setHandler } from '@temporalio/workflow';
import { personActor } from './audit-write.js';
import {
  type ApprovalDecisionInput,
  cancelUpdate,
  decideUpdate,
  fulfilUpdate,
  requestStateQuery,
  retryProvisioningUpdate,
} from './messages.js';
import { type Refusal, refuse } from './refusal.js';
import {
  activities,
  CANCELLABLE,
  FINAL_STATUSES,
  type RequestRun,
  requestAudit,
  written,
} from './request-context.js';
import { stepsSatisfiedBy } from './request-steps.js';

/** Why a decision is refused, or undefined when it is accepted. */
function decisionRefusal(run: RequestRun, input: ApprovalDecisionInput): Refusal | undefined {
  const { state } = run;
  const conflict = (message: string): Refusal => ({ code: 'conflict', message });
  if (state.status !== 'pending_approval' || state.currentStep === undefined) {
    return conflict(`the request is not waiting for approval (it is ${state.status})`);
  }
  if (input.approver === state.requester) {
    return { code: 'not_allowed', message: 'nobody may approve their own request' };
  }
  const step = state.steps[state.currentStep];
  const plan = state.decision?.outcome === 'approval_required' ? state.decision : undefined;
  const earlier = state.decisions.find(
    (d) => d.step < (state.currentStep ?? 0) && d.approver === input.approver && d.decision === 'approve',
  );
  if (earlier && plan?.distinctApprovers) {
    return {
      code: 'not_allowed',
      message: `${input.approver} already approved step ${earlier.step + 1}; this policy needs a different approver for each step`,
    };
  }
  if (earlier && step?.carriedOver?.includes(input.approver)) {
    return conflict(
      `${input.approver} already approved step ${earlier.step + 1}, and that approval counts for step ${state.currentStep + 1} too`,
    );
  }
  if (!step?.eligible.includes(input.approver)) {
    return {
      code: 'not_allowed',
      message: `${input.approver} is not an approver of step ${state.currentStep + 1}`,
    };
  }
  if (
    run.decisionsInFlight.has(`${state.currentStep}:${input.approver}`) ||
    state.decisions.some((d) => d.step === state.currentStep && d.approver === input.approver)
  ) {
    return conflict(`${input.approver} has already decided step ${state.currentStep + 1}`);
  }
  if (run.denial || run.cancel) return conflict('the request is being closed');
  return stepUpRefusal(plan?.stepUp ?? null, state.currentStep, input);
}

/**
 * The API verifies the passkey assertion before it sends the decision; the workflow cannot check a
 * signature (no crypto in the sandbox), but it never takes an approval the plan says needs one
 * without one, or one made for another step, whichever door sent it.
 */
function stepUpRefusal(
  required: 'webauthn' | null,
  currentStep: number,
  input: ApprovalDecisionInput,
): Refusal | undefined {
  if (required === null || input.decision !== 'approve') return undefined;
  if (!input.stepUp) {
    return {
      code: 'step_up_required',
      message: 'approving this request needs a passkey: confirm it in the grantflow console',
    };
  }
  if (input.stepUp.method !== required || input.stepUp.step !== currentStep) {
    return {
      code: 'step_up_failed',
      message: `the passkey assertion was made for step ${input.stepUp.step + 1}, not step ${currentStep + 1}`,
    };
  }
  return undefined;
}

/** Registers every update and the query of one run. */
export function registerRequestHandlers(run: RequestRun): void {
  setHandler(requestStateQuery, () => run.state);

  setHandler(
    decideUpdate,
    async (input) => {
      const stepIndex = run.state.currentStep ?? 0;
      const step = run.state.steps[stepIndex];
      // Claimed before the first await, so a double click arriving meanwhile is refused.
      const claim = `${stepIndex}:${input.approver}`;
      run.decisionsInFlight.add(claim);
      // The step's own transition first, so the ledger never shows a decision before its step; and
      // one decision at a time, so each entry counts the approvals recorded before it.
      await condition(() => written(run)() && !run.recordingDecision);
      run.recordingDecision = true;
      const plan = run.state.decision?.outcome === 'approval_required' ? run.state.decision : undefined;
      const satisfiedSteps =
        input.decision === 'approve' ? stepsSatisfiedBy(run.state, plan, stepIndex, input.approver) : [];
      await activities
        .recordDecision({
          requestId: run.input.requestId,
          stepIndex,
          approver: input.approver,
          decision: input.decision,
          ...(input.actedBy ? { actedBy: input.actedBy } : {}),
          ...(input.comment ? { comment: input.comment } : {}),
          audit: requestAudit(run, `step:${stepIndex}:${input.decision}:${input.approver}`, {
            event_type: input.decision === 'approve' ? 'access.request.approved' : 'access.request.denied',
            actor: personActor(input.approver, input.actedBy, input.slackId),
            action: input.decision,
            result: input.decision === 'approve' ? 'success' : 'denied',
            ...(input.comment ? { reason: input.comment } : {}),
            details: {
              step: stepIndex,
              approvals: (step?.approvedBy.length ?? 0) + (input.decision === 'approve' ? 1 : 0),
              required: step?.required ?? 0,
              // Which steps this approval completes: its own, and later ones its approver may decide.
              ...(input.decision === 'approve' ? { satisfiedSteps } : {}),
              ...(input.via ? { via: input.via } : {}),
              // The verified assertion, whole: `grantflow audit check-decision` checks it from here.
              ...(input.decision === 'approve' && input.stepUp ? { stepUp: input.stepUp } : {}),
            },
          }),
        })
        .finally(() => {
          run.recordingDecision = false;
        });
      // Only a recorded decision counts: the main flow never acts on one the ledger lacks.
      run.decisionsInFlight.delete(claim);
      run.state.decisions.push({
        step: stepIndex,
        approver: input.approver,
        decision: input.decision,
        ...(input.actedBy ? { actedBy: input.actedBy } : {}),
      });
      if (input.decision === 'approve') step?.approvedBy.push(input.approver);
      else
        run.denial = {
          approver: input.approver,
          actedBy: input.actedBy,
          comment: input.comment,
          slackId: input.slackId,
        };
      const seen = run.state.decisions.length;
      // Answer with the state after the main flow has taken this decision in (next step, denial, ...).
      await condition(
        () => (run.decisionsSeen >= seen || run.state.status !== 'pending_approval') && run.writes === 0,
      );
      return run.state;
    },
    {
      validator: (input) => {
        const refusal = decisionRefusal(run, input);
        if (refusal) refuse(refusal);
      },
    },
  );

  setHandler(
    cancelUpdate,
    async (actor) => {
      run.cancel = actor;
      await condition(() => FINAL_STATUSES.includes(run.state.status) && run.writes === 0);
      return run.state;
    },
    {
      validator: (actor) => {
        if (actor.by !== run.state.requester && !actor.asAdmin) {
          refuse({ code: 'not_allowed', message: 'only the requester or an admin may cancel a request' });
        }
        if (!CANCELLABLE.includes(run.state.status) || run.cancel || run.denial) {
          refuse({
            code: 'conflict',
            message: `the request can no longer be cancelled (it is ${run.state.status})`,
          });
        }
      },
    },
  );

  setHandler(
    retryProvisioningUpdate,
    async (actor) => {
      run.retryRequested = actor;
      await condition(() => run.state.status !== 'provisioning_failed' && run.writes === 0);
      return run.state;
    },
    {
      validator: (actor) => {
        if (!actor.asAdmin) refuse({ code: 'not_allowed', message: 'only an admin may retry provisioning' });
        if (run.state.status !== 'provisioning_failed') {
          refuse({
            code: 'conflict',
            message: `only a failed provisioning can be retried (the request is ${run.state.status})`,
          });
        }
      },
    },
  );

  setHandler(
    fulfilUpdate,
    async (input) => {
      run.fulfilment = input;
      await condition(() => run.state.status !== 'awaiting_fulfilment' && run.writes === 0);
      return run.state;
    },
    {
      validator: (input) => {
        if (input.by !== run.input.resource.owner && !input.asAdmin) {
          refuse({
            code: 'not_allowed',
            message: "only the resource's owner or an admin may report fulfilment",
          });
        }
        if (run.state.status !== 'awaiting_fulfilment' || run.fulfilment) {
          refuse({
            code: 'conflict',
            message: `the request is not waiting for fulfilment (it is ${run.state.status})`,
          });
        }
      },
    },
  );
}
