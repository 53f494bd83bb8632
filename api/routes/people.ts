// Directory routes, read-only: list people and read one (who is who, who reports to whom).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, pageOf } from '../../core/cursor.js';
import { NotFoundError } from '../../core/errors.js';
import { countPeople, getPersonById, listPeople } from '../../db/queries/people.js';
import type { Person } from '../../db/schema.js';
import { personOverview } from '../../identity/overview.js';
import type { ApiServer } from '../api-server.js';
import { ANY_ROLE, requireRole } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { nextCursor, pageQuery } from './paging.js';
import { errorBody, idParams, iso, routePlugin } from './shared.js';

const emailKey = z.tuple([z.string().min(1).max(320)]);

const personBody = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  slackUserId: z.string().nullable(),
  managerId: z.uuid().nullable(),
  department: z.string().nullable(),
  title: z.string().nullable(),
  status: z.enum(['active', 'inactive']),
});

function toBody(person: Person): z.infer<typeof personBody> {
  const { id, email, name, slackUserId, managerId, department, title, status } = person;
  return { id, email, name, slackUserId, managerId, department, title, status };
}

function listRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/people',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['directory'],
        operationId: 'listPeople',
        summary: 'List people, ordered by email (page with cursor = nextCursor; offset still works)',
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(100),
          offset: z.coerce.number().int().min(0).default(0),
          cursor: pageQuery.shape.cursor,
          status: z.enum(['active', 'inactive']).optional(),
        }),
        response: {
          200: z.object({
            items: z.array(personBody),
            total: z.number().int(),
            limit: z.number().int(),
            offset: z.number().int(),
            nextCursor,
          }),
        },
      },
    },
    async (request) => {
      const { limit, offset, status, cursor } = request.query;
      // A cursor continues after the last email shown; offset paging is kept for existing callers.
      const after = cursor ? { afterEmail: decodeCursor(cursor, emailKey)[0] } : { offset };
      const [rows, total] = await Promise.all([
        listPeople(deps.db, { limit: limit + 1, status, ...after }),
        countPeople(deps.db, { status }),
      ]);
      const page = pageOf(rows, limit, (person) => [person.email]);
      return { items: page.items.map(toBody), total, limit, offset, nextCursor: page.nextCursor };
    },
  );
}

function readRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/people/:id',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['directory'],
        operationId: 'getPerson',
        summary: 'One person',
        params: idParams,
        response: { 200: personBody, 404: errorBody.describe('No person has that id') },
      },
    },
    async (request) => {
      const person = await getPersonById(deps.db, request.params.id);
      if (!person) throw new NotFoundError('person', request.params.id);
      return toBody(person);
    },
  );
}

const overviewBody = z.object({
  person: personBody.extend({ source: z.string(), deactivatedAt: z.string().nullable() }),
  manager: z.string().nullable(),
  grants: z.array(
    z.object({
      id: z.string(),
      resource: z.string(),
      entitlement: z.string(),
      source: z.string(),
      grantedAt: z.string(),
      expiresAt: z.string().nullable(),
    }),
  ),
  openFindings: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      resource: z.string().nullable(),
      entitlement: z.string().nullable(),
    }),
  ),
});

function overviewRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/people/overview',
    {
      preHandler: requireRole(deps.db, 'admin', 'auditor'),
      schema: {
        tags: ['directory'],
        operationId: 'getPersonOverview',
        summary: 'One person: identity source, status, what they hold now and their open findings',
        querystring: z.object({ email: z.string().trim().min(3).max(320) }),
        response: { 200: overviewBody, 404: errorBody.describe('No person has that email') },
      },
    },
    async (request) => {
      const { person, managerEmail, grants, openFindings } = await personOverview(deps, request.query.email);
      return {
        person: { ...toBody(person), source: person.source, deactivatedAt: iso(person.deactivatedAt) },
        manager: managerEmail,
        grants: grants.map((g) => ({
          id: g.id,
          resource: g.resourceKey,
          entitlement: g.entitlementKey,
          source: g.source,
          grantedAt: iso(g.grantedAt) ?? '',
          expiresAt: iso(g.expiresAt),
        })),
        openFindings: openFindings.map((f) => ({
          id: f.id,
          kind: f.kind,
          resource: f.resourceKey,
          entitlement: f.entitlementKey,
        })),
      };
    },
  );
}

/** The directory, read-only: who is who, who reports to whom. */
export function peopleRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  // The overview before `/people/:id`, so "overview" is never read as an id.
  return routePlugin(deps, [listRoute, overviewRoute, readRoute]);
}
