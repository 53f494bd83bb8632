import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  type WorkflowStartOptions,
} from '@temporalio/client';
import type { Workflow } from '@temporalio/common';

/**
 * Starts a workflow that must run once per id, ever: a second start, while it runs or after it
 * closed, finds the first and starts nothing. True when this call started it. The ids carry what
 * makes the work unique (a grant, a campaign, a person and the time they left or moved), so every
 * sweep and every retried hook may call this freely.
 */
export async function startOnce<W extends Workflow>(
  temporal: Client,
  workflowType: string,
  options: Omit<WorkflowStartOptions<W>, 'workflowIdReusePolicy'>,
): Promise<boolean> {
  try {
    await temporal.workflow.start<W>(workflowType, {
      ...options,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    } as WorkflowStartOptions<W>);
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
}
