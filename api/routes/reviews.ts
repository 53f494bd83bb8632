// The reviewer's inbox across campaigns (GET /reviews), a thin adapter over campaigns/my-reviews.ts.
// Keep, revoke and delegate stay POST /campaigns/:id/decisions and /delegations.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listMyReviews } from '../../campaigns/my-reviews.js';
import type { InboxItemView } from '../../db/queries/campaign-items.js';
import { campaignStatus } from '../../db/schema.js';
import { RISK_LEVELS } from '../../domain/index.js';
import type { ApiServer } from '../api-server.js';
import { ANY_ROLE, principalOf, requireRole } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { nextCursor, pageQuery } from './paging.js';
import { errorBody, iso, routePlugin } from './shared.js';

const campaignRef = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(campaignStatus.enumValues),
  dueAt: z.string(),
});

const reviewBody = z.object({
  /** The item id POST /campaigns/:campaignId/decisions takes. */
  id: z.number().int(),
  campaign: campaignRef,
  holder: z.object({ email: z.string(), name: z.string() }),
  resource: z.object({ key: z.string(), name: z.string() }),
  entitlement: z.object({ key: z.string(), name: z.string(), risk: z.enum(RISK_LEVELS) }),
  grantId: z.string(),
  grantedAt: z.string(),
  requestId: z.string().nullable(),
  decision: z.enum(['keep', 'revoke']).nullable(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
  /** Handed to you by another reviewer, or escalated to you because its reviewer was overdue. */
  delegated: z.boolean(),
  escalated: z.boolean(),
});

const toBody = (item: InboxItemView): z.infer<typeof reviewBody> => ({
  id: item.id,
  campaign: {
    id: item.campaignId,
    name: item.campaignName,
    status: item.campaignStatus,
    dueAt: iso(item.campaignDueAt) ?? '',
  },
  holder: { email: item.holderEmail, name: item.holderName },
  resource: { key: item.resourceKey, name: item.resourceName },
  entitlement: { key: item.entitlementKey, name: item.entitlementName, risk: item.risk },
  grantId: item.grantId,
  grantedAt: iso(item.grantedAt) ?? '',
  requestId: item.requestId,
  decision: item.decision,
  decidedAt: iso(item.decidedAt),
  reason: item.reason,
  delegated: item.delegatedFromId !== null,
  escalated: item.escalatedAt !== null,
});

function listRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/reviews',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        operationId: 'listMyReviews',
        tags: ['campaigns'],
        summary:
          'Your campaign items across campaigns: `open` (undecided, oldest first) or `decided` (newest first), with your progress in each campaign not yet closed',
        querystring: pageQuery.extend({ state: z.enum(['open', 'decided']).default('open') }),
        response: {
          200: z.object({
            items: z.array(reviewBody),
            nextCursor,
            progress: z.array(campaignRef.extend({ total: z.number().int(), decided: z.number().int() })),
          }),
          400: errorBody.describe('A bad state, limit or cursor'),
          401: errorBody.describe('No token, or an unknown, revoked or expired one'),
        },
      },
    },
    async (request) => {
      const { state, cursor, limit } = request.query;
      const page = await listMyReviews(deps, principalOf(request).personId, {
        state,
        ...(cursor ? { cursor } : {}),
        limit,
      });
      return {
        items: page.items.map(toBody),
        nextCursor: page.nextCursor,
        progress: page.progress.map((p) => ({
          id: p.campaignId,
          name: p.name,
          status: p.status,
          dueAt: iso(p.dueAt) ?? '',
          total: p.total,
          decided: p.decided,
        })),
      };
    },
  );
}

/** The reviewer's inbox across campaigns. */
export function reviewRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return routePlugin(deps, [listRoute]);
}
