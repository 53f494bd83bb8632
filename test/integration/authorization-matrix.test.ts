// The authorization matrix (test/helpers/authorization-table.ts) against the real API on the real
// stack: every route the server registers has a row and every row a route; every route answers
// each caller (none, a SCIM connection, an employee, an auditor, an admin) on their own record and
// on someone else's as the table says; a token that is expired, revoked, malformed or held by a
// person who has left is refused with 401 everywhere; and an admin acting for someone is recorded
// in the ledger as acting on their behalf.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../core/net.js';
import { createApiToken } from '../../db/queries/api-tokens.js';
import { getPersonByEmail } from '../../db/queries/people.js';
import { apiTokens, people } from '../../db/schema.js';
import { bearer, personWithToken } from '../helpers/api.js';
import { type AuthorizationFixture, startAuthorizationFixture } from '../helpers/authorization-fixture.js';
import {
  type Answer,
  AUTHORIZATION_TABLE,
  CALLERS,
  type Caller,
  type Row,
  type Whose,
} from '../helpers/authorization-table.js';
import { routesOf } from '../helpers/route-registry.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

/** What an answer means, as the table writes it (5xx is never expected). */
function meaning(status: number): Answer | 'server_error' {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'missing';
  if (status === 503) return 'unavailable';
  if (status >= 500) return 'server_error';
  return 'ok';
}

let database: TestDatabase;
let fixture: AuthorizationFixture;

const app = () => fixture.slack.stack.api.app;
const send: AuthorizationFixture['send'] = (...args) => fixture.send(...args);

/** POSTs as `token` and returns the JSON answer, failing on anything but a 2xx. */
async function post(url: string, body: unknown, token: string | undefined) {
  const response = await send('POST', { url, body }, token);
  expect([200, 201, 202], `${url}: ${response.body}`).toContain(response.statusCode);
  return response.json();
}

beforeAll(async () => {
  database = await createTestDatabase();
  fixture = await startAuthorizationFixture(database);
}, 180_000);

afterAll(async () => {
  await fixture?.close();
  await database?.drop();
});

describe('the authorization table', () => {
  it('has a row for every registered route, and every row names a registered route', () => {
    const registered = routesOf(app());
    const byOperation = new Map(registered.map((route) => [route.operationId, route]));

    const withoutRow = registered
      .filter((route) => !(route.operationId in AUTHORIZATION_TABLE))
      .map((route) => `${route.key} (${route.operationId}) has no row`);
    const withoutRoute = Object.entries(AUTHORIZATION_TABLE)
      .filter(([operationId]) => !byOperation.has(operationId))
      .map(([operationId, row]) => `${operationId} (${row.route}) is no registered route`);
    const misnamed = Object.entries(AUTHORIZATION_TABLE)
      .filter(([operationId, row]) => {
        const route = byOperation.get(operationId);
        return route !== undefined && route.key !== row.route;
      })
      .map(
        ([operationId, row]) =>
          `${operationId}: the row says ${row.route}, the server ${byOperation.get(operationId)?.key}`,
      );

    expect([...withoutRow, ...withoutRoute, ...misnamed]).toEqual([]);
    expect(registered.length).toBeGreaterThan(80);
  });
});

/** The cells a row is checked in: each caller, on each owner's record where the row has owners. */
function cellsOf(row: Row): { caller: Caller; whose: Whose; expected: Answer }[] {
  const owners: Whose[] = row.perOwner ? ['own', 'other'] : ['own'];
  return CALLERS.flatMap((caller) =>
    owners.map((whose) => {
      const cell = row.expect[caller];
      return { caller, whose, expected: typeof cell === 'string' ? cell : cell[whose] };
    }),
  );
}

describe('every route, every caller', () => {
  const printed: string[] = [];
  afterAll(() => console.info(`the authorization matrix as answered:\n${printed.join('\n')}`));

  it.each(Object.entries(AUTHORIZATION_TABLE))('%s answers each caller as the table says', async (_, row) => {
    const method = row.route.split(' ')[0] as string;
    const answers: string[] = [];
    const wrong: string[] = [];
    for (const { caller, whose, expected } of cellsOf(row)) {
      const response = await send(method, row.call(fixture.objects, whose), fixture.tokens[caller]);
      const got = meaning(response.statusCode);
      const cell = `${caller}${row.perOwner ? `/${whose}` : ''}`;
      answers.push(`${cell}=${response.statusCode}`);
      if (got !== expected)
        wrong.push(
          `${cell}: expected ${expected}, got ${response.statusCode} ${response.body.slice(0, 300)}`,
        );
    }
    printed.push(`${row.route.padEnd(48)} ${answers.join(' ')}`);
    expect(wrong, `${row.route}: ${answers.join(' ')}`).toEqual([]);
  });
});

