// Reconciliation routes: start reconciling a resource, read its runs, list and read findings, and
// close one by hand. Thin adapters over reconcile/.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FindingView } from '../../db/queries/findings.js';
import type { ReconciliationRun } from '../../db/schema.js';
import { FINDING_KINDS, FINDING_STATUSES, RECONCILIATION_OUTCOMES } from '../../domain/index.js';
import { findFindings, findingById, resolveFindingByHand } from '../../reconcile/findings.js';
import { checkSodOnHoldings } from '../../reconcile/sod.js';
import { recentRuns, reconcileNow } from '../../reconcile/start.js';
import type { ApiServer } from '../api-server.js';
import { principalOf, requireRole } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { errorBody, idParams, iso, routePlugin } from './shared.js';

const READERS = ['admin', 'auditor'] as const;
const resourceKey = z.string().trim().min(1).max(200);

const findingBody = z.object({
  id: z.string(),
  kind: z.enum(FINDING_KINDS),
  status: z.enum(FINDING_STATUSES),
  resource: z.string().nullable(),
  entitlement: z.string().nullable(),
  person: z.string().nullable(),
  account: z.string().nullable(),
  grantId: z.string().nullable(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolution: z.string().nullable(),
  resolvedBy: z.string().nullable(),
});

const runBody = z.object({
  id: z.string(),
  outcome: z.enum(RECONCILIATION_OUTCOMES),
  counts: z.record(z.string(), z.number()),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

const toFinding = (f: FindingView): z.infer<typeof findingBody> => ({
  id: f.id,
  kind: f.kind,
  status: f.status,
  resource: f.resourceKey,
  entitlement: f.entitlementKey,
  person: f.personEmail,
  account: f.account,
  grantId: f.grantId,
  firstSeenAt: iso(f.firstSeenAt) ?? '',
  lastSeenAt: iso(f.lastSeenAt) ?? '',
  resolvedAt: iso(f.resolvedAt),
  resolution: f.resolution,
  resolvedBy: f.resolvedBy,
});

const toRun = (run: ReconciliationRun): z.infer<typeof runBody> => ({
  id: run.id,
  outcome: run.outcome,
  counts: run.counts as Record<string, number>,
  error: run.error,
  startedAt: iso(run.startedAt) ?? '',
  finishedAt: iso(run.finishedAt),
});

const findingNotFound = errorBody.describe('No finding has that id');

function reconcileRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/reconciliations',
    {
      preHandler: requireRole(deps.db, 'admin'),
      schema: {
        tags: ['reconciliation'],
        operationId: 'reconcileResource',
        summary:
          'Reconcile a resource now: compare what its target holds with the grants (202, or 200 with wait)',
        body: z.object({ resource: resourceKey, wait: z.boolean().default(false) }),
        response: {
          200: z.object({
            runId: z.string(),
            resource: z.string(),
            outcome: z.string(),
            counts: z.record(z.string(), z.number()).optional(),
            error: z.string().optional(),
          }),
          202: z.object({ runId: z.string(), resource: z.string() }),
          404: errorBody.describe('No resource has that key'),
          409: errorBody.describe('The resource is being reconciled already'),
        },
      },
    },
    async (request, reply) => {
      const started = await reconcileNow(
        { db: deps.db, temporal: deps.temporal, taskQueue: deps.config.TEMPORAL_TASK_QUEUE },
        request.body,
        { by: principalOf(request).email },
      );
      if (!started.outcome) return reply.code(202).send({ runId: started.runId, resource: started.resource });
      return { runId: started.runId, resource: started.resource, ...started.outcome };
    },
  );
}

function sodRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/reconciliations/sod',
    {
      preHandler: requireRole(deps.db, 'admin'),
      schema: {
        tags: ['reconciliation'],
        operationId: 'checkSeparationOfDuties',
        summary: 'Check separation-of-duties rules against what people hold now; breaches become findings',
        response: {
          200: z.object({
            runId: z.string(),
            breaches: z.number(),
            opened: z.number(),
            resolved: z.number(),
          }),
        },
      },
    },
    async (request) => checkSodOnHoldings(deps, { id: principalOf(request).email }),
  );
}

function runsRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/reconciliations',
    {
      preHandler: requireRole(deps.db, ...READERS),
      schema: {
        tags: ['reconciliation'],
        operationId: 'listReconciliations',
        summary: "A resource's reconciliation runs, newest first",
        querystring: z.object({
          resource: resourceKey,
          limit: z.coerce.number().int().min(1).max(100).default(10),
        }),
        response: {
          200: z.object({ items: z.array(runBody) }),
          404: errorBody.describe('No resource has that key'),
        },
      },
    },
    async (request) => ({ items: (await recentRuns(deps, request.query)).map(toRun) }),
  );
}

function listRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/findings',
    {
      preHandler: requireRole(deps.db, ...READERS),
      schema: {
        tags: ['reconciliation'],
        operationId: 'listFindings',
        summary:
          'Findings newest first: what targets hold that no grant explains, and grants they do not hold',
        querystring: z.object({
          status: z.enum(FINDING_STATUSES).optional(),
          resource: resourceKey.optional(),
          kind: z.enum(FINDING_KINDS).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
        response: {
          200: z.object({ items: z.array(findingBody) }),
          404: errorBody.describe('No resource has that key'),
        },
      },
    },
    async (request) => {
      const { kind, ...filter } = request.query;
      const rows = await findFindings(deps, { ...filter, ...(kind ? { kinds: [kind] } : {}) });
      return { items: rows.map(toFinding) };
    },
  );
}

function readRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/findings/:id',
    {
      preHandler: requireRole(deps.db, ...READERS),
      schema: {
        tags: ['reconciliation'],
        operationId: 'getFinding',
        summary: 'One finding',
        params: idParams,
        response: { 200: findingBody, 404: findingNotFound },
      },
    },
    async (request) => toFinding(await findingById(deps, request.params.id)),
  );
}

function resolveRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/findings/:id/resolution',
    {
      preHandler: requireRole(deps.db, 'admin'),
      schema: {
        tags: ['reconciliation'],
        operationId: 'resolveFinding',
        summary: 'Close an open finding by hand, saying why (fixed at the target, or accepted)',
        params: idParams,
        body: z.object({ reason: z.string().trim().min(1).max(2_000) }),
        response: {
          200: findingBody,
          404: findingNotFound,
          409: errorBody.describe('The finding is resolved already'),
        },
      },
    },
    async (request) =>
      toFinding(
        await resolveFindingByHand(
          deps,
          { id: request.params.id, reason: request.body.reason },
          { by: principalOf(request).email },
        ),
      ),
  );
}

/** The reconciliation routes under /api/v1. */
export function findingRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return routePlugin(deps, [reconcileRoute, sodRoute, runsRoute, listRoute, readRoute, resolveRoute]);
}
