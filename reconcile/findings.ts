// Reading and closing findings. Admins and auditors read them; an admin closes one by hand with a
// reason (the access was fixed outside grantflow, or accepted), and that is recorded.
import { recordAudit } from '../audit/intake.js';
import { ConflictError, NotFoundError } from '../core/errors.js';
import type { Executor } from '../db/client.js';
import { type FindingView, getFinding, listFindings, resolveFinding } from '../db/queries/findings.js';
import { getResourceByKey } from '../db/queries/resources.js';
import type { FindingKind } from '../domain/index.js';

/** How findings are narrowed when listed. */
export type FindingFilter = {
  status?: 'open' | 'resolved';
  resource?: string;
  kinds?: FindingKind[];
  limit: number;
};

/** Findings newest first; an unknown resource key is a 404, not an empty list. */
export async function findFindings(deps: { db: Executor }, filter: FindingFilter): Promise<FindingView[]> {
  const resource = filter.resource ? await getResourceByKey(deps.db, filter.resource) : undefined;
  if (filter.resource && !resource) throw new NotFoundError('resource', filter.resource);
  return listFindings(deps.db, {
    status: filter.status,
    resourceId: resource?.id,
    kinds: filter.kinds,
    limit: filter.limit,
  });
}

/** One finding. */
export async function findingById(deps: { db: Executor }, id: string): Promise<FindingView> {
  const found = await getFinding(deps.db, id);
  if (!found) throw new NotFoundError('finding', id);
  return found;
}

/** Closes an open finding by hand, with the reason; refused when it is resolved already. */
export async function resolveFindingByHand(
  deps: { db: Executor },
  input: { id: string; reason: string },
  actor: { by: string },
): Promise<FindingView> {
  const found = await findingById(deps, input.id);
  const resolved = await resolveFinding(deps.db, found.id, {
    resolution: input.reason,
    resolvedBy: actor.by,
  });
  if (!resolved) throw new ConflictError(`finding ${found.id} is resolved already`, { id: found.id });
  await recordAudit(deps.db, {
    event_type: 'reconciliation.finding.resolved',
    actor: { type: 'person', id: actor.by, email: actor.by },
    target: { type: 'finding', id: found.id, name: `${found.kind} on ${found.resourceKey ?? 'holdings'}` },
    action: 'resolve',
    result: 'success',
    reason: input.reason,
    details: {
      kind: found.kind,
      resource: found.resourceKey,
      account: found.account,
      resolution: input.reason,
    },
  });
  return { ...found, ...resolved };
}
