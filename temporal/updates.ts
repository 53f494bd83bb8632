import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { ConflictError, NotAllowedError, StepUpError, ValidationError } from '../core/errors.js';

/** A refused update as the API reports it: 403, 409 or 400 with the workflow's reason. */
export type UpdateRefused = NotAllowedError | ConflictError | ValidationError | StepUpError;

/** True for an error `sendUpdate` throws when the workflow refused the update. */
export function isRefusal(error: unknown): error is UpdateRefused {
  return (
    error instanceof NotAllowedError ||
    error instanceof ConflictError ||
    error instanceof ValidationError ||
    error instanceof StepUpError
  );
}

/** Not found: the workflow never existed (an imported grant without a lifetime yet) or is long closed. */
export const isWorkflowNotFound = (error: unknown): boolean =>
  error instanceof WorkflowNotFoundError || (error as { code?: number }).code === 5;

/** A refusal with `conflict` or `not_allowed`: the workflow is already past this (ending, closed). */
export function isRefusedAsMoot(error: unknown): boolean {
  const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
  return cause instanceof ApplicationFailure && (cause.type === 'conflict' || cause.type === 'not_allowed');
}

/** Turns a refusal from a workflow validator into the API error of its code; other errors pass. */
function refusalOf(error: unknown, what: string): UpdateRefused | undefined {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const { type, message } = error.cause;
    if (type === 'not_allowed') return new NotAllowedError(message);
    if (type === 'conflict') return new ConflictError(message);
    if (type === 'invalid') return new ValidationError(message);
    if (type === 'step_up_required' || type === 'step_up_failed') return new StepUpError(type, message);
  }
  // A finished workflow takes no more updates: the request or grant is closed.
  if (isWorkflowNotFound(error)) {
    return new ConflictError(`the ${what} is closed and takes no more changes`);
  }
  return undefined;
}

/**
 * Sends a one-argument update (every grantflow update takes one) and waits for its answer, mapping
 * refusals to API errors. The same `updateId` twice (a replayed Slack click) runs the update once
 * and answers both with its result.
 */
export async function sendUpdate<Ret, Arg>(
  temporal: Client,
  workflowId: string,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
  what: string,
  options: { updateId?: string } = {},
): Promise<Ret> {
  try {
    return await temporal.workflow
      .getHandle(workflowId)
      .executeUpdate(update, { args: [arg], ...(options.updateId ? { updateId: options.updateId } : {}) });
  } catch (error) {
    throw refusalOf(error, what) ?? error;
  }
}
