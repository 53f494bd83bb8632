// Sending `revoke` to a grant's lifetime workflow from an activity (a leaver, a mover), telling
// apart the answers that are not failures: no workflow yet, or a workflow already past revoking.
import type { Client } from '@temporalio/client';
import { isRefusedAsMoot, isWorkflowNotFound } from '../temporal/updates.js';
import { grantWorkflowId } from '../workflows/ids.js';
import { type ActorInput, revokeUpdate } from '../workflows/messages.js';

/**
 * Sends `revoke` once per `updateId`. `sent` once the workflow took it; `no_workflow` when the
 * grant has no lifetime workflow yet (the worker's loop starts one soon: try again later); `moot`
 * when the grant is already ending or ended.
 */
export async function revokeThroughLifetime(
  temporal: Client,
  grantId: string,
  actor: ActorInput,
  updateId: string,
): Promise<'sent' | 'no_workflow' | 'moot'> {
  try {
    await temporal.workflow.getHandle(grantWorkflowId(grantId)).executeUpdate(revokeUpdate, {
      args: [actor],
      updateId,
    });
    return 'sent';
  } catch (error) {
    if (isWorkflowNotFound(error)) return 'no_workflow';
    if (isRefusedAsMoot(error)) return 'moot';
    throw error;
  }
}
