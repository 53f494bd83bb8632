// The OpenAPI document at /api/v1/openapi.json: its header (servers, licence, tags), the error
// answers every /api/v1 operation shares, and a record of every route for the test that holds each
// one to an operationId. Routes declare what is theirs (their 404s and 409s); the shared 400, 401,
// 403 and 429 are added here, in one place, to every documented /api/v1 operation that does not declare
// its own, so a new route cannot forget them. They are added to the document only: the routes'
// runtime schemas (and so their validation and serialisation) stay exactly as the routes wrote them.
import swagger, { type SwaggerTransformObject } from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiServer } from './api-server.js';
import { errorBody } from './routes/shared.js';

/** Where the document is served. */
export const OPENAPI_URL = '/api/v1/openapi.json';

/** One route as registered (HEAD twins left out): what the route test holds to an operationId. */
export type RouteRecord = { method: string; url: string; operationId?: string; hidden: boolean };

/** The shared answers, by status: the component each one refers to and what it means. */
const sharedErrors = {
  400: {
    name: 'ValidationFailed',
    description:
      "validation_failed: the input does not match this operation's schema (details.fields names each field)",
  },
  401: {
    name: 'Unauthenticated',
    description: 'unauthenticated: no credentials, or an API token that is unknown, revoked or expired',
  },
  403: {
    name: 'Forbidden',
    description:
      "forbidden or not_allowed: the caller's role may not do this, or the rule refuses it for this caller " +
      '(refusals are recorded in the ledger); csrf_failed: a cookie-authenticated write without its CSRF token',
  },
  429: {
    name: 'TooManyRefusals',
    description:
      'rate_limited: too many refused requests (bad or missing credentials) from this address in the last minute; ' +
      'wait Retry-After seconds. Requests with good credentials are never limited',
  },
} as const;

/** The document's tags, described; a route's `tags` name one of these. */
const tags = [
  { name: 'directory', description: 'People, and what each one holds' },
  { name: 'catalog', description: 'Resources, their entitlements and the approval policies' },
  { name: 'requests', description: 'Access requests: file, read, decide, cancel, retry, fulfil by hand' },
  { name: 'grants', description: 'Access held: extend, give back, revoke, report manual removal' },
  {
    name: 'campaigns',
    description: 'Access certification campaigns: launch, schedule, review, sign off, report',
  },
  { name: 'reconciliation', description: 'What the targets hold against the grants, and the findings' },
  { name: 'audit', description: 'The tamper-evident ledger: search, verify, prove consistency' },
  {
    name: 'dashboard',
    description: "The admin's overview: open requests, SLA breaches, campaigns, the ledger",
  },
  { name: 'session', description: 'Console sign-in with the company IdP, the session, sign-out' },
  { name: 'passkeys', description: 'Passkeys for step-up: register one, list yours' },
  { name: 'evidence', description: 'Evidence packs per framework, control and period' },
  { name: 'log reviews', description: "Monthly reviews of the ledger's security events" },
  {
    name: 'scim',
    description: 'SCIM connections for identity providers (the SCIM service itself is /scim/v2)',
  },
];

/** The parts of an OpenAPI 3.0 document this file reads and writes. */
type Operation = {
  parameters?: unknown[];
  requestBody?: unknown;
  security?: unknown[];
  responses?: Record<string, unknown>;
};
type Document = {
  paths?: Record<string, Record<string, Operation | unknown> | undefined>;
  components?: { schemas?: Record<string, unknown>; responses?: Record<string, unknown> };
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const records = new WeakMap<ApiServer, RouteRecord[]>();

/** Every route registered on `app` after registerOpenApi, in order. */
export function registeredRoutes(app: ApiServer): readonly RouteRecord[] {
  return records.get(app) ?? [];
}

/**
 * Registers @fastify/swagger with the document's header and shared answers, a record of the routes,
 * and GET /api/v1/openapi.json. Call it before any route, so that it sees them all.
 */
export async function registerOpenApi(app: ApiServer): Promise<void> {
  const seen: RouteRecord[] = [];
  records.set(app, seen);
  app.addHook('onRoute', (route) => {
    if (route.method === 'HEAD') return;
    seen.push({
      method: String(route.method),
      url: route.url,
      ...(route.schema?.operationId ? { operationId: route.schema.operationId } : {}),
      hidden: route.schema?.hide === true,
    });
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'grantflow API',
        description: 'Access requests, grants, certification campaigns and the audit ledger.',
        version: '1',
        // As package.json says: no licence is granted.
        license: { name: 'UNLICENSED' },
      },
      // Relative: the paths carry /api/v1 already, and the document then holds for whatever host,
      // port or proxy it was fetched through, without the server having to know its public URL.
      servers: [{ url: '/', description: 'The grantflow API that serves this document' }],
      tags,
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
    transformObject: (documents) =>
      withSharedErrors(
        (documents as { openapiObject: Document }).openapiObject,
      ) as ReturnType<SwaggerTransformObject>,
  });

  app.get(OPENAPI_URL, { schema: { hide: true, operationId: 'getOpenApiDocument' } }, async () =>
    app.swagger(),
  );
}

/**
 * The document with the shared answers as components, referred to by every /api/v1 operation that
 * lacks them: 400 when it takes input, 401 and 403 unless it needs no credentials (`security: []`).
 */
function withSharedErrors(document: Document): Document {
  const { $schema: _, ...errorSchema } = z.toJSONSchema(errorBody, { target: 'openapi-3.0' });
  const responses: Record<string, unknown> = {};
  for (const { name, description } of Object.values(sharedErrors)) {
    responses[name] = {
      description,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
    };
  }
  for (const [url, item] of Object.entries(document.paths ?? {})) {
    if (!url.startsWith('/api/v1/') || !item) continue;
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (operation) operation.responses = { ...sharedFor(operation), ...operation.responses };
    }
  }
  return {
    ...document,
    components: {
      ...document.components,
      schemas: { ...document.components?.schemas, ErrorBody: errorSchema },
      responses: { ...document.components?.responses, ...responses },
    },
  };
}

/** The shared answers `operation` gets, as references to the components. */
function sharedFor(operation: Operation): Record<string, unknown> {
  const ref = (status: keyof typeof sharedErrors) => ({
    $ref: `#/components/responses/${sharedErrors[status].name}`,
  });
  const takesInput = (operation.parameters?.length ?? 0) > 0 || operation.requestBody !== undefined;
  const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
  return {
    ...(takesInput ? { 400: ref(400) } : {}),
    ...(isPublic ? {} : { 401: ref(401), 403: ref(403), 429: ref(429) }),
  };
}
