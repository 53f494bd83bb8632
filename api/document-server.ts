// The API server built over dependencies that refuse every use: enough to read its routes and its
// OpenAPI document, which need no database, no Temporal and no keys. The console's type generator
// (web/scripts/) and the document's tests build it; nothing here may serve requests.
import pino from 'pino';
import type { ApiDeps } from './deps.js';
import { OPENAPI_URL } from './openapi.js';
import { type ApiServer, buildServer } from './server.js';

/** A stand-in for a service: any use of it throws, naming it. */
function refusing(name: string): never {
  return new Proxy(
    {},
    {
      get(_target, property) {
        throw new Error(`the document server has no ${name} (it read ${String(property)})`);
      },
    },
  ) as never;
}

/** The API's routes, registered exactly as in production, over services that refuse every use. */
export async function buildDocumentServer(): Promise<ApiServer> {
  const deps: ApiDeps = {
    // Some routes copy settings when they register (undefined here); only requests would use them.
    config: {} as ApiDeps['config'],
    db: refusing('database'),
    sql: refusing('database'),
    temporal: refusing('Temporal client'),
    ledger: refusing('ledger keys'),
  };
  const app = await buildServer(deps, pino({ level: 'silent' }));
  await app.ready();
  return app;
}

/** The OpenAPI document as GET /api/v1/openapi.json serves it. */
export async function readOpenApiDocument(app: ApiServer): Promise<Record<string, unknown>> {
  const response = await app.inject({ method: 'GET', url: OPENAPI_URL });
  if (response.statusCode !== 200) throw new Error(`${OPENAPI_URL} answered ${response.statusCode}`);
  return response.json();
}
