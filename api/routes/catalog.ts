// Catalog routes: what can be requested (resources and their entitlements) and the approval
// policies that govern it. Read-only; connector configuration is shown to admins only.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, pageOf } from '../../core/cursor.js';
import { NotFoundError } from '../../core/errors.js';
import { listCurrentPolicies } from '../../db/queries/policies.js';
import { listResources, type ResourceWithEntitlements } from '../../db/queries/resources.js';
import { RISK_LEVELS } from '../../domain/index.js';
import type { ApiServer } from '../api-server.js';
import { ANY_ROLE, requireRole } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { nextCursor, pageQuery } from './paging.js';
import { errorBody, routePlugin } from './shared.js';

const risk = z.enum(RISK_LEVELS);
const keyOnly = z.tuple([z.string().min(1).max(200)]);

const resourceBody = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  owner: z.string(),
  connector: z.object({ kind: z.string(), config: z.record(z.string(), z.unknown()).optional() }),
  entitlements: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      description: z.string().nullable(),
      risk,
      maxDurationSeconds: z.number().int(),
    }),
  ),
});

/** Connector configuration names secrets and hosts: only admins see it. */
function toBody(
  resource: ResourceWithEntitlements,
  showConnectorConfig: boolean,
): z.infer<typeof resourceBody> {
  return {
    key: resource.key,
    name: resource.name,
    description: resource.description,
    owner: resource.ownerEmail,
    connector: {
      kind: resource.connectorKind,
      ...(showConnectorConfig ? { config: resource.connectorConfig as Record<string, unknown> } : {}),
    },
    entitlements: resource.entitlements.map((entitlement) => ({
      key: entitlement.key,
      name: entitlement.name,
      description: entitlement.description,
      risk: entitlement.riskLevel,
      maxDurationSeconds: entitlement.maxDurationSeconds,
    })),
  };
}

function resourcesRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/resources',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['catalog'],
        operationId: 'listResources',
        summary: 'Active resources with their entitlements, ordered by key',
        querystring: pageQuery,
        response: { 200: z.object({ items: z.array(resourceBody), nextCursor }) },
      },
    },
    async (request) => {
      const { cursor, limit } = request.query;
      const rows = await listResources(deps.db, {
        ...(cursor ? { afterKey: decodeCursor(cursor, keyOnly)[0] } : {}),
        limit: limit + 1,
      });
      const page = pageOf(rows, limit, (resource) => [resource.key]);
      const admin = request.principal?.role === 'admin';
      return { items: page.items.map((resource) => toBody(resource, admin)), nextCursor: page.nextCursor };
    },
  );
}

function resourceRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/resources/:key',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['catalog'],
        operationId: 'getResource',
        summary: 'One resource with its entitlements',
        params: z.object({ key: z.string().min(1).max(200) }),
        response: { 200: resourceBody, 404: errorBody.describe('No active resource has that key') },
      },
    },
    async (request) => {
      const resource = (await listResources(deps.db)).find(
        (candidate) => candidate.key === request.params.key,
      );
      if (!resource) throw new NotFoundError('resource', request.params.key);
      return toBody(resource, request.principal?.role === 'admin');
    },
  );
}

function policiesRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/policies',
    {
      preHandler: requireRole(deps.db, 'admin', 'auditor'),
      schema: {
        tags: ['catalog'],
        operationId: 'listPolicies',
        summary: 'Approval policies with their current definition (admins and auditors)',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                key: z.string(),
                description: z.string().nullable(),
                version: z.number().int(),
                definition: z.unknown(),
                definitionHash: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async () => {
      const policies = await listCurrentPolicies(deps.db);
      return {
        items: policies.map(({ policy, version }) => ({
          key: policy.key,
          description: policy.description,
          version: version.version,
          definition: version.definition,
          definitionHash: version.definitionHash,
        })),
      };
    },
  );
}

/** The catalog (what can be requested) and the policies that govern it. */
export function catalogRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return routePlugin(deps, [resourcesRoute, resourceRoute, policiesRoute]);
}
