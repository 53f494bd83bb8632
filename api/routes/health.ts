// Health routes: liveness (/healthz) and readiness (/readyz: PostgreSQL, Temporal, and how Slack
// delivery is doing), outside the versioned API and hidden from the OpenAPI document.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pingDatabase } from '../../db/client.js';
import { type DeliveryHealth, deliveryHealth, describeFailing } from '../../notifications/deliverer.js';
import { pingTemporal } from '../../temporal/connection.js';
import type { ApiServer } from '../api-server.js';
import type { ApiDeps } from '../deps.js';
import { routePlugin } from './shared.js';

const CHECK_TIMEOUT_MS = 2_000;

const readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), error: z.string().optional() })),
  notifications: z
    .object({
      state: z.enum(['delivering', 'failing']),
      failingSince: z.string().nullable(),
      waiting: z.number().int(),
      lastError: z.string().nullable(),
      summary: z.string(),
    })
    .optional(),
});

function livenessRoute(app: ApiServer): void {
  app.get(
    '/healthz',
    {
      schema: {
        hide: true,
        operationId: 'checkLiveness',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
}

function readinessRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/readyz',
    { schema: { hide: true, operationId: 'checkReadiness', response: { 200: readiness, 503: readiness } } },
    async (_request, reply) => {
      const [postgres, temporal] = await Promise.all([
        check(() => pingDatabase(deps.sql)),
        outcome(pingTemporal(deps.temporal, CHECK_TIMEOUT_MS)),
      ]);
      const ready = postgres.ok && temporal.ok;
      const notifications = postgres.ok ? await notificationState(deps) : undefined;
      return reply.status(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not_ready',
        checks: { postgres, temporal },
        ...(notifications ? { notifications } : {}),
      });
    },
  );
}

/**
 * Liveness (the process answers) and readiness (PostgreSQL and Temporal both answer). Slack is not
 * a dependency of readiness: messages wait in the outbox while it is down, and `notifications`
 * says how long delivery has been failing and how much is waiting.
 */
export function healthRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return routePlugin(deps, [livenessRoute, readinessRoute]);
}

/** The outbox as people read it; undefined when it cannot be read in time. */
async function notificationState(deps: ApiDeps) {
  let health: DeliveryHealth;
  try {
    health = await deliveryHealth(deps.db);
  } catch {
    return undefined;
  }
  const summary = health.failingSince
    ? describeFailing('Slack', new Date(health.failingSince), health.waiting)
    : `delivering; ${health.waiting} waiting`;
  return { state: health.failingSince ? ('failing' as const) : ('delivering' as const), ...health, summary };
}

async function check(probe: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    return await outcome(Promise.race([probe(), timeout]));
  } finally {
    clearTimeout(timer);
  }
}

async function outcome(attempt: Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  try {
    await attempt;
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
