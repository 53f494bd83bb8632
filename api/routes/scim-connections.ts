// SCIM connections (admins only): create one per identity provider and get its bearer token once,
// list them, revoke one. `grantflow scim token create|list|revoke` calls these.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ScimConnection } from '../../db/schema.js';
import {
  CONNECTION_NAME,
  createConnection,
  listConnections,
  revokeConnection,
} from '../../identity/connections.js';
import { actorOf, sourceOf } from '../actor.js';
import type { ApiServer } from '../api-server.js';
import { principalOf, requireRole } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { errorBody, iso, routePlugin } from './shared.js';

const name = z
  .string()
  .regex(CONNECTION_NAME, 'must be lower-case letters, digits, "-" or "_" (up to 63), like "okta"');

const connectionBody = z.object({
  id: z.uuid(),
  name: z.string(),
  source: z.string(),
  prefix: z.string(),
  status: z.enum(['live', 'revoked']),
  createdBy: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});

function toBody(row: ScimConnection): z.infer<typeof connectionBody> {
  return {
    id: row.id,
    name: row.name,
    source: `scim:${row.name}`,
    prefix: row.prefix,
    status: row.revokedAt ? 'revoked' : 'live',
    createdBy: row.createdBy,
    createdAt: iso(row.createdAt) as string,
    revokedAt: iso(row.revokedAt),
    lastUsedAt: iso(row.lastUsedAt),
  };
}

const tags = ['scim'];

function createRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/scim/connections',
    {
      preHandler: requireRole(deps.db, 'admin'),
      schema: {
        operationId: 'createScimConnection',
        tags,
        summary: 'Create a SCIM connection for an identity provider; its token is in this answer only',
        body: z.object({ name }),
        response: {
          201: z.object({ connection: connectionBody, token: z.string() }),
          409: errorBody.describe('A connection has that name already'),
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { connection, token } = await createConnection(deps.db, request.body.name, {
        actor: actorOf(principal),
        source: sourceOf(request),
      });
      return reply.status(201).send({ connection: toBody(connection), token });
    },
  );
}

function listRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/scim/connections',
    {
      preHandler: requireRole(deps.db, 'admin'),
      schema: {
        operationId: 'listScimConnections',
        tags,
        summary: 'Every SCIM connection, live and revoked (never their tokens)',
        response: { 200: z.object({ items: z.array(connectionBody) }) },
      },
    },
    async () => ({ items: (await listConnections(deps.db)).map(toBody) }),
  );
}

function revokeRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/scim/connections/:name/revoke',
    {
      preHandler: requireRole(deps.db, 'admin'),
      schema: {
        operationId: 'revokeScimConnection',
        tags,
        summary: "Revoke a SCIM connection's token; the identity provider is refused from now on",
        params: z.object({ name }),
        response: {
          200: z.object({ connection: connectionBody }),
          404: errorBody.describe('No SCIM connection has that name'),
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const row = await revokeConnection(deps.db, request.params.name, {
        actor: actorOf(principal),
        source: sourceOf(request),
      });
      return { connection: toBody(row) };
    },
  );
}

/** The admin routes of SCIM connections. */
export function scimConnectionRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return routePlugin(deps, [createRoute, listRoute, revokeRoute]);
}
