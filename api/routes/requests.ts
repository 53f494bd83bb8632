// Access-request routes: file one, list and read them, decide, cancel, retry, report fulfilment.
// Each route is a thin adapter over one use case in requests/; request-views.ts shapes the replies.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, pageOf } from '../../core/cursor.js';
import { NotAllowedError, NotFoundError } from '../../core/errors.js';
import { getAccessRequest, listAccessRequests } from '../../db/queries/access-requests.js';
import { listApprovalDecisions } from '../../db/queries/approval-decisions.js';
import { getPersonByEmail } from '../../db/queries/people.js';
import { requestStatus } from '../../db/schema.js';
import {
  cancelRequest,
  decideRequest,
  decisionChallengeFor,
  liveRequestState,
  reportFulfilment,
  requestSeenBy,
  retryProvisioning,
  submitAccessRequest,
} from '../../requests/index.js';
import type { AccessRequestState } from '../../workflows/messages.js';
import { actorInput, actorOf, sourceOf } from '../actor.js';
import type { ApiServer } from '../api-server.js';
import { ANY_ROLE, principalOf, requireRole } from '../auth.js';
import { type ApiDeps, submitDepsOf } from '../deps.js';
import { afterTimeAndId, nextCursor, pageQuery, timeAndId } from './paging.js';
import { requestActor, requestBody, stateBody, toBody, toState } from './request-views.js';
import { actorUpdateRoute, email, errorBody, idParams, iso, reason, routePlugin } from './shared.js';

const requestNotFound = errorBody.describe('No request has that id, or not one the caller may see');

import { authenticationResponse, requestOptions } from './webauthn-schemas.js';

function submitRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/requests',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['requests'],
        operationId: 'createRequest',
        summary: 'Ask for an entitlement (admins may ask on behalf of someone: recorded as such)',
        body: z.object({
          resource: z.string().min(1).max(200),
          entitlement: z.string().min(1).max(200),
          durationSeconds: z.number().int().positive().max(2_147_483_647),
          reason,
          onBehalfOf: email.optional(),
        }),
        response: {
          201: requestBody,
          404: errorBody.describe('No such resource, entitlement or (onBehalfOf) person'),
          409: errorBody.describe('The requester already holds it or has a request for it open'),
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const body = request.body;
      const submittedBy = { id: principal.personId, email: principal.email, name: principal.name };
      let requester = submittedBy;
      if (body.onBehalfOf && body.onBehalfOf !== principal.email) {
        if (principal.role !== 'admin')
          throw new NotAllowedError('only admins may request on behalf of someone else');
        const person = await getPersonByEmail(deps.db, body.onBehalfOf);
        if (!person) throw new NotFoundError('person', body.onBehalfOf);
        requester = { id: person.id, email: person.email, name: person.name };
      }
      const id = await submitAccessRequest(submitDepsOf(deps), {
        requester,
        submittedBy,
        resourceKey: body.resource,
        entitlementKey: body.entitlement,
        durationSeconds: body.durationSeconds,
        ...(body.reason ? { reason: body.reason } : {}),
        source: { service: 'grantflow-api', ...sourceOf(request) },
      });
      const created = await getAccessRequest(deps.db, id);
      if (!created) throw new NotFoundError('request', id);
      return reply.status(201).send(toBody(created));
    },
  );
}

function listRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/requests',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['requests'],
        operationId: 'listRequests',
        summary: "Requests, newest first: employees see their own, admins and auditors everyone's",
        querystring: z.object({
          status: z.enum(requestStatus.enumValues).optional(),
          requester: email.optional(),
          ...pageQuery.shape,
        }),
        response: { 200: z.object({ items: z.array(requestBody), nextCursor }) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { status, requester, limit, cursor } = request.query;
      let requesterId: string | undefined = principal.role === 'employee' ? principal.personId : undefined;
      if (requester && principal.role !== 'employee') {
        const person = await getPersonByEmail(deps.db, requester);
        if (!person) return { items: [], nextCursor: null };
        requesterId = person.id;
      }
      const rows = await listAccessRequests(deps.db, {
        ...(requesterId ? { requesterId } : {}),
        ...(status ? { status: [status] } : {}),
        ...(cursor ? { after: afterTimeAndId(decodeCursor(cursor, timeAndId)) } : {}),
        limit: limit + 1,
      });
      const page = pageOf(rows, limit, (row) => [row.createdAtExact, row.id]);
      return { items: page.items.map(toBody), nextCursor: page.nextCursor };
    },
  );
}

function readRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/requests/:id',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['requests'],
        operationId: 'getRequest',
        summary: 'One request with its decisions and, while it runs, its live state',
        params: idParams,
        response: {
          200: requestBody.extend({
            decisions: z.array(
              z.object({
                step: z.number().int(),
                approver: z.string(),
                decision: z.string(),
                at: z.string(),
              }),
            ),
            live: stateBody.nullable(),
          }),
          404: requestNotFound,
        },
      },
    },
    async (request) => {
      const found = await requestSeenBy(deps.db, request.params.id, requestActor(principalOf(request)));
      const decisions = await listApprovalDecisions(deps.db, found.id);
      let live: AccessRequestState | null = null;
      if (!found.closedAt) live = await liveRequestState(deps, found.id);
      return {
        ...toBody(found),
        decisions: decisions.map((d) => ({
          step: d.stepIndex,
          approver: d.approverEmail,
          decision: d.decision,
          at: iso(d.decidedAt) ?? '',
        })),
        live: live ? toState(live) : null,
      };
    },
  );
}

function decideRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/requests/:id/decisions',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['requests'],
        operationId: 'decideRequest',
        summary:
          'Approve or deny the step waiting on you (admins: onBehalfOf an approver, recorded); approving a request whose stepUp is webauthn needs the passkey assertion over the challenge',
        params: idParams,
        body: z.object({
          decision: z.enum(['approve', 'deny']),
          comment: z.string().trim().min(1).max(2_000).optional(),
          onBehalfOf: email.optional(),
          stepUp: z
            .object({
              /** As POST /requests/:id/decisions/challenge gave it: part of what the passkey signed. */
              decidedAt: z.string().max(64),
              assertion: authenticationResponse,
            })
            .optional(),
        }),
        response: {
          200: stateBody,
          403: errorBody.describe(
            "Not an approver of the waiting step, or own request; step_up_required: approving needs a passkey assertion; step_up_failed: the assertion does not verify, is stale or is not your passkey's",
          ),
          404: requestNotFound,
          409: errorBody.describe('The request is not waiting for this decision (decided, closed, moved on)'),
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { decision, comment, onBehalfOf, stepUp } = request.body;
      if (onBehalfOf && principal.role !== 'admin') {
        throw new NotAllowedError('only admins may record a decision on behalf of an approver');
      }
      const actingFor = onBehalfOf && onBehalfOf !== principal.email ? onBehalfOf : undefined;
      const state = await decideRequest(deps, {
        requestId: request.params.id,
        decision: {
          approver: actingFor ?? principal.email,
          decision,
          ...(comment ? { comment } : {}),
          ...(actingFor ? { actedBy: principal.email } : {}),
          via: `api:${request.id}`,
        },
        ...(stepUp ? { stepUp } : {}),
        actor: { ...actorOf(principal), ...(actingFor ? { on_behalf_of: actingFor } : {}) },
        source: { service: 'grantflow-api', ...sourceOf(request) },
      });
      return toState(state);
    },
  );
}

function challengeRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/requests/:id/decisions/challenge',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['requests'],
        operationId: 'createDecisionChallenge',
        summary:
          'Whether your decision needs a passkey and, if so, the WebAuthn request options over the canonical decision {requestId, step, decision, approver, decidedAt}',
        params: idParams,
        body: z.object({ decision: z.enum(['approve', 'deny']) }),
        response: {
          200: z.object({
            stepUp: z.enum(['webauthn']).nullable(),
            decidedAt: z.string(),
            options: requestOptions.nullable(),
          }),
          401: errorBody.describe('No token or session, or an unknown, revoked or expired one'),
          403: errorBody.describe('passkey_not_registered: approving needs a passkey and you have none'),
          404: errorBody.describe('No such request, or not one you may see'),
          409: errorBody.describe('The request is not waiting for approval'),
        },
      },
    },
    async (request) =>
      decisionChallengeFor(
        deps,
        { requestId: request.params.id, decision: request.body.decision },
        requestActor(principalOf(request)),
      ),
  );
}

const cancelRoute = actorUpdateRoute({
  url: '/requests/:id/cancel',
  roles: ANY_ROLE,
  tags: ['requests'],
  operationId: 'cancelRequest',
  summary: 'Withdraw a request before it is provisioned (requester or admin)',
  errors: { 404: requestNotFound, 409: errorBody.describe('The request is provisioned or closed already') },
  response: stateBody,
  actor: requestActor,
  update: async (deps, requestId, actor) => toState(await cancelRequest(deps, { requestId }, actor)),
});

const retryRoute = actorUpdateRoute({
  url: '/requests/:id/retry',
  roles: ANY_ROLE,
  tags: ['requests'],
  operationId: 'retryRequestProvisioning',
  summary: 'Retry a provisioning that failed for good (admin)',
  errors: { 404: requestNotFound, 409: errorBody.describe('The provisioning has not failed for good') },
  response: stateBody,
  actor: requestActor,
  update: async (deps, requestId, actor) => toState(await retryProvisioning(deps, { requestId }, actor)),
});

function fulfilmentRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/requests/:id/fulfilment',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['requests'],
        operationId: 'reportRequestFulfilment',
        summary: "Report a manual resource's access granted by hand, or refused (its owner or an admin)",
        params: idParams,
        body: z.object({ outcome: z.enum(['done', 'refused']), reason }),
        response: {
          200: stateBody,
          404: requestNotFound,
          409: errorBody.describe('The request is not waiting for a manual fulfilment'),
        },
      },
    },
    async (request) => {
      const actor = actorInput(principalOf(request), request.body.reason);
      const input = { requestId: request.params.id, outcome: request.body.outcome };
      return toState(await reportFulfilment(deps, input, actor));
    },
  );
}

/** Access requests: file one, list and read them, decide, cancel, retry, report fulfilment. */
export function requestRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return routePlugin(deps, [
    submitRoute,
    listRoute,
    readRoute,
    challengeRoute,
    decideRoute,
    cancelRoute,
    retryRoute,
    fulfilmentRoute,
  ]);
}
