// Extending a grant, shared by the API and Slack. More time is more access: unless an admin asks,
// the policy must auto-approve the entitlement for the holder, else they file a new request.
import type { Client } from '@temporalio/client';
import { ConflictError, NotAllowedError } from '../core/errors.js';
import type { Database } from '../db/client.js';
import { evaluatePolicy } from '../policy/evaluate.js';
import { loadRequestContext } from '../requests/policy-input.js';
import { sendUpdate } from '../temporal/updates.js';
import { grantWorkflowId } from '../workflows/ids.js';
import { extendUpdate, type GrantState } from '../workflows/messages.js';
import { type GrantActor, grantSeenBy } from './find.js';

/**
 * Pushes the grant's expiry `seconds` later (by default as long again as it was first granted
 * for; the workflow holds it to the entitlement's maximum). Refused (403) when the policy would
 * not auto-approve, and (409) for standing access, which has no end to push.
 */
export async function extendGrant(
  deps: { db: Database; temporal: Client },
  input: { grantId: string; seconds?: number; updateId?: string },
  actor: GrantActor,
): Promise<GrantState> {
  const grant = await grantSeenBy(deps.db, input.grantId, actor);
  if (!grant.expiresAt) throw new ConflictError('this access has no end date, so there is nothing to extend');
  if (!actor.asAdmin) {
    const context = await loadRequestContext(deps.db, {
      requesterId: grant.personId,
      entitlementId: grant.entitlementId,
    });
    const decision = evaluatePolicy(context.policyInput);
    if (decision.outcome !== 'auto_approve') {
      throw new NotAllowedError(
        `policy "${decision.policy.key}" needs approval for this entitlement: file a new request to keep it longer`,
      );
    }
  }
  const seconds =
    input.seconds ??
    Math.round((new Date(grant.expiresAt).getTime() - new Date(grant.grantedAt).getTime()) / 1000);
  return sendUpdate(deps.temporal, grantWorkflowId(grant.id), extendUpdate, { ...actor, seconds }, 'grant', {
    ...(input.updateId ? { updateId: input.updateId } : {}),
  });
}
