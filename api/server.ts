import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { GrantflowError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ApiServer } from './api-server.js';
import { registerConsole } from './console.js';
import type { ApiDeps } from './deps.js';
import { registerErrorHandling } from './errors.js';
import { registerOpenApi } from './openapi.js';
import { DEFAULT_REFUSAL_LIMITS, registerRefusalGuard } from './refusal-limits.js';
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
import { sessionRoutes } from './routes/session.js';
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
  await registerWebSecurity(app, deps);

  await registerOpenApi(app);

  await app.register(healthRoutes(deps));
  await app.register(sessionRoutes(deps));
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

/**
 * Headers and limits for a server that serves a browser console: helmet with a strict CSP (no
 * inline script or style, no eval, nothing framed, nothing from elsewhere), HSTS only when the
 * public URL is https (on http it would be ignored, or pin a dev machine's localhost), cookies,
 * a per-IP rate limit that only the sign-in routes opt into, and the per-IP limit on refused
 * requests (refusal-limits.ts).
 */
async function registerWebSecurity(app: ApiServer, deps: ApiDeps): Promise<void> {
  const publicUrl = deps.config.publicUrl;
  app.decorate('consoleOrigin', publicUrl ? new URL(publicUrl).origin : undefined);
  app.decorate('consolePolicy', deps.console?.policy);
  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
    strictTransportSecurity: publicUrl?.startsWith('https:')
      ? { maxAge: 31_536_000, includeSubDomains: true }
      : false,
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new GrantflowError('rate_limited', `Too many sign-in attempts; try again in ${context.after}.`, {
        status: 429,
        details: { limit: context.max },
      }),
  });
  registerRefusalGuard(app, deps.db, {
    // The document server has no configuration; it serves no requests either.
    perMinute: deps.config.GRANTFLOW_REFUSALS_PER_MINUTE ?? DEFAULT_REFUSAL_LIMITS.perMinute,
    windowSeconds: deps.config.GRANTFLOW_REFUSAL_WINDOW_SECONDS ?? DEFAULT_REFUSAL_LIMITS.windowSeconds,
  });
}
