// Ending a grant before its time: the holder releases it, an admin revokes it. The grant's
// lifetime workflow removes the access at the target and reads it back.
import type { Client } from '@temporalio/client';
import type { Executor } from '../db/client.js';
import { sendUpdate } from '../temporal/updates.js';
import { grantWorkflowId } from '../workflows/ids.js';
import { type GrantState, releaseUpdate, revokeUpdate } from '../workflows/messages.js';
import { type GrantActor, grantSeenBy } from './find.js';

/** What ending a grant needs. */
export type EndGrantDeps = { db: Executor; temporal: Client };

/** Gives a grant back now; the workflow refuses anyone but its holder (or an admin). */
export async function releaseGrant(
  deps: EndGrantDeps,
  input: { grantId: string; updateId?: string },
  actor: GrantActor,
): Promise<GrantState> {
  const grant = await grantSeenBy(deps.db, input.grantId, actor);
  return sendUpdate(deps.temporal, grantWorkflowId(grant.id), releaseUpdate, actor, 'grant', {
    ...(input.updateId ? { updateId: input.updateId } : {}),
  });
}

/** Takes a grant away now; the workflow refuses anyone who is not an admin. */
export async function revokeGrant(
  deps: EndGrantDeps,
  input: { grantId: string },
  actor: GrantActor,
): Promise<GrantState> {
  const grant = await grantSeenBy(deps.db, input.grantId, actor);
  return sendUpdate(deps.temporal, grantWorkflowId(grant.id), revokeUpdate, actor, 'grant');
}
