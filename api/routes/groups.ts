// Directory groups, read-only: which named sets of people exist and how many belong to each (the
// groups approval steps, policies and console roles refer to).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listGroups } from '../../db/queries/groups.js';
import type { ApiServer } from '../api-server.js';
import { requireRole } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { routePlugin } from './shared.js';

const groupBody = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  source: z.string(),
  memberCount: z.number().int(),
});

function listRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/groups',
    {
      preHandler: requireRole(deps.db, 'admin', 'auditor'),
      schema: {
        tags: ['directory'],
        operationId: 'listGroups',
        summary: 'Groups, ordered by key, with how many people belong to each (admins and auditors)',
        response: { 200: z.object({ items: z.array(groupBody) }) },
      },
    },
    async () => {
      const groups = await listGroups(deps.db);
      return {
        items: groups.map(({ key, name, description, source, memberCount }) => ({
          key,
          name,
          description,
          source,
          memberCount,
        })),
      };
    },
  );
}

/** The directory's groups, read-only. */
export function groupRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return routePlugin(deps, [listRoute]);
}
