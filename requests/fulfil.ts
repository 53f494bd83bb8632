// A resource owner reports a manual grant done by hand, or refused. The request need not be theirs
// to see, so it is not looked up for them: the workflow checks that they own the resource.
import type { Client } from '@temporalio/client';
import { sendUpdate } from '../temporal/updates.js';
import { accessRequestWorkflowId } from '../workflows/ids.js';
import { type AccessRequestState, type ActorInput, fulfilUpdate } from '../workflows/messages.js';

/** Reports the fulfilment of `requestId`: `done`, or `refused` with the actor's reason. */
export async function reportFulfilment(
  deps: { temporal: Client },
  input: { requestId: string; outcome: 'done' | 'refused'; updateId?: string },
  actor: ActorInput,
): Promise<AccessRequestState> {
  return sendUpdate(
    deps.temporal,
    accessRequestWorkflowId(input.requestId),
    fulfilUpdate,
    { ...actor, outcome: input.outcome },
    'request',
    input.updateId ? { updateId: input.updateId } : {},
  );
}
