// npm run api:types: writes web/src/api/schema.d.ts from the API's OpenAPI document.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { apiTypesFile, renderApiTypes } from './api-types.js';

async function main(): Promise<void> {
  await writeFile(apiTypesFile, await renderApiTypes());
  console.log(`wrote ${path.relative(process.cwd(), apiTypesFile)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
