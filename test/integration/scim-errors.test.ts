// What /scim/v2 refuses, always in SCIM's error shape, and that a refusal changes nothing: malformed
// JSON, bad filters, unknown resources, a taken userName, bad or revoked tokens, API tokens, and one
// connection touching another's people and groups (403, recorded in the ledger).
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearer, personWithToken, startTestApi, type TestApi } from '../helpers/api.js';
import { grantflow } from '../helpers/cli.js';
import {
  connectionToken,
  filter,
  GROUP,
  ledgerEvents,
  PATCH_OP,
  type ScimAnswer,
  type ScimClient,
  scimClient,
  USER,
} from '../helpers/scim.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const user = (email: string) => ({
  schemas: [USER],
  userName: email,
  name: { formatted: email },
  active: true,
});

function expectScimError(answer: ScimAnswer, status: number, scimType?: string) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/scim\+json/);
  expect(answer.body).toEqual({
    schemas: [ERROR],
    status: String(status),
    ...(scimType ? { scimType } : {}),
    detail: expect.any(String),
  });
}

describe('SCIM refusals', () => {
  let database: TestDatabase;
  let api: TestApi;
  let admin: { id: string; token: string };
  let okta: ScimClient;
  let entra: ScimClient;
  let oktaToken = '';
  let ada = '';
  let team = '';
  let before = '';
  let apiUrl = '';
  let dataDir = '';

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
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    apiUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'gf-cli-scim-'));
    admin = await personWithToken(database.runtime.db, { email: 'admin@acme.test' }, 'admin');
    oktaToken = await connectionToken(api.app, admin.token, 'okta');
    okta = scimClient(api.app, oktaToken);
    entra = scimClient(api.app, await connectionToken(api.app, admin.token, 'entra'));
    ada = (await okta.post('/Users', user('ada@acme.test'))).body.id;
    team = (await okta.post('/Groups', { schemas: [GROUP], displayName: 'Team', members: [{ value: ada }] }))
      .body.id;
  });
  beforeEach(async () => {
    before = await state();
  });
  afterAll(async () => {
    await api.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses malformed JSON and non-object bodies with invalidSyntax', async () => {
    expectScimError(await okta.post('/Users', '{"userName": "bob@acme.test",'), 400, 'invalidSyntax');
    expectScimError(await okta.post('/Users', '[1, 2]'), 400, 'invalidSyntax');
    expectScimError(await okta.patch(`/Users/${ada}`, '{"Operations": "nope"'), 400, 'invalidSyntax');
    expect(await state()).toBe(before);
  });

  it('refuses bad filters with invalidFilter', async () => {
    expectScimError(await okta.get(`/Users?${filter('userName eq')}`), 400, 'invalidFilter');
    expectScimError(await okta.get(`/Users?${filter('nickName eq "ada"')}`), 400, 'invalidFilter');
    expectScimError(await okta.get(`/Users?${filter('active eq "maybe"')}`), 400, 'invalidFilter');
    expectScimError(await okta.get(`/Groups?${filter('displayName eq "Team" and')}`), 400, 'invalidFilter');
  });

  it('answers 404 for unknown resources and ids', async () => {
    expectScimError(await okta.get('/Widgets'), 404);
    expectScimError(await okta.get('/Users/2819c223-7f76-453a-919d-413861904646'), 404);
    expectScimError(await okta.get('/Users/not-a-uuid'), 404);
    expectScimError(
      await okta.patch('/Groups/2819c223-7f76-453a-919d-413861904646', {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'displayName', value: 'X' }],
      }),
      404,
    );
    expect(await state()).toBe(before);
  });

  it('refuses a taken userName (any case) and a second group of the same name with 409 uniqueness', async () => {
    expectScimError(await okta.post('/Users', user('ADA@acme.test')), 409, 'uniqueness');
    expectScimError(await entra.post('/Users', user('ada@acme.test')), 409, 'uniqueness');
    expectScimError(await okta.post('/Groups', { schemas: [GROUP], displayName: 'team' }), 409, 'uniqueness');
    const bob = (await okta.post('/Users', user('bob@acme.test'))).body.id;
    before = await state();
    const rename = await okta.patch(`/Users/${bob}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'userName', value: 'ada@acme.test' }],
    });
    expectScimError(rename, 409, 'uniqueness');
    expect(await state()).toBe(before);
  });

  it('refuses invalid values and PATCH operations, changing nothing', async () => {
    const patch = (Operations: unknown[]) => okta.patch(`/Users/${ada}`, { schemas: [PATCH_OP], Operations });
    expectScimError(await patch([{ op: 'move', path: 'active', value: false }]), 400, 'invalidSyntax');
    // RFC 7644 §3.5.2.2: a remove without a path is a noTarget.
    expectScimError(await patch([{ op: 'Remove' }]), 400, 'noTarget');
    expectScimError(await patch([{ op: 'replace', path: 'active', value: 'maybe' }]), 400, 'invalidValue');
    const ghost = '2819c223-7f76-453a-919d-413861904646';
    expectScimError(
      await patch([{ op: 'add', path: `${ENTERPRISE_URN}:manager`, value: ghost }]),
      400,
      'invalidValue',
    );
    expectScimError(
      await patch([{ op: 'replace', path: `${ENTERPRISE_URN}:manager`, value: ada }]),
      400,
      'invalidValue',
    );
    // The first operation is fine, the second is not: neither is applied.
    expectScimError(
      await patch([
        { op: 'replace', path: 'title', value: 'Countess' },
        { op: 'replace', path: 'emails[type eq "home"].value', value: 'x' },
        { op: 'replace', path: 'active', value: 42 },
      ]),
      400,
      'invalidValue',
    );
    const members = await okta.patch(`/Groups/${team}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: [{ value: ghost }] }],
    });
    expectScimError(members, 400, 'invalidValue');
    expectScimError(
      await okta.post('/Users', { schemas: [USER], name: { formatted: 'No Name' } }),
      400,
      'invalidValue',
    );
    expect(await state()).toBe(before);
  });

  it('refuses paths that would reach into Object.prototype', async () => {
    const polluting = await okta.patch(`/Users/${ada}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'constructor.prototype.polluted', value: 'yes' }],
    });
    expectScimError(polluting, 400, 'invalidPath');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await state()).toBe(before);
  });

  it('ignores attributes it does not know (RFC 7643), on create and on PATCH', async () => {
    const created = await okta.post('/Users', {
      ...user('carol@acme.test'),
      nickName: 'Caz',
      x509Certificates: [{ value: 'MIIB' }],
      'urn:example:custom:2.0:User': { costCenter: '42' },
    });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('nickName');
    const patched = await okta.patch(`/Users/${created.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'add', path: 'nickName', value: 'Caz' },
        { op: 'add', value: { preferredLanguage: 'en' } },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).not.toHaveProperty('preferredLanguage');
  });

  it('refuses wrong, missing and revoked tokens (revoked with the CLI) with 401, and API tokens on /scim', async () => {
    expectScimError(await scimClient(api.app, 'gfscim_forged').get('/Users'), 401);
    const none = await api.app.inject({ method: 'GET', url: '/scim/v2/Users' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="grantflow-scim"');
    expect(none.json()).toMatchObject({ schemas: [ERROR], status: '401' });
    expectScimError(await scimClient(api.app, admin.token).get('/Users'), 401);
    // And the other way round: a SCIM token is no API token.
    const people = await api.app.inject({ method: 'GET', url: '/api/v1/people', headers: bearer(oktaToken) });
    expect(people.statusCode).toBe(401);

    // The admin's side, through the CLI against the listening API: create (token printed once), list, revoke.
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'warn',
      GRANTFLOW_DATA_DIR: dataDir,
    };
    const cli = (...args: string[]) =>
      grantflow(['scim', 'token', ...args, '--api', apiUrl, '--token', admin.token], env);
    const created = await cli('create', '--name', 'temp');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toContain('shown only this once');
    const temp = created.stdout.trim();
    expect(temp).toMatch(/^gfscim_/);
    expect((await scimClient(api.app, temp).get('/Users')).status).toBe(200);
    expect((await cli('list')).stdout).toMatch(/temp\s+live\s+gfscim_/);
    const revoked = await cli('revoke', '--name', 'temp');
    expect(revoked.stdout).toContain('Revoked the token of SCIM connection temp');
    expect((await cli('list')).stdout).toMatch(/temp\s+revoked/);
    expect((await cli('revoke', '--name', 'temp')).code).toBe(1);
    expectScimError(await scimClient(api.app, temp).post('/Users', user('dan@acme.test')), 401);
    expect(await state()).toBe(before);
  });

  it("refuses one connection changing another's people and groups with 403, and records it", async () => {
    const patch = { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] };
    expectScimError(await entra.patch(`/Users/${ada}`, patch), 403);
    expectScimError(await entra.put(`/Users/${ada}`, user('ada@acme.test')), 403);
    expectScimError(await entra.delete(`/Users/${ada}`), 403);
    expectScimError(await entra.delete(`/Groups/${team}`), 403);
    expect(await state()).toBe(before);
    const refused = await ledgerEvents(database.owner.sql, 'identity.change.refused');
    expect(refused.map((e) => [e.target.type, e.action, e.result])).toEqual([
      ['person', 'patch', 'denied'],
      ['person', 'replace', 'denied'],
      ['person', 'delete', 'denied'],
      ['group', 'delete', 'denied'],
    ]);
    expect(refused[0]).toMatchObject({
      actor: { type: 'scim', id: 'entra' },
      details: { managed_by: 'scim:okta', attempted_by: 'scim:entra' },
    });
    // Reading is allowed: the directory is one.
    expect((await entra.get(`/Users/${ada}`)).status).toBe(200);
  });

  it('keeps the connection routes to admins, in the OpenAPI document, and one live token per name', async () => {
    const employee = await personWithToken(database.runtime.db, { email: 'eve@acme.test' }, 'employee');
    const denied = await api.app.inject({
      method: 'GET',
      url: '/api/v1/scim/connections',
      headers: bearer(employee.token),
    });
    expect(denied.statusCode).toBe(403);
    const again = await api.app.inject({
      method: 'POST',
      url: '/api/v1/scim/connections',
      headers: bearer(admin.token),
      payload: { name: 'okta' },
    });
    expect(again.statusCode).toBe(409);
    const list = await api.app.inject({
      method: 'GET',
      url: '/api/v1/scim/connections',
      headers: bearer(admin.token),
    });
    expect(list.json().items.map((c: { name: string; status: string }) => `${c.name}:${c.status}`)).toEqual([
      'entra:live',
      'okta:live',
      'temp:revoked',
    ]);
    expect(JSON.stringify(list.json())).not.toContain(oktaToken);
    const openapi = (await api.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/api/v1/scim/connections', '/api/v1/scim/connections/{name}/revoke']),
    );
    expect(Object.keys(openapi.paths).some((p) => p.startsWith('/scim/v2'))).toBe(false);
    const created = await ledgerEvents(database.owner.sql, 'config.scim_connection.');
    expect(created.map((e) => `${e.event_type}:${e.target.name}`)).toEqual([
      'config.scim_connection.created:okta',
      'config.scim_connection.created:entra',
      'config.scim_connection.created:temp',
      'config.scim_connection.revoked:temp',
    ]);
  });
});

const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
