// A Microsoft Entra ID provisioning session replayed against the real API and PostgreSQL, in Entra's
// dialect (its SCIM endpoint tutorial): capitalised ops ("Add", "Replace", "Remove"), string booleans
// ("False"), the manager PATCHed as a bare id, `emails[type eq "work"].value` paths, member removal as
// `"path":"members"` with a value list, `excludedAttributes=members`, and the `id eq … and members eq …`
// membership check.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupMembers, groups, people } from '../../db/schema.js';
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

const entraUser = (upn: string, given: string, family: string, department: string) => ({
  schemas: [USER, ENTERPRISE],
  externalId: given.toLowerCase(),
  userName: upn,
  active: true,
  emails: [{ primary: true, type: 'work', value: upn }],
  meta: { resourceType: 'User' },
  name: { formatted: `${given} ${family}`, familyName: family, givenName: given },
  roles: [],
  [ENTERPRISE]: { department, employeeNumber: `E-${given}` },
});

const ops = (...Operations: Record<string, unknown>[]) => ({ schemas: [PATCH_OP], Operations });

describe('SCIM: a Microsoft Entra ID session', () => {
  let database: TestDatabase;
  let api: TestApi;
  let entra: ScimClient;
  const ids: Record<string, string> = {};
  let groupId = '';
  let entraToken = '';
  const person = async (id: string | undefined) =>
    (
      await database.owner.db
        .select()
        .from(people)
        .where(eq(people.id, id as string))
    )[0];

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApi(database);
    const admin = await personWithToken(database.runtime.db, { email: 'admin@contoso.test' }, 'admin');
    entraToken = await connectionToken(api.app, admin.token, 'entra');
    entra = scimClient(api.app, entraToken);
  });
  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  it('queries by userName and externalId before creating each user', async () => {
    for (const [given, family, department] of [
      ['Grace', 'Hopper', 'Research'],
      ['Ada', 'Lovelace', 'Research'],
      ['Alan', 'Turing', 'Security'],
    ] as const) {
      const upn = `${given.toLowerCase()}@contoso.test`;
      expect((await entra.get(`/Users?${filter(`userName eq "${upn}"`)}`)).body.totalResults).toBe(0);
      const created = await entra.post('/Users', entraUser(upn, given, family, department));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      ids[given.toLowerCase()] = created.body.id;
    }
    const byExternalId = await entra.get(`/Users?${filter('externalId eq "ada" and active eq true')}`);
    expect(byExternalId.body.Resources.map((u: { id: string }) => u.id)).toEqual([ids.ada]);
    const byWorkEmail = await entra.get(
      `/Users?${filter('emails[type eq "work"].value eq "ADA@contoso.test"')}`,
    );
    expect(byWorkEmail.body.totalResults).toBe(1);
    expect(await person(ids.ada)).toMatchObject({
      source: 'scim:entra',
      department: 'Research',
      employeeNumber: 'E-Ada',
    });
    const count = async (expression: string) =>
      (await entra.get(`/Users?${filter(expression)}&count=0`)).body.totalResults;
    expect(await count('userName sw "GRA"')).toBe(1);
    // Four people: the admin (from the file) and Entra's three.
    expect(await count('userName ew "@contoso.test" and not (userName co "ada")')).toBe(3);
    expect(await count(`title pr or ${ENTERPRISE}:department eq "security"`)).toBe(1);
    expect(await count('meta.lastModified gt "2000-01-01T00:00:00Z"')).toBe(4);
    const page = await entra.get('/Users?startIndex=3&count=1');
    expect(page.body).toMatchObject({ totalResults: 4, startIndex: 3, itemsPerPage: 1 });
    expect(page.body.Resources[0].id).toBe(ids.ada);
  });

  it('PATCHes the manager as a bare id with "Add", then changes it with "Replace"', async () => {
    const managerPath = `${ENTERPRISE}:manager`;
    const add = await entra.patch(
      `/Users/${ids.ada}`,
      ops({ op: 'Add', path: managerPath, value: ids.grace }),
    );
    expect(add.status, JSON.stringify(add.body)).toBe(200);
    expect(add.body[ENTERPRISE].manager.value).toBe(ids.grace);
    const replace = await entra.patch(
      `/Users/${ids.ada}`,
      ops({ op: 'Replace', path: managerPath, value: ids.alan }),
    );
    expect(replace.status).toBe(200);
    expect((await person(ids.ada))?.managerId).toBe(ids.alan);

    const updates = (await ledgerEvents(database.owner.sql, 'identity.person.updated')).filter(
      (e) => e.target.id === ids.ada,
    );
    expect(updates.map((e) => e.details)).toEqual([
      { before: { managerId: null }, after: { managerId: ids.grace } },
      { before: { managerId: ids.grace }, after: { managerId: ids.alan } },
    ]);
  });

  it('applies several capitalised operations at once: name parts, work email path, department', async () => {
    const patched = await entra.patch(
      `/Users/${ids.ada}`,
      ops(
        { op: 'Replace', path: 'name.familyName', value: 'Byron' },
        { op: 'Add', path: 'emails[type eq "work"].value', value: 'ada@contoso.test' },
        { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Analytical Engines' },
        { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '+1 555 0100' },
      ),
    );
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(await person(ids.ada)).toMatchObject({ name: 'Ada Byron', department: 'Analytical Engines' });
    expect(patched.body).not.toHaveProperty('phoneNumbers');
    const last = (await ledgerEvents(database.owner.sql, 'identity.person.updated')).at(-1);
    expect(last?.details).toEqual({
      before: { name: 'Ada Lovelace', department: 'Research' },
      after: { name: 'Ada Byron', department: 'Analytical Engines' },
    });
  });

  it('creates a group, reads it without members, adds members and removes one by value list', async () => {
    const lookup = await entra.get(
      `/Groups?excludedAttributes=members&${filter('displayName eq "Research"')}`,
    );
    expect(lookup.body.totalResults).toBe(0);
    const created = await entra.post('/Groups', {
      schemas: [GROUP],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'Research',
      members: [],
      meta: { resourceType: 'Group' },
    });
    expect(created.status).toBe(201);
    groupId = created.body.id;

    const add = await entra.patch(
      `/Groups/${groupId}`,
      ops({
        op: 'Add',
        path: 'members',
        value: [
          { $ref: null, value: ids.ada },
          { $ref: null, value: ids.grace },
        ],
      }),
    );
    expect(add.status).toBe(204);
    const slim = await entra.get(`/Groups/${groupId}?excludedAttributes=members`);
    expect(slim.body).toMatchObject({ id: groupId, displayName: 'Research' });
    expect(slim.body).not.toHaveProperty('members');

    const isMember = (userId: string) =>
      entra.get(
        `/Groups?excludedAttributes=members&${filter(`id eq "${groupId}" and members eq "${userId}"`)}`,
      );
    expect((await isMember(ids.grace as string)).body.totalResults).toBe(1);

    const remove = await entra.patch(
      `/Groups/${groupId}`,
      ops({ op: 'Remove', path: 'members', value: [{ $ref: null, value: ids.grace }] }),
    );
    expect(remove.status).toBe(204);
    expect((await isMember(ids.grace as string)).body.totalResults).toBe(0);
    const rows = await database.owner.db.select().from(groupMembers).where(eq(groupMembers.groupId, groupId));
    expect(rows.map((r) => r.personId)).toEqual([ids.ada]);

    const rename = await entra.patch(
      `/Groups/${groupId}`,
      ops({ op: 'Replace', path: 'displayName', value: 'R&D' }),
    );
    expect(rename.status).toBe(204);
    const [group] = await database.owner.db.select().from(groups).where(eq(groups.id, groupId));
    expect(group).toMatchObject({
      key: 'research',
      name: 'R&D',
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
    });

    const events = await ledgerEvents(database.owner.sql, 'identity.group.members_changed');
    expect(events.map((e) => e.details)).toEqual([
      {
        added: expect.arrayContaining([
          { id: ids.ada, email: 'ada@contoso.test' },
          { id: ids.grace, email: 'grace@contoso.test' },
        ]),
        removed: [],
      },
      { added: [], removed: [{ id: ids.grace, email: 'grace@contoso.test' }] },
    ]);
  });

  it('disables with Replace active "False" (a string), as Entra does on unassignment', async () => {
    const disable = await entra.patch(
      `/Users/${ids.grace}`,
      ops({ op: 'Replace', path: 'active', value: 'False' }),
    );
    expect(disable.status).toBe(200);
    expect(disable.body.active).toBe(false);
    const grace = await person(ids.grace);
    expect(grace?.status).toBe('inactive');
    expect(grace?.deactivatedAt).toBeInstanceOf(Date);
    const lookup = await entra.get(`/Users?${filter('userName eq "grace@contoso.test"')}`);
    expect(lookup.body.Resources[0].active).toBe(false);
    const [event] = await ledgerEvents(database.owner.sql, 'identity.person.deactivated');
    expect(event).toMatchObject({
      actor: { type: 'scim', id: 'entra' },
      target: { id: ids.grace, name: 'grace@contoso.test' },
      details: { before: { status: 'active' }, after: { status: 'inactive' } },
    });
  });

  it('accepts application/json as well, and the later hard DELETE keeps the person inactive', async () => {
    const json = scimClient(api.app, entraToken, 'application/json');
    const patched = await json.patch(
      `/Users/${ids.alan}`,
      ops({ op: 'Replace', path: 'title', value: 'Cryptanalyst' }),
    );
    expect(patched.body.title).toBe('Cryptanalyst');

    expect((await entra.delete(`/Users/${ids.grace}`)).status).toBe(204);
    expect((await person(ids.grace))?.status).toBe('inactive');
    const [deleted] = await ledgerEvents(database.owner.sql, 'identity.person.deleted');
    expect(deleted).toMatchObject({ target: { id: ids.grace }, action: 'delete' });

    expect((await entra.delete(`/Groups/${groupId}`)).status).toBe(204);
    expect((await entra.get(`/Groups/${groupId}`)).status).toBe(404);
    const [gone] = await ledgerEvents(database.owner.sql, 'identity.group.deleted');
    expect(gone?.details?.before).toMatchObject({
      name: 'R&D',
      members: [{ id: ids.ada, email: 'ada@contoso.test' }],
    });
  });
});
