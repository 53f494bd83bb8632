// Filing an access request, shared by the API and Slack: refuse bad input with the field named,
// then write the row and its `access.request.created` event in one transaction and start the
// workflow that runs it.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { recordAudit } from '../audit/intake.js';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import type { Database } from '../db/client.js';
import { insertAccessRequest, updateAccessRequest } from '../db/queries/access-requests.js';
import { getEntitlement } from '../db/queries/entitlements.js';
import { checkRequestInput } from '../policy/request-checks.js';
import { startOnce } from '../temporal/start-once.js';
import { accessRequestWorkflowId } from '../workflows/ids.js';
import type {
  AccessRequestInput,
  AccessRequestWorkflow,
  PersonRef,
  ProvisioningRetry,
} from '../workflows/messages.js';
import { loadRequestContext } from './policy-input.js';

/** What filing a request needs from its caller. */
export type SubmitDeps = {
  db: Database;
  temporal: Client;
  taskQueue: string;
  provisioningRetry: ProvisioningRetry;
};

/** A person as the caller knows them (from a token or a Slack user). */
export type Submitter = PersonRef & { id: string };

/** What someone asks for. */
export type SubmitRequestInput = {
  requester: Submitter;
  submittedBy: Submitter;
  resourceKey: string;
  entitlementKey: string;
  durationSeconds: number;
  reason?: string;
  /** Where the request came from, for the ledger. */
  source: { service: string; ip?: string; user_agent?: string };
};

/** What passed the checks: the entitlement and the policy context the workflow starts from. */
export type CheckedRequest = {
  found: NonNullable<Awaited<ReturnType<typeof getEntitlement>>>;
  context: Awaited<ReturnType<typeof loadRequestContext>>;
};

/**
 * Refuses a request that cannot be filed (unknown or retired entitlement, duration or reason the
 * policy forbids, access already held), naming the field; changes nothing. Slack runs it before
 * acknowledging a modal, so the errors appear in the modal.
 */
export async function checkAccessRequest(
  db: SubmitDeps['db'],
  input: Omit<SubmitRequestInput, 'submittedBy' | 'source'>,
): Promise<CheckedRequest> {
  const found = await getEntitlement(db, input.resourceKey, input.entitlementKey);
  const ref = `${input.resourceKey}/${input.entitlementKey}`;
  if (!found) throw new NotFoundError('entitlement', ref);
  if (found.entitlement.status !== 'active' || found.resource.status !== 'active') {
    throw new ValidationError(`${ref} is retired and can no longer be requested`, {
      fields: [{ field: 'body.entitlement', message: 'is retired' }],
    });
  }
  const context = await loadRequestContext(db, {
    requesterId: input.requester.id,
    entitlementId: found.entitlement.id,
  });
  const problems = checkRequestInput({
    requester: input.requester.email,
    durationSeconds: input.durationSeconds,
    reason: input.reason,
    entitlement: context.policyInput.entitlement,
    policy: context.policyInput.policy,
    directory: context.policyInput.directory,
  });
  if (problems.length > 0) {
    const fields = problems.map((p) => ({ field: `body.${p.field}`, message: p.message }));
    throw new ValidationError(`Invalid request: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`, {
      fields,
    });
  }
  if (context.policyInput.heldEntitlements.includes(ref)) {
    throw new ConflictError(`${input.requester.email} already holds ${ref} or has a request for it open`, {
      entitlement: ref,
    });
  }
  return { found, context };
}

/** Validates, records and starts a request; returns its id. */
export async function submitAccessRequest(deps: SubmitDeps, input: SubmitRequestInput): Promise<string> {
  const { found, context } = await checkAccessRequest(deps.db, input);
  const ref = `${input.resourceKey}/${input.entitlementKey}`;
  const requestId = randomUUID();
  const onBehalf = input.submittedBy.email !== input.requester.email;
  await deps.db.transaction(async (tx) => {
    await insertAccessRequest(tx, {
      id: requestId,
      requesterId: input.requester.id,
      entitlementId: found.entitlement.id,
      submittedById: input.submittedBy.id,
      reason: input.reason ?? null,
      durationSeconds: input.durationSeconds,
    });
    await recordAudit(
      tx,
      {
        event_type: 'access.request.created',
        actor: {
          type: 'person',
          id: input.submittedBy.email,
          email: input.submittedBy.email,
          ...(onBehalf ? { on_behalf_of: input.requester.email } : {}),
        },
        target: { type: 'entitlement', id: ref, name: found.entitlement.name },
        action: 'request',
        result: 'success',
        ...(input.reason ? { reason: input.reason } : {}),
        risk: found.entitlement.riskLevel,
        correlation: { request_id: requestId, workflow_id: accessRequestWorkflowId(requestId) },
        details: { requester: input.requester.email, durationSeconds: input.durationSeconds },
      },
      { idempotencyKey: `${accessRequestWorkflowId(requestId)}:created`, source: input.source },
    );
  });

  try {
    await startRequestWorkflow(deps, {
      requestId,
      requester: input.requester,
      submittedBy: input.submittedBy,
      target: context.target,
      durationSeconds: input.durationSeconds,
      ...(input.reason ? { reason: input.reason } : {}),
    });
  } catch (error) {
    // Without its workflow nothing would ever move the request: close it, saying why.
    await updateAccessRequest(deps.db, requestId, {
      status: 'cancelled',
      outcome: 'could not start the request workflow',
      closedAt: new Date(),
    });
    throw error;
  }
  return requestId;
}

/**
 * Starts the workflow of a recorded request, once: a second start (the worker's sweep of stranded
 * requests and the API racing) finds it running and does nothing. Returns whether it started it.
 */
export function startRequestWorkflow(
  deps: SubmitDeps,
  request: {
    requestId: string;
    requester: PersonRef;
    submittedBy: PersonRef;
    target: CheckedRequest['context']['target'];
    durationSeconds: number;
    reason?: string;
  },
): Promise<boolean> {
  const workflowInput: AccessRequestInput = {
    requestId: request.requestId,
    requester: { email: request.requester.email, name: request.requester.name },
    submittedBy: { email: request.submittedBy.email, name: request.submittedBy.name },
    ...request.target,
    durationSeconds: request.durationSeconds,
    ...(request.reason ? { reason: request.reason } : {}),
    provisioningRetry: deps.provisioningRetry,
  };
  return startOnce<AccessRequestWorkflow>(deps.temporal, 'accessRequest', {
    workflowId: accessRequestWorkflowId(request.requestId),
    taskQueue: deps.taskQueue,
    args: [workflowInput],
  });
}
