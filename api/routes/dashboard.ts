// The admin dashboard (GET /dashboard): a thin adapter over dashboard/dashboard.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DASHBOARD_DAYS, dashboardFigures } from '../../dashboard/dashboard.js';
import { RISK_LEVELS } from '../../domain/index.js';
import type { ApiServer } from '../api-server.js';
import { requireRole } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { errorBody, routePlugin } from './shared.js';

const bucket = z.object({ bucket: z.string(), count: z.number().int() });

const dashboardBody = z.object({
  generatedAt: z.string(),
  openRequests: z.object({
    total: z.number().int(),
    byStatus: z.record(z.string(), z.number().int()),
    oldestCreatedAt: z.string().nullable(),
    age: z.array(bucket),
  }),
  slaBreaches: z.object({
    approvals: z.object({
      count: z.number().int(),
      oldest: z.array(
        z.object({
          requestId: z.string(),
          requester: z.string(),
          entitlement: z.string(),
          waitingSince: z.string(),
          escalateAfterSeconds: z.number().int(),
        }),
      ),
    }),
    leavers: z.object({
      slaSeconds: z.number().int(),
      breachedLast30Days: z.number().int(),
      overdueNow: z.number().int(),
    }),
  }),
  grantsByRisk: z.array(z.object({ risk: z.enum(RISK_LEVELS), count: z.number().int() })),
  campaigns: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: z.string(),
      dueAt: z.string(),
      total: z.number().int(),
      decided: z.number().int(),
    }),
  ),
  ledger: z.object({
    entries: z.number().int(),
    pendingIntake: z.number().int(),
    latestCheckpoint: z
      .object({ id: z.number().int(), treeSize: z.number().int(), createdAt: z.string() })
      .nullable(),
    unsealedEntries: z.number().int(),
  }),
  requestVolume: z.array(z.object({ day: z.string(), count: z.number().int() })),
  timeToApprove: z.object({
    approved: z.number().int(),
    autoApproved: z.number().int(),
    medianSeconds: z.number().nullable(),
    p90Seconds: z.number().nullable(),
    buckets: z.array(bucket),
  }),
});

function dashboardRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/dashboard',
    {
      preHandler: requireRole(deps.db, 'admin'),
      schema: {
        operationId: 'getDashboard',
        tags: ['dashboard'],
        summary: `Open requests and their age, SLA breaches (an approval step waiting past its policy's escalateAfter; leavers past the leaver SLA), active grants by risk, campaigns in progress, the ledger, and request volume and time to approve over the last ${DASHBOARD_DAYS} days (admins)`,
        response: {
          200: dashboardBody,
          401: errorBody.describe('No token, or an unknown, revoked or expired one'),
          403: errorBody.describe('The caller is not an admin'),
        },
      },
    },
    async () => dashboardFigures({ db: deps.db, leaverSlaSeconds: deps.config.GRANTFLOW_LEAVER_SLA_SECONDS }),
  );
}

/** The admin dashboard. */
export function dashboardRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return routePlugin(deps, [dashboardRoute]);
}
