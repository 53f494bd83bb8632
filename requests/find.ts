import { NotFoundError } from '../core/errors.js';
import type { Executor } from '../db/client.js';
import { type AccessRequestView, getAccessRequest } from '../db/queries/access-requests.js';
import type { PolicyDecision } from '../policy/types.js';
import type { ActorInput } from '../workflows/messages.js';

/** Someone acting on a request; `seesEveryRequest` for admins and auditors. */
export type RequestActor = ActorInput & { seesEveryRequest?: boolean };

/** Whether `actor` may see `request`: its requester, who filed it, anyone who may approve a step. */
function maySeeRequest(actor: RequestActor, request: AccessRequestView): boolean {
  if (actor.seesEveryRequest) return true;
  if (actor.by === request.requesterEmail || actor.by === request.submittedByEmail) return true;
  const plan = request.plan as PolicyDecision | null;
  return (
    plan?.outcome === 'approval_required' &&
    plan.steps.some(
      (step) => step.eligible.includes(actor.by) || step.escalation.approvers.includes(actor.by),
    )
  );
}

/** The request `actor` may see; anything else reads as unknown (404). */
export async function requestSeenBy(
  db: Executor,
  id: string,
  actor: RequestActor,
): Promise<AccessRequestView> {
  const found = await getAccessRequest(db, id);
  if (!found || !maySeeRequest(actor, found)) throw new NotFoundError('request', id);
  return found;
}
