// Grant routes: list and read grants, extend, release (holder), revoke (admin), report a manual
// removal. Each route is a thin adapter over one use case in grants/.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, pageOf } from '../../core/cursor.js';
import type { TokenPrincipal } from '../../db/queries/api-tokens.js';
import { type GrantView, listGrants } from '../../db/queries/grants.js';
import { getPersonByEmail } from '../../db/queries/people.js';
import { grantSource, grantStatus } from '../../db/schema.js';
import {
  extendGrant,
  type GrantActor,
  grantSeenBy,
  releaseGrant,
  reportRemovalDone,
  revokeGrant,
} from '../../grants/index.js';
import type { GrantState } from '../../workflows/messages.js';
import { actorInput } from '../actor.js';
import type { ApiServer } from '../api-server.js';
import { ANY_ROLE, principalOf, requireRole } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { afterTimeAndId, nextCursor, pageQuery, timeAndId } from './paging.js';
import { actorUpdateRoute, email, errorBody, idParams, iso, reason, routePlugin } from './shared.js';

const grantBody = z.object({
  id: z.string(),
  holder: z.string(),
  resource: z.string(),
  entitlement: z.string(),
  entitlementName: z.string(),
  status: z.enum(grantStatus.enumValues),
  requestId: z.string().nullable(),
  source: z.enum(grantSource.enumValues),
  grantedAt: z.string(),
  /** Null for standing access, which lasts until released or revoked. */
  expiresAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  endReason: z.string().nullable(),
  provisionVerified: z.boolean().nullable(),
  removalVerified: z.boolean().nullable(),
});

const stateBody = z.object({
  grantId: z.string(),
  status: z.enum(['active', 'ending', 'expired', 'released', 'revoked']),
  expiresAt: z.string().nullable(),
});

const toBody = (grant: GrantView): z.infer<typeof grantBody> => ({
  id: grant.id,
  holder: grant.holderEmail,
  resource: grant.resourceKey,
  entitlement: grant.entitlementKey,
  entitlementName: grant.entitlementName,
  status: grant.status,
  requestId: grant.requestId,
  source: grant.source,
  grantedAt: iso(grant.grantedAt) ?? '',
  expiresAt: iso(grant.expiresAt),
  endedAt: iso(grant.endedAt),
  endReason: grant.endReason,
  provisionVerified: grant.provisionVerified,
  removalVerified: grant.removalVerified,
});

const toState = (state: GrantState): z.infer<typeof stateBody> => ({
  grantId: state.grantId,
  status: state.status,
  expiresAt: state.expiresAt === null ? null : new Date(state.expiresAt).toISOString(),
});

/** The acting person as the grant use cases take them: admins and auditors may look at every grant. */
const grantActor = (principal: TokenPrincipal, reason?: string): GrantActor => ({
  ...actorInput(principal, reason),
  seesEveryGrant: principal.role !== 'employee',
});

const grantNotFound = errorBody.describe('No grant has that id, or not one the caller may see');
const grantClosed = errorBody.describe('The grant is closed, or not in a state that takes this change');

function listRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/grants',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['grants'],
        operationId: 'listGrants',
        summary:
          "Grants, newest first: employees see their own, admins and auditors everyone's (or one holder's)",
        querystring: z.object({
          status: z.enum(grantStatus.enumValues).optional(),
          holder: email.optional(),
          ...pageQuery.shape,
        }),
        response: { 200: z.object({ items: z.array(grantBody), nextCursor }) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { status, holder, cursor, limit } = request.query;
      // An employee's list is theirs whatever they ask; `holder` narrows everyone's to one person.
      let personId: string | undefined = principal.role === 'employee' ? principal.personId : undefined;
      if (holder && principal.role !== 'employee') {
        const person = await getPersonByEmail(deps.db, holder);
        if (!person) return { items: [], nextCursor: null };
        personId = person.id;
      }
      const rows = await listGrants(deps.db, {
        ...(personId ? { personId } : {}),
        ...(status ? { status: [status] } : {}),
        ...(cursor ? { after: afterTimeAndId(decodeCursor(cursor, timeAndId)) } : {}),
        limit: limit + 1,
      });
      const page = pageOf(rows, limit, (row) => [row.grantedAtExact, row.id]);
      return { items: page.items.map(toBody), nextCursor: page.nextCursor };
    },
  );
}

function readRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/grants/:id',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['grants'],
        operationId: 'getGrant',
        summary: 'One grant',
        params: idParams,
        response: { 200: grantBody, 404: grantNotFound },
      },
    },
    async (request) =>
      toBody(await grantSeenBy(deps.db, request.params.id, grantActor(principalOf(request)))),
  );
}

function extendRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/grants/:id/extend',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['grants'],
        operationId: 'extendGrant',
        summary:
          'Push the expiry later: admins always; the holder where the policy would auto-approve, else file a new request',
        params: idParams,
        body: z.object({ seconds: z.number().int().positive().max(2_147_483_647), reason }),
        response: {
          200: stateBody,
          404: grantNotFound,
          409: errorBody.describe('The grant has no end date to push, or is closed'),
        },
      },
    },
    async (request) => {
      const actor = grantActor(principalOf(request), request.body.reason);
      const input = { grantId: request.params.id, seconds: request.body.seconds };
      return toState(await extendGrant(deps, input, actor));
    },
  );
}

function removalRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/grants/:id/removal',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['grants'],
        operationId: 'reportGrantRemoval',
        summary: "Report a manual resource's access removed by hand (its owner or an admin)",
        params: idParams,
        body: z.object({ outcome: z.literal('done') }),
        response: { 200: stateBody, 404: grantNotFound, 409: grantClosed },
      },
    },
    async (request) => {
      const actor = actorInput(principalOf(request));
      return toState(await reportRemovalDone(deps, { grantId: request.params.id }, actor));
    },
  );
}

const releaseRoute = actorUpdateRoute({
  url: '/grants/:id/release',
  roles: ANY_ROLE,
  tags: ['grants'],
  operationId: 'releaseGrant',
  summary: 'Give the access back now (the holder)',
  errors: { 404: grantNotFound, 409: grantClosed },
  response: stateBody,
  actor: grantActor,
  update: async (deps, grantId, actor) => toState(await releaseGrant(deps, { grantId }, actor)),
});

const revokeRoute = actorUpdateRoute({
  url: '/grants/:id/revoke',
  roles: ['admin'],
  tags: ['grants'],
  operationId: 'revokeGrant',
  summary: 'Take the access away now (admins)',
  errors: { 404: grantNotFound, 409: grantClosed },
  response: stateBody,
  actor: grantActor,
  update: async (deps, grantId, actor) => toState(await revokeGrant(deps, { grantId }, actor)),
});

/** Grants: list and read them, extend, release (holder) and revoke (admin). */
export function grantRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return routePlugin(deps, [listRoute, readRoute, extendRoute, removalRoute, releaseRoute, revokeRoute]);
}
