import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../../api/api-server.js';
import { buildDocumentServer, readOpenApiDocument } from '../../../api/document-server.js';
import { registeredRoutes } from '../../../api/openapi.js';

type Operation = { operationId?: string; parameters?: { in: string }[]; responses?: Record<string, unknown> };
type Document = { paths: Record<string, Record<string, Operation>> };

/** The API's own doors (the console's static files are the web console's, not operations). */
const API_ROUTE = /^\/(api|auth|scim|slack|healthz|readyz)(\/|$)/;
/** camelCase verbNoun: listRequests, getRequest, decideRequest. */
const OPERATION_ID = /^[a-z]+(?:[A-Z][a-z0-9]*)+$/;
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

let app: ApiServer;
let document: Document;

beforeAll(async () => {
  app = await buildDocumentServer();
  document = (await readOpenApiDocument(app)) as Document;
});

afterAll(async () => {
  await app.close();
});

function operations(): { name: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([url, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]) => ({ name: `${method.toUpperCase()} ${url}`, operation })),
  );
}

describe('the OpenAPI document', () => {
  it("passes Redocly's recommended ruleset with no errors", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({
      source: JSON.stringify(document),
      absoluteRef: 'openapi.json',
      config,
    });

    const errors = problems.filter((p) => p.severity === 'error');
    const warnings = problems.filter((p) => p.severity === 'warn');
    console.info(
      `Redocly recommended: ${errors.length} errors, ${warnings.length} warnings` +
        warnings.map((w) => `\n  warning ${w.ruleId}: ${w.message}`).join(''),
    );
    expect(
      errors.map((e) => `${e.ruleId} at ${e.location[0]?.pointer ?? '?'}: ${e.message}`),
      'Redocly recommended errors',
    ).toEqual([]);
  });

  it('gives every route of the API a unique camelCase operationId, hidden routes too', () => {
    const routes = registeredRoutes(app).filter((route) => API_ROUTE.test(route.url));
    expect(routes.length).toBeGreaterThan(40);

    const missing = routes
      .filter((route) => !route.operationId)
      .map((r) => `${r.method} ${r.url}: no operationId`);
    const malformed = routes
      .filter((route) => route.operationId && !OPERATION_ID.test(route.operationId))
      .map((r) => `${r.method} ${r.url}: operationId ${r.operationId} is not camelCase verbNoun`);
    const counts = new Map<string, string[]>();
    for (const route of routes) {
      if (route.operationId)
        counts.set(route.operationId, [...(counts.get(route.operationId) ?? []), route.url]);
    }
    const duplicated = [...counts]
      .filter(([, urls]) => urls.length > 1)
      .map(([id, urls]) => `${id}: ${urls.join(', ')}`);
    expect([...missing, ...malformed, ...duplicated], 'routes whose operationId is missing or wrong').toEqual(
      [],
    );
  });

  it('documents every /api/v1 route, except the document itself', () => {
    const hidden = registeredRoutes(app)
      .filter(
        (route) => route.url.startsWith('/api/v1/') && route.hidden && route.url !== '/api/v1/openapi.json',
      )
      .map((route) => `${route.method} ${route.url}: hidden from the document`);
    expect(hidden, 'REST routes the console cannot be typed for').toEqual([]);
  });

  it('documents 4xx answers on every operation, and a 404 on every one that reads by a path parameter', () => {
    const lacking = operations().flatMap(({ name, operation }) => {
      const statuses = Object.keys(operation.responses ?? {});
      const problems: string[] = [];
      if (!statuses.some((status) => status.startsWith('4'))) problems.push(`${name}: no 4xx answer`);
      if (operation.parameters?.some((p) => p.in === 'path') && !statuses.includes('404')) {
        problems.push(`${name}: reads by a path parameter but documents no 404`);
      }
      // Sign-in's redirects answer 302 and nothing else.
      if (!statuses.some((status) => /^[23]/.test(status))) problems.push(`${name}: no 2xx or 3xx answer`);
      return problems;
    });
    expect(lacking, 'operations missing answers (errorBody.describe(...) in the route schema)').toEqual([]);
  });

  it('adds the shared 400, 401, 403 and 429 to each /api/v1 operation, keeping what a route declares itself', () => {
    const requests = document.paths['/api/v1/requests']?.post?.responses ?? {};
    const consistency = document.paths['/api/v1/audit/consistency']?.get?.responses ?? {};
    const health = document.paths['/api/v1/dashboard']?.get?.responses ?? {};

    expect(Object.keys(requests)).toEqual(['201', '400', '401', '403', '404', '409', '429']);
    expect(requests['401']).toEqual({ $ref: '#/components/responses/Unauthenticated' });
    expect(requests['429']).toEqual({ $ref: '#/components/responses/TooManyRefusals' });
    expect(consistency['403']).toMatchObject({ description: 'The token is neither an admin nor an auditor' });
    // No input, so no 400.
    expect(Object.keys(health)).toEqual(['200', '401', '403', '429']);
  });

  it('names where the API is served and describes its tags', () => {
    const full = document as Document & {
      servers?: unknown[];
      tags?: { name: string; description?: string }[];
    };
    expect(full.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    const used = new Set(
      operations().flatMap(({ operation }) => (operation as { tags?: string[] }).tags ?? []),
    );
    const described = new Set(full.tags?.filter((tag) => tag.description).map((tag) => tag.name));
    expect(
      [...used].filter((tag) => !described.has(tag)),
      'tags without a description',
    ).toEqual([]);
  });
});
