// The routes the real server registers, as the authorization matrix and the REST fuzzer walk them:
// api/openapi.ts records every route added after it (HEAD twins left out), with its operationId and
// its runtime schemas, which Fastify has compiled to JSON Schema for the OpenAPI document.
import type { ApiServer } from '../../api/api-server.js';
import { OPENAPI_URL, registeredRoutes } from '../../api/openapi.js';

/** One registered route: `GET /api/v1/requests/:id` and its operationId. */
export type RegisteredRoute = { key: string; method: string; url: string; operationId: string };

/** `METHOD url`, the way the table and the failure messages name a route. */
const routeKey = (method: string, url: string): string => `${method.toUpperCase()} ${url}`;

/**
 * Every route the server registered. A route without an operationId is refused here: the OpenAPI
 * test already requires one, and the table is keyed by it.
 */
export function routesOf(app: ApiServer): RegisteredRoute[] {
  return registeredRoutes(app).map((route) => {
    if (!route.operationId) throw new Error(`${routeKey(route.method, route.url)} has no operationId`);
    return {
      key: routeKey(route.method, route.url),
      method: route.method,
      url: route.url,
      operationId: route.operationId,
    };
  });
}

/** A JSON Schema, as much of it as the fuzzer reads. */
export type JsonSchema = Record<string, unknown>;

/** What a route takes, as JSON Schema: path params, query string and body (absent when none). */
export type RouteInput = { params?: JsonSchema; querystring?: JsonSchema; body?: JsonSchema };

type Parameter = { in: string; name: string; required?: boolean; schema?: JsonSchema };
type Operation = {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
};

/**
 * Each documented operation's input schemas, by operationId, from the OpenAPI document the server
 * serves (the same zod schemas its validation runs). Hidden routes are not in it.
 */
export async function routeInputs(app: ApiServer): Promise<Map<string, RouteInput>> {
  const response = await app.inject({ method: 'GET', url: OPENAPI_URL });
  const document = response.json() as {
    paths: Record<string, Record<string, Operation>>;
    components?: { schemas?: Record<string, JsonSchema> };
  };
  const inputs = new Map<string, RouteInput>();
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      if (!operation.operationId) continue;
      const input: RouteInput = {};
      for (const place of ['path', 'query'] as const) {
        const parameters = (operation.parameters ?? []).filter((p) => p.in === place);
        if (parameters.length === 0) continue;
        const schema: JsonSchema = {
          type: 'object',
          properties: Object.fromEntries(parameters.map((p) => [p.name, p.schema ?? {}])),
          required: parameters.filter((p) => p.required).map((p) => p.name),
        };
        input[place === 'path' ? 'params' : 'querystring'] = schema;
      }
      const body = operation.requestBody?.content?.['application/json']?.schema;
      if (body) input.body = body;
      inputs.set(operation.operationId, input);
    }
  }
  return inputs;
}
