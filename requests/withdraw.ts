// Changes to a request's course after filing: the requester (or an admin) withdraws it, an admin
// retries a provisioning that failed for good. The workflow's validators decide who may.
import type { Client } from '@temporalio/client';
import type { Executor } from '../db/client.js';
import { sendUpdate } from '../temporal/updates.js';
import { accessRequestWorkflowId } from '../workflows/ids.js';
import { type AccessRequestState, cancelUpdate, retryProvisioningUpdate } from '../workflows/messages.js';
import { type RequestActor, requestSeenBy } from './find.js';

/** What changing a request's course needs. */
export type RequestCourseDeps = { db: Executor; temporal: Client };

/** Withdraws the request before it is provisioned. */
export async function cancelRequest(
  deps: RequestCourseDeps,
  input: { requestId: string },
  actor: RequestActor,
): Promise<AccessRequestState> {
  const found = await requestSeenBy(deps.db, input.requestId, actor);
  return sendUpdate(deps.temporal, accessRequestWorkflowId(found.id), cancelUpdate, actor, 'request');
}

/** Tries a failed provisioning again. */
export async function retryProvisioning(
  deps: RequestCourseDeps,
  input: { requestId: string },
  actor: RequestActor,
): Promise<AccessRequestState> {
  const found = await requestSeenBy(deps.db, input.requestId, actor);
  return sendUpdate(
    deps.temporal,
    accessRequestWorkflowId(found.id),
    retryProvisioningUpdate,
    actor,
    'request',
  );
}
