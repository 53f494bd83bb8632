import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiTypesFile, renderApiTypes } from '../../../web/scripts/api-types.js';

describe("the console's generated API types", () => {
  it('match the OpenAPI document as the routes are now', async () => {
    const expected = await renderApiTypes();
    const actual = readFileSync(apiTypesFile, 'utf8');

    const lines = { actual: actual.split('\n'), expected: expected.split('\n') };
    const first = lines.expected.findIndex((line, index) => line !== lines.actual[index]);
    expect(
      actual === expected,
      `web/src/api/schema.d.ts is stale (first difference at line ${first + 1}): run npm run api:types`,
    ).toBe(true);
  });
});
