import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { GrantflowError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ApiServer } from './api-server.js';
import type { ApiDeps } from './deps.js';
import { registerErrorHandling } from './errors.js';
import { auditRoutes } from './routes/audit.js';
import { campaignRoutes } from './routes/campaigns.js';
import { catalogRoutes } from './routes/catalog.js';
import { evidenceRoutes } from './routes/evidence.js';
import { findingRoutes } from './routes/findings.js';
import { grantRoutes } from './routes/grants.js';
import { healthRoutes } from './routes/health.js';
import { logReviewRoutes } from './routes/log-reviews.js';
import { peopleRoutes } from './routes/people.js';
import { requestRoutes } from './routes/requests.js';
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
  registerErrorHandling(app);
  await registerWebSecurity(app, deps);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'grantflow API',
        description: 'Access requests, grants, certification campaigns and the audit ledger.',
        version: '1',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          // The console's session; its writes also need the x-csrf-token header from GET /api/v1/session.
          console: { type: 'apiKey', in: 'cookie', name: 'gf_session' },
        },
      },
      security: [{ bearer: [] }, { console: [] }],
    },
    transform: jsonSchemaTransform,
  });

  await app.register(healthRoutes(deps));
  await app.register(sessionRoutes(deps));
  await app.register(peopleRoutes(deps), { prefix: '/api/v1' });
  await app.register(catalogRoutes(deps), { prefix: '/api/v1' });
  await app.register(auditRoutes(deps), { prefix: '/api/v1' });
  await app.register(requestRoutes(deps), { prefix: '/api/v1' });
  await app.register(grantRoutes(deps), { prefix: '/api/v1' });
  await app.register(campaignRoutes(deps), { prefix: '/api/v1' });
  await app.register(findingRoutes(deps), { prefix: '/api/v1' });
  await app.register(evidenceRoutes(deps), { prefix: '/api/v1' });
  await app.register(logReviewRoutes(deps), { prefix: '/api/v1' });
  await app.register(scimConnectionRoutes(deps), { prefix: '/api/v1' });
  await app.register(scimPlugin(deps), { prefix: '/scim/v2' });
  if (options.slack?.mode === 'http') await app.register(slackEventsRoute(options.slack));
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}

/**
 * Headers and limits for a server that serves a browser console: helmet with a strict CSP (no
 * inline script or style, no eval, nothing framed, nothing from elsewhere), HSTS only when the
 * public URL is https (on http it would be ignored, or pin a dev machine's localhost), cookies,
 * and a per-IP rate limit that only the sign-in routes opt into.
 */
async function registerWebSecurity(app: ApiServer, deps: ApiDeps): Promise<void> {
  const publicUrl = deps.console?.publicUrl;
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
}
