// One access request from policy to grant: plan (policy engine), approvals step by step, then
// provisioning and the hand-over to the grant's own lifetime workflow. Every transition is written
// to the request row and the audit ledger together.
import { ParentClosePolicy, startChild, uuid4 } from '@temporalio/workflow';
import type { ApprovalRequiredDecision } from '../policy/types.js';
import { personActor, WORKFLOW_ACTOR } from './audit-write.js';
import { grantLifetime } from './grant-lifetime.js';
import { grantWorkflowId } from './ids.js';
import type { AccessRequestInput, AccessRequestState } from './messages.js';
import { awaitStep, type StepOutcome } from './request-approval.js';
import {
  activities,
  describeRequest,
  newRun,
  notify,
  type RequestRun,
  recordEvent,
  requestAudit,
  transition,
} from './request-context.js';
import { registerRequestHandlers } from './request-handlers.js';
import { provision } from './request-provisioning.js';
import { startStep } from './request-steps.js';

/** Runs one access request to its end and returns its final state. */
export async function accessRequest(input: AccessRequestInput): Promise<AccessRequestState> {
  const run = newRun(input);
  registerRequestHandlers(run);
  const startedAt = Date.now();

  const decision = await activities.planAccessRequest({ requestId: input.requestId });
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
  if (provisioned === 'cancelled') return cancelled(run);
  if (provisioned === 'refused') {
    await finish(run, 'denied', `the resource owner refused to fulfil it`, {
      event_type: 'access.request.denied',
      actor: personActor(run.fulfilment?.by ?? input.resource.owner, undefined, run.fulfilment?.slackId),
    });
    return run.state;
  }
  await handOver(run, grantId);
  return run.state;
}

async function approveAllSteps(
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

/** Ends the request in a final state, audited, and tells the requester. */
async function finish(
  run: RequestRun,
  status: 'denied' | 'expired' | 'cancelled',
  outcome: string,
  event: Pick<Parameters<typeof requestAudit>[2], 'event_type' | 'actor' | 'details'>,
): Promise<void> {
  run.state.currentStep = undefined;
  await transition(
    run,
    status,
    [
      requestAudit(run, status, {
        ...event,
        action: status === 'denied' ? 'deny' : status === 'expired' ? 'expire' : 'cancel',
        result: status === 'denied' ? 'denied' : 'success',
        reason: outcome,
      }),
    ],
    { outcome, closed: true },
  );
  await notify(run, {
    kind:
      status === 'denied'
        ? 'request_decided'
        : status === 'expired'
          ? 'request_expired'
          : 'request_cancelled',
    to: [run.input.requester.email],
    text: `Your request for ${run.input.resource.name} / ${run.input.entitlement.name} was ${status}: ${outcome}`,
  });
}

async function cancelled(run: RequestRun): Promise<AccessRequestState> {
  const by = run.cancel?.by ?? run.input.requester.email;
  await finish(run, 'cancelled', `cancelled by ${by}${run.cancel?.reason ? `: ${run.cancel.reason}` : ''}`, {
    event_type: 'access.request.cancelled',
    actor: personActor(by),
  });
  return run.state;
}

/** Records the grant and starts its lifetime workflow, which outlives this one. */
async function handOver(run: RequestRun, grantId: string): Promise<void> {
  const { input } = run;
  // Read the target back, so the grant's record says whether the access is really there.
  const seen =
    input.resource.connectorKind === 'manual'
      ? 'unknown'
      : await activities.checkAccess({
          grantId,
          holder: input.requester,
          resourceKey: input.resource.key,
          entitlementKey: input.entitlement.key,
        });
  const provisionVerified = seen === 'unknown' ? null : seen === 'present';
  const grantedAt = Date.now();
  const expiresAt = grantedAt + input.durationSeconds * 1000;
  await activities.recordGrant({
    grantId,
    requestId: input.requestId,
    holder: input.requester.email,
    entitlementId: input.entitlement.id,
    grantedAt,
    expiresAt,
    provisionVerified,
    audit: [
      requestAudit(run, 'provisioned', {
        event_type: 'access.grant.provisioned',
        actor: WORKFLOW_ACTOR,
        action: 'provision',
        result: 'success',
        correlation: { grant_id: grantId },
        details: {
          holder: input.requester.email,
          grantedAt: new Date(grantedAt).toISOString(),
          expiresAt: new Date(expiresAt).toISOString(),
          verifiedAtTarget: provisionVerified,
        },
      }),
    ],
  });
  await startChild(grantLifetime, {
    workflowId: grantWorkflowId(grantId),
    parentClosePolicy: ParentClosePolicy.ABANDON,
    args: [
      {
        grantId,
        requestId: input.requestId,
        holder: input.requester,
        resource: input.resource,
        entitlement: input.entitlement,
        grantedAt,
        expiresAt,
        // Remind a fifth of the way before the end, at most a day before.
        remindBeforeSeconds: Math.min(86_400, Math.floor(input.durationSeconds / 5)),
        provisioningRetry: input.provisioningRetry,
      },
    ],
  });
  // Only now: whoever sees `granted` can already extend, release or revoke it.
  run.state.currentStep = undefined;
  await transition(run, 'granted', [], { outcome: 'access granted', closed: true });
  await notify(run, {
    kind: 'access_provisioned',
    to: [input.requester.email],
    text: `You now have ${input.resource.name} / ${input.entitlement.name} until ${new Date(expiresAt).toISOString()}`,
  });
}
