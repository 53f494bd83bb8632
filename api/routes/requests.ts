import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotAllowedError, NotFoundError } from '../../core/errors.js';
import {
  type AccessRequestView,
  getAccessRequest,
  listAccessRequests,
} from '../../db/queries/access-requests.js';
import type { TokenPrincipal } from '../../db/queries/api-tokens.js';
import { listApprovalDecisions } from '../../db/queries/approval-decisions.js';
import { getPersonByEmail } from '../../db/queries/people.js';
import { requestStatus } from '../../db/schema.js';
import { explainPlan } from '../../policy/explain.js';
import type { PolicyDecision } from '../../policy/types.js';
import {
  cancelRequest,
  decideRequest,
  liveRequestState,
  type RequestActor,
  reportFulfilment,
  requestSeenBy,
  retryProvisioning,
  submitAccessRequest,
} from '../../requests/index.js';
import type { AccessRequestState } from '../../workflows/messages.js';
import { actorInput, actorOf, sourceOf } from '../actor.js';
import { ANY_ROLE, principalOf, requireRole } from '../auth.js';
import { type ApiDeps, submitDepsOf } from '../deps.js';

const email = z.email().transform((value) => value.toLowerCase());
const idParams = z.object({ id: z.uuid() });

const requestBody = z.object({
  id: z.string(),
  status: z.enum(requestStatus.enumValues),
  requester: z.string(),
  submittedBy: z.string(),
  resource: z.string(),
  entitlement: z.string(),
  entitlementName: z.string(),
  durationSeconds: z.number().int(),
  reason: z.string().nullable(),
  /** The plan in words: "needs: your manager (Dana Reyes), then 2 of Security". */
  plan: z.string().nullable(),
  currentStep: z.number().int().nullable(),
  outcome: z.string().nullable(),
  grantId: z.string().nullable(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
});

const stateBody = z.object({
  requestId: z.string(),
  status: z.enum(requestStatus.enumValues),
  currentStep: z.number().int().optional(),
  steps: z.array(
    z.object({
      index: z.number().int(),
      eligible: z.array(z.string()),
      required: z.number().int(),
      approvedBy: z.array(z.string()),
      escalated: z.boolean(),
    }),
  ),
  grantId: z.string().optional(),
  outcome: z.string().optional(),
});

const iso = (value: string | Date | null) => (value === null ? null : new Date(value).toISOString());

function toBody(request: AccessRequestView): z.infer<typeof requestBody> {
  const plan = request.plan as PolicyDecision | null;
  return {
    id: request.id,
    status: request.status,
    requester: request.requesterEmail,
    submittedBy: request.submittedByEmail,
    resource: request.resourceKey,
    entitlement: request.entitlementKey,
    entitlementName: request.entitlementName,
    durationSeconds: request.durationSeconds,
    reason: request.reason,
    plan: plan
      ? explainPlan(plan, { requester: { email: request.requesterEmail, name: request.requesterName } })
      : null,
    currentStep: request.currentStep,
    outcome: request.outcome,
    grantId: request.grantId,
    createdAt: iso(request.createdAt) ?? '',
    closedAt: iso(request.closedAt),
  };
}

const toState = (state: AccessRequestState): z.infer<typeof stateBody> => ({
  requestId: state.requestId,
  status: state.status,
  ...(state.currentStep !== undefined ? { currentStep: state.currentStep } : {}),
  steps: state.steps,
  ...(state.grantId ? { grantId: state.grantId } : {}),
  ...(state.outcome ? { outcome: state.outcome } : {}),
});

/** The acting person as the request use cases take them: admins and auditors see every request. */
const requestActor = (principal: TokenPrincipal, reason?: string): RequestActor => ({
  ...actorInput(principal, reason),
  seesEveryRequest: principal.role !== 'employee',
});

/** Access requests: file one, list and read them, decide, cancel, retry, report fulfilment. */
export function requestRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const readable = (request: FastifyRequest, id: string): Promise<AccessRequestView> =>
      requestSeenBy(deps.db, id, requestActor(principalOf(request)));

    app.post(
      '/requests',
      {
        preHandler: requireRole(deps.db, ...ANY_ROLE),
        schema: {
          tags: ['requests'],
          summary: 'Ask for an entitlement (admins may ask on behalf of someone: recorded as such)',
          body: z.object({
            resource: z.string().min(1).max(200),
            entitlement: z.string().min(1).max(200),
            durationSeconds: z.number().int().positive().max(2_147_483_647),
            reason: z.string().trim().min(1).max(2_000).optional(),
            onBehalfOf: email.optional(),
          }),
          response: { 201: requestBody },
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

    app.get(
      '/requests',
      {
        preHandler: requireRole(deps.db, ...ANY_ROLE),
        schema: {
          tags: ['requests'],
          summary: "Requests, newest first: employees see their own, admins and auditors everyone's",
          querystring: z.object({
            status: z.enum(requestStatus.enumValues).optional(),
            requester: email.optional(),
            limit: z.coerce.number().int().min(1).max(500).default(50),
          }),
          response: { 200: z.object({ items: z.array(requestBody) }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { status, requester, limit } = request.query;
        let requesterId: string | undefined = principal.role === 'employee' ? principal.personId : undefined;
        if (requester && principal.role !== 'employee') {
          const person = await getPersonByEmail(deps.db, requester);
          if (!person) return { items: [] };
          requesterId = person.id;
        }
        const rows = await listAccessRequests(deps.db, {
          ...(requesterId ? { requesterId } : {}),
          ...(status ? { status: [status] } : {}),
          limit,
        });
        return { items: rows.map(toBody) };
      },
    );

    app.get(
      '/requests/:id',
      {
        preHandler: requireRole(deps.db, ...ANY_ROLE),
        schema: {
          tags: ['requests'],
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
          },
        },
      },
      async (request) => {
        const found = await readable(request, request.params.id);
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

    app.post(
      '/requests/:id/decisions',
      {
        preHandler: requireRole(deps.db, ...ANY_ROLE),
        schema: {
          tags: ['requests'],
          summary: 'Approve or deny the step waiting on you (admins: onBehalfOf an approver, recorded)',
          params: idParams,
          body: z.object({
            decision: z.enum(['approve', 'deny']),
            comment: z.string().trim().min(1).max(2_000).optional(),
            onBehalfOf: email.optional(),
          }),
          response: { 200: stateBody },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { decision, comment, onBehalfOf } = request.body;
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
          actor: { ...actorOf(principal), ...(actingFor ? { on_behalf_of: actingFor } : {}) },
          source: { service: 'grantflow-api', ...sourceOf(request) },
        });
        return toState(state);
      },
    );

    const actorUpdate = (path: string, summary: string, change: typeof cancelRequest) =>
      app.post(
        `/requests/:id/${path}`,
        {
          preHandler: requireRole(deps.db, ...ANY_ROLE),
          schema: {
            tags: ['requests'],
            summary,
            params: idParams,
            body: z.object({ reason: z.string().trim().min(1).max(2_000).optional() }).default({}),
            response: { 200: stateBody },
          },
        },
        async (request) => {
          const actor = requestActor(principalOf(request), request.body.reason);
          return toState(await change(deps, { requestId: request.params.id }, actor));
        },
      );
    actorUpdate('cancel', 'Withdraw a request before it is provisioned (requester or admin)', cancelRequest);
    actorUpdate('retry', 'Retry a provisioning that failed for good (admin)', retryProvisioning);

    app.post(
      '/requests/:id/fulfilment',
      {
        preHandler: requireRole(deps.db, ...ANY_ROLE),
        schema: {
          tags: ['requests'],
          summary: "Report a manual resource's access granted by hand, or refused (its owner or an admin)",
          params: idParams,
          body: z.object({
            outcome: z.enum(['done', 'refused']),
            reason: z.string().trim().min(1).max(2_000).optional(),
          }),
          response: { 200: stateBody },
        },
      },
      async (request) => {
        const actor = actorInput(principalOf(request), request.body.reason);
        const input = { requestId: request.params.id, outcome: request.body.outcome };
        return toState(await reportFulfilment(deps, input, actor));
      },
    );
  };
}
