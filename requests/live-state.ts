import type { Client } from '@temporalio/client';
import { accessRequestWorkflowId } from '../workflows/ids.js';
import { type AccessRequestState, requestStateQuery } from '../workflows/messages.js';

/** What an open request's workflow holds now (steps, approvals so far); null when it cannot answer. */
export async function liveRequestState(
  deps: { temporal: Client },
  requestId: string,
): Promise<AccessRequestState | null> {
  return deps.temporal.workflow
    .getHandle(accessRequestWorkflowId(requestId))
    .query(requestStateQuery)
    .catch(() => null);
}

/**
 * True when the request's live state lets `email` decide its current step now: eligible, and
 * neither decided it nor carried an earlier approval into it.
 */
export async function mayDecideNow(
  deps: { temporal: Client },
  requestId: string,
  email: string,
): Promise<boolean> {
  return waitsOn(await liveRequestState(deps, requestId), email);
}

/** Whether `state` (a live state, or null when the workflow could not answer) waits on `email` now. */
export function waitsOn(state: AccessRequestState | null, email: string): state is AccessRequestState {
  const step = state?.currentStep === undefined ? undefined : state.steps[state.currentStep];
  return (
    state?.status === 'pending_approval' &&
    !!step?.eligible.includes(email) &&
    !step.approvedBy.includes(email) &&
    !state.decisions.some((d) => d.step === state.currentStep && d.approver === email)
  );
}
