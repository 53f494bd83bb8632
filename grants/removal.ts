// The owner of a manual resource reports an access removed by hand. The grant need not be theirs,
// so it is not looked up for them: the workflow checks that they own the resource (or are an admin).
import type { Client } from '@temporalio/client';
import { sendUpdate } from '../temporal/updates.js';
import { grantWorkflowId } from '../workflows/ids.js';
import { type ActorInput, fulfilRemovalUpdate, type GrantState } from '../workflows/messages.js';

/** Reports the manual removal of `grantId` done. */
export async function reportRemovalDone(
  deps: { temporal: Client },
  input: { grantId: string; updateId?: string },
  actor: ActorInput,
): Promise<GrantState> {
  return sendUpdate(
    deps.temporal,
    grantWorkflowId(input.grantId),
    fulfilRemovalUpdate,
    { ...actor, outcome: 'done' },
    'grant',
    input.updateId ? { updateId: input.updateId } : {},
  );
}
