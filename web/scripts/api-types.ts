// The console's API types: web/src/api/schema.d.ts, rendered by openapi-typescript from the OpenAPI
// document exactly as GET /api/v1/openapi.json serves it (the server built without services).
// npm run api:types writes it; a unit test renders it again and fails when the checked-in file differs.
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { buildDocumentServer, readOpenApiDocument } from '../../api/document-server.js';

/** The generated file, checked in. */
export const apiTypesFile = fileURLToPath(new URL('../src/api/schema.d.ts', import.meta.url));

const HEADER = [
  "// Generated from the API's OpenAPI document by web/scripts/generate-api-types.ts: do not edit.",
  "// After changing a route's schema, run `npm run api:types` and commit the result.",
  '',
].join('\n');

/** The contents schema.d.ts should have for the routes as they are now. */
export async function renderApiTypes(): Promise<string> {
  const app = await buildDocumentServer();
  try {
    const document = (await readOpenApiDocument(app)) as unknown as OpenAPI3;
    return HEADER + astToString(await openapiTS(document));
  } finally {
    await app.close();
  }
}
