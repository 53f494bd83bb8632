// Recording an approver's decision, shared by the API and Slack: the workflow's validator decides
// whether it counts; a refusal leaves no workflow history, so it is recorded in the ledger here.
import type { Client } from '@temporalio/client';
import type { AuditActor, AuditSource } from '../audit/events.js';
import { recordAudit } from '../audit/intake.js';
import { NotFoundError } from '../core/errors.js';
import type { Database } from '../db/client.js';
import { getAccessRequest } from '../db/queries/access-requests.js';
import { isRefusal, sendUpdate } from '../temporal/updates.js';
import { accessRequestWorkflowId } from '../workflows/ids.js';
import { type AccessRequestState, type ApprovalDecisionInput, decideUpdate } from '../workflows/messages.js';

/** What recording a decision needs. */
export type DecideDeps = { db: Database; temporal: Client };

/** One decision as its caller saw it. */
export type DecideRequestInput = {
  requestId: string;
  decision: ApprovalDecisionInput;
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
    return await sendUpdate(deps.temporal, workflowId, decideUpdate, input.decision, 'request', {
      ...(input.updateId ? { updateId: input.updateId } : {}),
    });
  } catch (error) {
    if (!isRefusal(error)) throw error;
    const refused = error;
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
          workflow_id: workflowId,
          ...(input.decision.via?.startsWith('slack:') ? { slack_action_id: input.decision.via } : {}),
        },
      },
      { source: input.source },
    );
    throw refused;
  }
}
