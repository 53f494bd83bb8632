// GET /grants?holder=: an admin (or auditor) narrows everyone's grants to one person's, which is
// how the console's "My access" shows an admin only what they hold; an employee's list stays theirs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../db/queries/api-tokens.js';
import { getPersonByEmail } from '../../db/queries/people.js';
import { importDirectory } from '../../directory/import.js';
import { parseDirectorySource } from '../../directory/parse.js';
import { bearer, startTestApi, type TestApi } from '../helpers/api.js';
import { root } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

describe('GET /api/v1/grants?holder=', () => {
  let database: TestDatabase;
  let api: TestApi;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    const source = readFileSync(path.join(root, 'examples', 'acme.yaml'), 'utf8');
    await importDirectory(database.runtime.db, parseDirectorySource(source, 'acme.yaml'), { actor: 'test' });
    for (const [email, role] of [
      ['ruth.adeyemi@acme.test', 'admin'],
      ['tom.becker@acme.test', 'employee'],
    ] as const) {
      const person = await getPersonByEmail(database.runtime.db, email);
      tokens[email] = (await createApiToken(database.runtime.db, { personId: person?.id ?? '', role })).token;
    }
    api = await startTestApi(database);
  });
  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  const holders = async (as: string, query: string) => {
    const response = await api.app.inject({
      method: 'GET',
      url: `/api/v1/grants?${query}`,
      headers: bearer(as),
    });
    expect(response.statusCode, response.body).toBe(200);
    return new Set((response.json().items as { holder: string }[]).map((grant) => grant.holder));
  };

  it("narrows an admin's list to one holder, and leaves an employee's list their own", async () => {
    const admin = tokens['ruth.adeyemi@acme.test'] ?? '';
    const employee = tokens['tom.becker@acme.test'] ?? '';

    expect((await holders(admin, 'limit=500')).size).toBeGreaterThan(2);
    expect(await holders(admin, 'holder=hannah.kim@acme.test&limit=500')).toEqual(
      new Set(['hannah.kim@acme.test']),
    );
    expect(await holders(admin, 'holder=Ruth.Adeyemi@acme.test')).toEqual(
      new Set(['ruth.adeyemi@acme.test']),
    );
    expect(await holders(admin, 'holder=nobody@acme.test')).toEqual(new Set());
    // Tom holds nothing imported: asking for Hannah's shows him his own (none), never hers.
    expect(await holders(employee, 'holder=hannah.kim@acme.test')).toEqual(new Set());
  });
});
