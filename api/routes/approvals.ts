// The approver's inbox: decisions waiting for the caller now, and the ones they made. A thin
// adapter over requests/approvals.ts; deciding stays POST /requests/:id/decisions.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestStatus } from '../../db/schema.js';
import { RISK_LEVELS } from '../../domain/index.js';
import { type ApprovalItem, listDecidedApprovals, listWaitingApprovals } from '../../requests/index.js';
import type { ApiServer } from '../api-server.js';
import { ANY_ROLE, principalOf, requireRole } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { nextCursor, pageQuery } from './paging.js';
import { errorBody, iso, routePlugin } from './shared.js';

const approvalBody = z.object({
  requestId: z.string(),
  status: z.enum(requestStatus.enumValues),
  requester: z.object({ email: z.string(), name: z.string() }),
  resource: z.object({ key: z.string(), name: z.string() }),
  entitlement: z.object({ key: z.string(), name: z.string(), risk: z.enum(RISK_LEVELS) }),
  reason: z.string().nullable(),
  durationSeconds: z.number().int(),
  /** The step waiting (state `waiting`) or the one decided (`decided`); index from 0. */
  step: z.object({ index: z.number().int(), count: z.number().int(), name: z.string().nullable() }),
  /** Waiting only: approvals the step needs, and who approved it so far. */
  required: z.number().int().optional(),
  approvedBy: z.array(z.string()).optional(),
  createdAt: z.string(),
  /** Decided only: what the caller decided, why, and when. */
  decision: z
    .object({ decision: z.enum(['approve', 'deny']), comment: z.string().nullable(), decidedAt: z.string() })
    .optional(),
});

const toBody = ({ request, step, required, approvedBy, decision }: ApprovalItem) => ({
  requestId: request.id,
  status: request.status,
  requester: { email: request.requesterEmail, name: request.requesterName },
  resource: { key: request.resourceKey, name: request.resourceName },
  entitlement: { key: request.entitlementKey, name: request.entitlementName, risk: request.risk },
  reason: request.reason,
  durationSeconds: request.durationSeconds,
  step,
  ...(required !== undefined ? { required } : {}),
  ...(approvedBy ? { approvedBy } : {}),
  createdAt: iso(request.createdAt) ?? '',
  ...(decision ? { decision: { ...decision, decidedAt: iso(decision.decidedAt) ?? '' } } : {}),
});

function listRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/approvals',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        operationId: 'listApprovals',
        tags: ['requests'],
        summary:
          'Your approvals: `waiting` (steps you may decide now, newest first; a page may hold fewer than `limit` and still have a next one) or `decided` (your decisions, newest first)',
        querystring: pageQuery.extend({ state: z.enum(['waiting', 'decided']).default('waiting') }),
        response: {
          200: z.object({ items: z.array(approvalBody), nextCursor }),
          400: errorBody.describe('A bad state, limit or cursor'),
          401: errorBody.describe('No token, or an unknown, revoked or expired one'),
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const approver = { personId: principal.personId, email: principal.email };
      const { state, cursor, limit } = request.query;
      const page = { ...(cursor ? { cursor } : {}), limit };
      const found =
        state === 'waiting'
          ? await listWaitingApprovals(deps, approver, page)
          : await listDecidedApprovals(deps, approver, page);
      return { items: found.items.map(toBody), nextCursor: found.nextCursor };
    },
  );
}

/** The approver's inbox: what waits for the caller's decision, and what they decided. */
export function approvalRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return routePlugin(deps, [listRoute]);
}
