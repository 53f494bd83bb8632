import { NotFoundError } from '../core/errors.js';
import type { Executor } from '../db/client.js';
import { type GrantView, getGrant } from '../db/queries/grants.js';
import type { ActorInput } from '../workflows/messages.js';

/** Someone acting on a grant; `seesEveryGrant` for admins and auditors, who may look at anyone's. */
export type GrantActor = ActorInput & { seesEveryGrant?: boolean };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The grant `actor` may see: their own, or any for those who see every grant. Anything else reads
 * as unknown (404), so nobody learns which grants exist.
 */
export async function grantSeenBy(db: Executor, grantId: string, actor: GrantActor): Promise<GrantView> {
  const grant = UUID.test(grantId) ? await getGrant(db, grantId) : undefined;
  if (!grant || (!actor.seesEveryGrant && grant.holderEmail !== actor.by)) {
    throw new NotFoundError('grant', grantId);
  }
  return grant;
}
