// Fuzzing /scim/v2 with a valid connection token (scim-arbitrary.ts): random Users and Groups
// bodies, PATCH operations and filters. Whatever arrives: never a 5xx; a refusal is in SCIM's
// error shape with its status as a string, and changes no person, group, membership or ledger event.
import { fc, it } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { personWithToken, startTestApi, type TestApi } from '../helpers/api.js';
import { connectionToken, GROUP, ledgerEvents, type ScimClient, scimClient, USER } from '../helpers/scim.js';
import { type ScimFuzzRequest, scimRequestArbitrary } from '../helpers/scim-arbitrary.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

describe('random SCIM requests', () => {
  let database: TestDatabase;
  let api: TestApi;
  let okta: ScimClient;
  const world = { userIds: [] as string[], groupIds: [] as string[] };
  const answered = { refused: 0, done: 0 };

  /** Everything a refusal must leave alone: people, groups, memberships and the change events. */
  const state = async () =>
    JSON.stringify([
      await database.owner.sql`select * from people order by id`,
      await database.owner.sql`select * from groups order by id`,
      await database.owner.sql`select * from group_members order by group_id, person_id`,
      (await ledgerEvents(database.owner.sql, 'identity.')).filter(
        (e) => e.event_type !== 'identity.change.refused',
      ),
    ]);

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApi(database);
    const admin = await personWithToken(database.runtime.db, { email: 'admin@acme.test' }, 'admin');
    okta = scimClient(api.app, await connectionToken(api.app, admin.token, 'okta'));
    for (const name of ['ada', 'bob', 'cy']) {
      const created = await okta.post('/Users', {
        schemas: [USER],
        userName: `${name}@acme.test`,
        name: { formatted: name },
        active: true,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      world.userIds.push(created.body.id);
    }
    const team = await okta.post('/Groups', {
      schemas: [GROUP],
      displayName: 'Team',
      members: world.userIds.slice(0, 2).map((value) => ({ value })),
    });
    expect(team.status).toBe(201);
    world.groupIds.push(team.body.id);
  });
  afterAll(async () => {
    // Both outcomes must have happened, or the requests test only one side.
    expect(answered.refused).toBeGreaterThan(0);
    expect(answered.done).toBeGreaterThan(0);
    await api?.close();
    await database?.drop();
  });

  const send = (request: ScimFuzzRequest) => {
    switch (request.method) {
      case 'GET':
        return okta.get(request.url);
      case 'DELETE':
        return okta.delete(request.url);
      case 'POST':
        return okta.post(request.url, request.body);
      case 'PUT':
        return okta.put(request.url, request.body);
      case 'PATCH':
        return okta.patch(request.url, request.body);
    }
  };

  it.prop([fc.constant(null).chain(() => scimRequestArbitrary(world))], { numRuns: 800 })(
    'never a 5xx; a refusal is a SCIM error and changes nothing',
    async (request) => {
      const before = await state();
      const answer = await send(request);
      expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(500);
      if (answer.status < 400) {
        answered.done++;
        return;
      }
      answered.refused++;
      expect(answer.headers['content-type'], `${answer.status} ${JSON.stringify(answer.body)}`).toMatch(
        /^application\/scim\+json/,
      );
      expect(answer.body).toEqual({
        schemas: [ERROR],
        status: String(answer.status),
        ...(answer.body?.scimType === undefined ? {} : { scimType: expect.any(String) }),
        detail: expect.any(String),
      });
      expect(await state()).toBe(before);
    },
  );
});
