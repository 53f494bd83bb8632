// An Okta provisioning session replayed against the real API and PostgreSQL, in Okta's dialect (its
// SCIM 2.0 docs): look up by `userName eq` before creating, POST users with extra attributes it always
// sends (password, groups, locale), PUT for profile updates, PATCH `{"op":"replace","value":{"active":false}}`
// to deactivate, groups pushed with `members[value eq "…"]` removals and path-less renames.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupMembers, groups, people } from '../../db/schema.js';
import { formatImportReport } from '../../directory/import/report.js';
import { importDirectory } from '../../directory/import.js';
import { parseDirectorySource } from '../../directory/parse.js';
import { personWithToken, startTestApi, type TestApi } from '../helpers/api.js';
import {
  connectionToken,
  ENTERPRISE,
  filter,
  GROUP,
  ledgerEvents,
  PATCH_OP,
  type ScimClient,
  scimClient,
  USER,
} from '../helpers/scim.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

// A directory file that still lists Tom (now Okta's) and a group of the key Okta's group got.
const OVERLAP = `people:
  - email: tom.becker@acme.test
    name: Thomas Becker From File
  - email: file.only@acme.test
    name: File Only
groups:
  - key: engineering
    name: Engineering (file)
    members: [file.only@acme.test]
policies: []
resources: []
separationOfDuties: []
`;

const oktaUser = (login: string, given: string, family: string, extension: Record<string, unknown> = {}) => ({
  schemas: [USER, ENTERPRISE],
  userName: login,
  name: { givenName: given, familyName: family },
  emails: [{ primary: true, value: login, type: 'work' }],
  displayName: `${given} ${family}`,
  locale: 'en-US',
  externalId: `00u${given.toLowerCase()}`,
  groups: [],
  password: 'never-stored-1',
  active: true,
  [ENTERPRISE]: extension,
});

