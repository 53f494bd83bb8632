// Recording an approver's decision, shared by the API and Slack: the workflow's validator decides
// whether it counts; a refusal leaves no workflow history, so it is recorded in the ledger here.
// An approval the plan says needs a passkey is verified first (step-up.ts); one without it, or with
// one that does not verify, is refused and recorded here too, and never reaches the workflow.
import type { AuditActor, AuditSource } from '../audit/events.js';
import { recordAudit } from '../audit/intake.js';
import { NotFoundError, StepUpError } from '../core/errors.js';
import type { AccessRequestView } from '../db/queries/access-requests.js';
import { getAccessRequest } from '../db/queries/access-requests.js';
import { isRefusal, sendUpdate, type UpdateRefused } from '../temporal/updates.js';
import { accessRequestWorkflowId } from '../workflows/ids.js';
import { type AccessRequestState, type ApprovalDecisionInput, decideUpdate } from '../workflows/messages.js';
import { type StepUpDeps, type StepUpInput, stepUpOf, withVerifiedStepUp } from './step-up.js';

/** What recording a decision needs (the console's URL: where a passkey is confirmed). */
export type DecideDeps = StepUpDeps;

/** One decision as its caller saw it. */
export type DecideRequestInput = {
  requestId: string;
  decision: ApprovalDecisionInput;
  /** The passkey assertion over the decision, when approving needs one. */
  stepUp?: StepUpInput | undefined;
  /** Who the ledger shows acting if the decision is refused. */
  actor: AuditActor;
  source: Partial<AuditSource> & { service: string };
  /** Makes a replay of the same click run once (Temporal deduplicates updates by id). */
  updateId?: string;
};

/** Sends the decision to the request's workflow; throws the refusal (403/409/400) after recording it. */
export async function decideRequest(
  deps: DecideDeps,
  input: DecideRequestInput,
): Promise<AccessRequestState> {
  const found = await getAccessRequest(deps.db, input.requestId);
  if (!found) throw new NotFoundError('request', input.requestId);
  const workflowId = accessRequestWorkflowId(found.id);
  try {
    const decision =
      input.decision.decision === 'approve' && stepUpOf(found) !== null
        ? await withVerifiedStepUp(deps, found, input.decision, input.stepUp)
        : input.decision;
    return await sendUpdate(deps.temporal, workflowId, decideUpdate, decision, 'request', {
      ...(input.updateId ? { updateId: input.updateId } : {}),
    });
  } catch (error) {
    if (!isRefusal(error)) throw error;
    await recordRefusal(deps, found, input, error);
    throw error;
  }
}

async function recordRefusal(
  deps: DecideDeps,
  found: AccessRequestView,
  input: DecideRequestInput,
  refused: UpdateRefused,
): Promise<void> {
  await recordAudit(
    deps.db,
    {
      event_type: 'access.decision.refused',
      actor: input.actor,
      target: {
        type: 'entitlement',
        id: `${found.resourceKey}/${found.entitlementKey}`,
        name: found.entitlementName,
      },
      action: input.decision.decision,
      result: 'denied',
      reason: refused.message,
      correlation: {
        request_id: found.id,
        workflow_id: accessRequestWorkflowId(found.id),
        ...(input.decision.via?.startsWith('slack:') ? { slack_action_id: input.decision.via } : {}),
      },
      // Which step-up rule refused it, so a search finds every approval tried without a passkey.
      ...(refused instanceof StepUpError ? { details: { code: refused.code } } : {}),
    },
    { source: input.source },
  );
}
