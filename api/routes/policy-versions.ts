// A policy's version history (GET /policies/:key/versions) for admins and auditors; a thin adapter
// over directory/policy-versions.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policyHistory } from '../../directory/policy-versions.js';
import type { ApiServer } from '../api-server.js';
import { requireRole } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { errorBody, iso, routePlugin } from './shared.js';

function versionsRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/policies/:key/versions',
    {
      preHandler: requireRole(deps.db, 'admin', 'auditor'),
      schema: {
        operationId: 'listPolicyVersions',
        tags: ['catalog'],
        summary: 'Every version of a policy, newest first, with its definition and who created it when',
        params: z.object({ key: z.string().min(1).max(200) }),
        response: {
          200: z.object({
            key: z.string(),
            description: z.string().nullable(),
            status: z.enum(['active', 'retired']),
            currentVersion: z.number().int(),
            items: z.array(
              z.object({
                version: z.number().int(),
                definition: z.unknown(),
                definitionHash: z.string(),
                createdBy: z.string(),
                createdAt: z.string(),
              }),
            ),
          }),
          401: errorBody.describe('No token, or an unknown, revoked or expired one'),
          403: errorBody.describe('The caller is neither an admin nor an auditor'),
          404: errorBody.describe('No policy has that key'),
        },
      },
    },
    async (request) => {
      const { policy, versions } = await policyHistory(deps.db, request.params.key);
      return {
        key: policy.key,
        description: policy.description,
        status: policy.status,
        currentVersion: policy.currentVersion,
        items: versions.map((v) => ({
          version: v.version,
          definition: v.definition,
          definitionHash: v.definitionHash,
          createdBy: v.createdBy,
          createdAt: iso(v.createdAt) ?? '',
        })),
      };
    },
  );
}

/** Policies' version history. */
export function policyVersionRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return routePlugin(deps, [versionsRoute]);
}