describe('bad credentials', () => {
  it('answers 401 on every authenticated route for a token that is expired, revoked, malformed or of a leaver', async () => {
    const { cast } = fixture.slack.stack;
    const db = database.runtime.db;
    const admin = await getPersonByEmail(db, cast.admin);
    if (!admin) throw new Error('no admin');
    const expired = await createApiToken(db, {
      personId: admin.id,
      role: 'admin',
      expiresAt: new Date(Date.now() - 1_000),
    });
    const revoked = await createApiToken(db, { personId: admin.id, role: 'admin' });
    await database.owner.db
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(eq(apiTokens.id, revoked.row.id));
    const leaver = await personWithToken(db, { email: `leaver.${cast.admin}` }, 'admin');
    await database.owner.db.update(people).set({ status: 'inactive' }).where(eq(people.id, leaver.id));
    const headers: Record<string, Record<string, string>> = {
      expired: bearer(expired.token),
      revoked: bearer(revoked.token),
      leaver: bearer(leaver.token),
      'malformed (no scheme)': { authorization: fixture.tokens.admin as string },
      'malformed (two parts)': { authorization: `Bearer ${fixture.tokens.admin} extra` },
      'malformed (basic)': { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
      'malformed (empty)': { authorization: 'Bearer ' },
      'malformed (forged)': bearer(`gf_${'A'.repeat(43)}`),
    };
    // Every route that needs credentials: its anonymous cell is a 401.
    const authenticated = Object.entries(AUTHORIZATION_TABLE).filter(
      ([, row]) => row.expect.none === 'unauthenticated',
    );
    expect(authenticated.length).toBeGreaterThan(70);

    const wrong: string[] = [];
    for (const [operationId, row] of authenticated) {
      const method = row.route.split(' ')[0] as string;
      for (const [kind, header] of Object.entries(headers)) {
        const call = row.call(fixture.objects, 'own');
        const query = call.query ? `?${new URLSearchParams(call.query)}` : '';
        const response = await app().inject({
          method: method as 'GET',
          url: `${call.url}${query}`,
          headers: { ...header, ...(call.body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(call.body === undefined ? {} : { payload: JSON.stringify(call.body) }),
        });
        if (response.statusCode !== 401)
          wrong.push(`${operationId} with a ${kind} token: ${response.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('acting on behalf of someone', () => {
  /** The ledger's actor of the intake events of `type` about request `requestId`. */
  async function actorsOf(type: string, requestId: string) {
    return database.owner.sql<{ actor: Record<string, string> }[]>`
      select event->'actor' as actor from audit_intake
      where event->>'event_type' = ${type} and event->'correlation'->>'request_id' = ${requestId}`;
  }

  it("records an admin's request for someone, and an admin's decision for an approver, as on their behalf", async () => {
    const { cast } = fixture.slack.stack;
    const filed = await post(
      '/api/v1/requests',
      { resource: 'db', entitlement: 'read', durationSeconds: 3_600, onBehalfOf: cast.dev2 },
      fixture.tokens.admin as string,
    );
    expect(filed).toMatchObject({ requester: cast.dev2, submittedBy: cast.admin });
    expect(await actorsOf('access.request.created', filed.id)).toEqual([
      { actor: expect.objectContaining({ email: cast.admin, on_behalf_of: cast.dev2 }) },
    ]);

    await waitUntil(
      async () =>
        (await send('GET', { url: `/api/v1/requests/${filed.id}` }, fixture.tokens.admin)).json().status ===
        'pending_approval',
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    await post(
      `/api/v1/requests/${filed.id}/decisions`,
      { decision: 'approve', onBehalfOf: cast.manager },
      fixture.tokens.admin as string,
    );
    let decided: { actor: Record<string, string> }[] = [];
    await waitUntil(
      async () => {
        decided = await actorsOf('access.request.approved', filed.id);
        return decided.length > 0;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(decided).toEqual([
      { actor: expect.objectContaining({ id: cast.admin, on_behalf_of: cast.manager }) },
    ]);
  });
});
