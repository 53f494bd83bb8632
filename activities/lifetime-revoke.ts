// Sending `revoke` to a grant's lifetime workflow from an activity (a leaver, a mover), and telling
// apart the answers that are not failures: no workflow yet, or a workflow already past revoking.
import { ApplicationFailure } from '@temporalio/activity';
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { grantWorkflowId } from '../workflows/ids.js';
import { type ActorInput, revokeUpdate } from '../workflows/messages.js';

/** Not found: the grant never had a workflow (an imported grant) or it is long closed. */
export const isWorkflowNotFound = (error: unknown) =>
  error instanceof WorkflowNotFoundError || (error as { code?: number }).code === 5;

/** A refusal with `conflict` or `not_allowed`: the workflow is already past this (ending, closed). */
export function isRefusedAsMoot(error: unknown): boolean {
  const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
  return cause instanceof ApplicationFailure && (cause.type === 'conflict' || cause.type === 'not_allowed');
}

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
