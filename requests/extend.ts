// Extending a grant, shared by the API and Slack. More time is more access: unless an admin asks,
// the policy must auto-approve the entitlement for the holder, else they file a new request.
import type { Client } from '@temporalio/client';
import { NotAllowedError } from '../core/errors.js';
import type { Database } from '../db/client.js';
import type { GrantView } from '../db/queries/grants.js';
import { evaluatePolicy } from '../policy/evaluate.js';
import { sendUpdate } from '../temporal/updates.js';
import { grantWorkflowId } from '../workflows/ids.js';
import { type ActorInput, extendUpdate, type GrantState } from '../workflows/messages.js';
import { loadRequestContext } from './policy-input.js';

/** Pushes the grant's expiry `seconds` later; refused (403) when the policy would not auto-approve. */
export async function extendGrant(
  deps: { db: Database; temporal: Client },
  grant: GrantView,
  actor: ActorInput,
  seconds: number,
  options: { updateId?: string } = {},
): Promise<GrantState> {
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
  return sendUpdate(
    deps.temporal,
    grantWorkflowId(grant.id),
    extendUpdate,
    { ...actor, seconds },
    'grant',
    options,
  );
}