describe('SCIM: an Okta session', () => {
  let database: TestDatabase;
  let api: TestApi;
  let okta: ScimClient;
  const ids: Record<string, string> = {};
  const person = async (id: string) =>
    (await database.owner.db.select().from(people).where(eq(people.id, id)))[0];

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApi(database);
    const admin = await personWithToken(database.runtime.db, { email: 'admin@acme.test' }, 'admin');
    okta = scimClient(api.app, await connectionToken(api.app, admin.token, 'okta'));
  });
  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  it('looks each user up by userName, finds none, and creates them with manager and department', async () => {
    for (const [key, login] of [
      ['hannah', 'Hannah.Kim@acme.test'],
      ['tom', 'tom.becker@acme.test'],
    ] as const) {
      const lookup = await okta.get(`/Users?${filter(`userName eq "${login}"`)}&startIndex=1&count=100`);
      expect(lookup.status).toBe(200);
      expect(lookup.body).toMatchObject({ totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
      const [given, family] = key === 'hannah' ? ['Hannah', 'Kim'] : ['Tom', 'Becker'];
      const extension =
        key === 'hannah'
          ? { department: 'Engineering', employeeNumber: '1001' }
          : { department: 'Engineering', employeeNumber: '1002', manager: { value: ids.hannah } };
      const created = await okta.post('/Users', oktaUser(login, given, family, extension));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(created.headers.location).toBe(`http://localhost:80/scim/v2/Users/${created.body.id}`);
      ids[key] = created.body.id;
    }

    expect(await person(ids.tom as string)).toMatchObject({
      email: 'tom.becker@acme.test',
      name: 'Tom Becker',
      status: 'active',
      source: 'scim:okta',
      externalId: '00utom',
      employeeNumber: '1002',
      department: 'Engineering',
      managerId: ids.hannah,
    });
    expect((await person(ids.hannah as string))?.email).toBe('hannah.kim@acme.test');
    const found = await okta.get(`/Users?${filter('userName eq "hannah.kim@acme.test"')}`);
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0]).toMatchObject({
      id: ids.hannah,
      userName: 'hannah.kim@acme.test',
      active: true,
    });
    expect(found.body.Resources[0]).not.toHaveProperty('password');

    const created = await ledgerEvents(database.owner.sql, 'identity.person.created');
    expect(created.map((e) => e.target.name)).toEqual(['hannah.kim@acme.test', 'tom.becker@acme.test']);
    expect(created[1]).toMatchObject({
      actor: { type: 'scim', id: 'okta' },
      result: 'success',
      details: {
        before: null,
        after: { managerId: ids.hannah, department: 'Engineering', source: 'scim:okta' },
      },
    });
  });

  it('takes over a person the directory file had, on the PUT that links them', async () => {
    const [mia] = await database.runtime.db
      .insert(people)
      .values({ email: 'mia@acme.test', name: 'Mia File', department: 'Sales' })
      .returning();
    const lookup = await okta.get(`/Users?${filter('userName eq "mia@acme.test"')}&startIndex=1&count=100`);
    expect(lookup.body.Resources.map((u: { id: string }) => u.id)).toEqual([mia?.id]);

    const put = await okta.put(
      `/Users/${mia?.id}`,
      oktaUser('mia@acme.test', 'Mia', 'Manager', { department: 'Engineering' }),
    );
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      displayName: 'Mia Manager',
      [ENTERPRISE]: { department: 'Engineering' },
    });
    ids.mia = mia?.id as string;
    expect(await person(ids.mia)).toMatchObject({ source: 'scim:okta', name: 'Mia Manager' });
    const [takeover] = await ledgerEvents(database.owner.sql, 'identity.person.updated');
    expect(takeover).toMatchObject({
      action: 'take_over',
      target: { id: ids.mia },
      details: {
        took_over_from: 'file',
        before: { source: 'file', name: 'Mia File', department: 'Sales', externalId: null },
        after: { source: 'scim:okta', name: 'Mia Manager', department: 'Engineering', externalId: '00umia' },
      },
    });
  });

  it('pushes a group, adds and removes members by PATCH, and renames it without a path', async () => {
    expect((await okta.get(`/Groups?${filter('displayName eq "Engineering"')}`)).body.totalResults).toBe(0);
    const created = await okta.post('/Groups', { schemas: [GROUP], displayName: 'Engineering', members: [] });
    expect(created.status).toBe(201);
    const groupId = created.body.id as string;

    const add = await okta.patch(`/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [
        {
          op: 'add',
          path: 'members',
          value: [
            { value: ids.hannah, display: 'hannah.kim@acme.test' },
            { value: ids.tom, display: 'tom.becker@acme.test' },
          ],
        },
      ],
    });
    expect(add.status).toBe(204);
    const members = async () =>
      (await database.owner.db.select().from(groupMembers).where(eq(groupMembers.groupId, groupId)))
        .map((m) => m.personId)
        .sort();
    expect(await members()).toEqual([ids.hannah, ids.tom].sort());

    const remove = await okta.patch(`/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: `members[value eq "${ids.tom}"]` }],
    });
    expect(remove.status).toBe(204);
    expect(await members()).toEqual([ids.hannah]);

    const rename = await okta.patch(`/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { id: groupId, displayName: 'Platform Engineering' } }],
    });
    expect(rename.status).toBe(204);
    const [row] = await database.owner.db.select().from(groups).where(eq(groups.id, groupId));
    expect(row).toMatchObject({ key: 'engineering', name: 'Platform Engineering', source: 'scim:okta' });

    const read = await okta.get(`/Groups/${groupId}`);
    expect(read.body.members).toEqual([
      {
        value: ids.hannah,
        display: 'Hannah Kim',
        type: 'User',
        $ref: `http://localhost:80/scim/v2/Users/${ids.hannah}`,
      },
    ]);
    const changes = await ledgerEvents(database.owner.sql, 'identity.group.');
    expect(changes.map((e) => e.event_type)).toEqual([
      'identity.group.created',
      'identity.group.members_changed',
      'identity.group.members_changed',
      'identity.group.updated',
    ]);
    expect(changes[1]?.details?.added.map((m: { email: string }) => m.email).sort()).toEqual([
      'hannah.kim@acme.test',
      'tom.becker@acme.test',
    ]);
    expect(changes[2]?.details).toEqual({
      added: [],
      removed: [{ id: ids.tom, email: 'tom.becker@acme.test' }],
    });
    expect(changes[3]?.details).toEqual({
      before: { name: 'Engineering' },
      after: { name: 'Platform Engineering' },
    });
  });

  it("changes Tom's manager with a full PUT, as Okta pushes profile updates", async () => {
    const current = (await okta.get(`/Users/${ids.tom}`)).body;
    const put = await okta.put(`/Users/${ids.tom}`, {
      ...current,
      [ENTERPRISE]: { ...current[ENTERPRISE], manager: { value: ids.mia } },
    });
    expect(put.status).toBe(200);
    expect((await person(ids.tom as string))?.managerId).toBe(ids.mia);
    const updated = (await ledgerEvents(database.owner.sql, 'identity.person.updated')).at(-1);
    expect(updated).toMatchObject({
      action: 'update',
      target: { id: ids.tom },
      details: { before: { managerId: ids.hannah }, after: { managerId: ids.mia } },
    });
  });

  it('deactivates with a path-less replace, keeps the user readable, and reactivates', async () => {
    const deactivate = await okta.patch(`/Users/${ids.tom}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(deactivate.status).toBe(200);
    expect(deactivate.body.active).toBe(false);
    const tom = await person(ids.tom as string);
    expect(tom?.status).toBe('inactive');
    expect(tom?.deactivatedAt).toBeInstanceOf(Date);
    const [event] = await ledgerEvents(database.owner.sql, 'identity.person.deactivated');
    expect(event).toMatchObject({
      actor: { type: 'scim', id: 'okta' },
      details: { before: { status: 'active' }, after: { status: 'inactive' } },
    });

    const reactivate = await okta.patch(`/Users/${ids.tom}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: true } }],
    });
    expect(reactivate.body.active).toBe(true);
    expect(await ledgerEvents(database.owner.sql, 'identity.person.reactivated')).toHaveLength(1);
  });

  it('DELETE deactivates (204); the user stays readable with active false', async () => {
    expect((await okta.delete(`/Users/${ids.tom}`)).status).toBe(204);
    const read = await okta.get(`/Users/${ids.tom}`);
    expect(read.status).toBe(200);
    expect(read.body.active).toBe(false);
    expect((await person(ids.tom as string))?.status).toBe('inactive');
    const [deleted] = await ledgerEvents(database.owner.sql, 'identity.person.deleted');
    expect(deleted).toMatchObject({
      details: { before: { status: 'active' }, after: { status: 'inactive' } },
    });
  });

  it('a directory file import leaves SCIM-managed people and groups as they are, and says so', async () => {
    const report = await importDirectory(database.runtime.db, parseDirectorySource(OVERLAP, 'overlap.yaml'), {
      actor: 'test',
    });
    expect(report.managedElsewhere).toEqual([
      { key: 'tom.becker@acme.test', source: 'scim:okta' },
      { key: 'group engineering', source: 'scim:okta' },
    ]);
    // Only the file's own person missing from it is deactivated; Hannah and Mia (Okta's) are not.
    expect(report.people.deactivated).toEqual(['admin@acme.test']);
    expect(formatImportReport(report)).toContain(
      'managed by scim:okta, left as is: 2 (tom.becker@acme.test, group engineering)',
    );
    expect(await person(ids.tom as string)).toMatchObject({ name: 'Tom Becker', status: 'inactive' });
    expect(await person(ids.hannah as string)).toMatchObject({ status: 'active', source: 'scim:okta' });
    const [row] = await database.owner.db.select().from(groups).where(eq(groups.key, 'engineering'));
    expect(row?.name).toBe('Platform Engineering');
  });
});
