import Fastify, { type FastifyBaseLogger } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from '../core/logger.js';
import type { ApiServer } from './api-server.js';
import { registerConsole } from './console.js';
import type { ApiDeps } from './deps.js';
import { registerErrorHandling } from './errors.js';
import { registerOpenApi } from './openapi.js';
import { approvalRoutes } from './routes/approvals.js';
import { auditRoutes } from './routes/audit.js';
import { auditCheckpointRoutes } from './routes/audit-checkpoints.js';
import { campaignRoutes } from './routes/campaigns.js';
import { catalogRoutes } from './routes/catalog.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { evidenceRoutes } from './routes/evidence.js';
import { findingRoutes } from './routes/findings.js';
import { grantRoutes } from './routes/grants.js';
import { groupRoutes } from './routes/groups.js';
import { healthRoutes } from './routes/health.js';
import { logReviewRoutes } from './routes/log-reviews.js';
import { passkeyRoutes } from './routes/passkeys.js';
import { peopleRoutes } from './routes/people.js';
import { policyVersionRoutes } from './routes/policy-versions.js';
import { requestRoutes } from './routes/requests.js';
import { reviewRoutes } from './routes/reviews.js';
import { scimConnectionRoutes } from './routes/scim-connections.js';
import { scimPlugin } from './scim/plugin.js';
import type { SlackApp } from './slack/app.js';
import { slackEventsRoute } from './slack/http.js';

export type { ApiServer };

/** Request bodies above this are refused with 413 before any handler runs. */
const BODY_LIMIT_BYTES = 256 * 1024;

/** Builds the HTTP server (not listening yet), so tests can use `inject` or a real port. */
export async function buildServer(
  deps: ApiDeps,
  log: Logger,
  options: { slack?: SlackApp } = {},
): Promise<ApiServer> {
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Before any route: routes take the error handler in force when they are added.
  registerErrorHandling(app, await registerConsole(app));

  await registerOpenApi(app);

  await app.register(healthRoutes(deps));
  for (const routes of [
    peopleRoutes,
    groupRoutes,
    catalogRoutes,
    auditRoutes,
    requestRoutes,
    grantRoutes,
    campaignRoutes,
    findingRoutes,
    evidenceRoutes,
    logReviewRoutes,
    scimConnectionRoutes,
    passkeyRoutes,
    // The console's reads: inboxes, the dashboard, checkpoints and proofs, policy history.
    approvalRoutes,
    reviewRoutes,
    dashboardRoutes,
    auditCheckpointRoutes,
    policyVersionRoutes,
  ]) {
    await app.register(routes(deps), { prefix: '/api/v1' });
  }
  await app.register(scimPlugin(deps), { prefix: '/scim/v2' });
  if (options.slack?.mode === 'http') await app.register(slackEventsRoute(options.slack));
  return app;
}
