// One access request from policy to grant: plan (policy engine), approvals step by step, then
// provisioning and the hand-over to the grant's own lifetime workflow. Every transition is written
// to the request row and the audit ledger together.
import { allHandlersFinished, condition, uuid4 } from '@temporalio/workflow';
import { personActor } from './audit-write.js';
import type { AccessRequestInput, AccessRequestState } from './messages.js';
import { approveAllSteps } from './request-approval.js';
import { registerApprovalHandOver } from './request-approval-hand-over.js';
import {
  allNotified,
  newRun,
  notify,
  ownDatabase,
  type RequestRun,
  requestAudit,
  transition,
} from './request-context.js';
import { cancelled, finish } from './request-ending.js';
import { registerRequestHandlers } from './request-handlers.js';
import { handOver, provision } from './request-provisioning.js';

/** Runs one access request to its end and returns its final state. */
export async function accessRequest(input: AccessRequestInput): Promise<AccessRequestState> {
  const run = newRun(input);
  registerRequestHandlers(run);
  registerApprovalHandOver(run);
  await runToEnd(run);
  // A decision accepted just before the end (one racing the expiry) is answered before we return.
  await condition(allHandlersFinished);
  await allNotified(run);
  return run.state;
}

/** Plan, approvals, provisioning and hand-over; returns when the request has reached its end. */
async function runToEnd(run: RequestRun): Promise<AccessRequestState> {
  const { input } = run;
  const startedAt = Date.now();

  const decision = await ownDatabase(run).planAccessRequest({ requestId: input.requestId });
  run.state.decision = decision;
  const policyActor = { type: 'policy', id: `${decision.policy.key}@v${decision.policy.version}` } as const;
  if (decision.outcome === 'deny') {
    await finish(run, 'denied', decision.reason, {
      event_type: 'access.request.denied',
      actor: policyActor,
      details: { code: decision.code },
    });
    return run.state;
  }
  if (decision.outcome === 'approval_required') {
    run.state.steps = decision.steps.map((step) => ({
      index: step.index,
      eligible: step.eligible,
      required: step.required,
      approvedBy: [],
      escalated: step.escalatedAtPlanTime,
      reminded: false,
    }));
    run.state.currentStep = 0;
  }
  await transition(run, decision.outcome === 'auto_approve' ? 'provisioning' : 'pending_approval', [
    requestAudit(run, 'planned', {
      event_type: 'access.request.planned',
      actor: policyActor,
      action: 'plan',
      result: 'success',
      reason: decision.reason,
      details: { outcome: decision.outcome, plan: decision },
    }),
    ...(decision.outcome === 'auto_approve'
      ? [
          requestAudit(run, 'auto-approved', {
            event_type: 'access.request.approved',
            actor: policyActor,
            action: 'auto_approve',
            result: 'success',
            reason: decision.reason,
          }),
        ]
      : []),
  ]);

  await notify(run, {
    kind: 'request_submitted',
    to: [input.requester.email],
    text: `Your request for ${input.resource.name} / ${input.entitlement.name} ${
      decision.outcome === 'auto_approve' ? 'was approved by policy' : 'is waiting for approval'
    }`,
  });

  if (decision.outcome === 'approval_required') {
    const outcome = await approveAllSteps(run, decision, startedAt);
    if (outcome !== 'approved') return run.state;
  }
  if (run.cancel) return cancelled(run);

  const grantId = uuid4();
  run.state.grantId = grantId;
  const provisioned = await provision(run, grantId);
  if (provisioned.outcome === 'cancelled') return cancelled(run);
  if (provisioned.outcome === 'refused') {
    await finish(run, 'denied', `the resource owner refused to fulfil it`, {
      event_type: 'access.request.denied',
      actor: personActor(run.fulfilment?.by ?? input.resource.owner, undefined, run.fulfilment?.slackId),
    });
    return run.state;
  }
  await handOver(run, grantId, provisioned.seen);
  return run.state;
}
