// The identity lifecycle as each IdP drives it, against four real targets: PostgreSQL, MariaDB,
// OpenLDAP and a SaaS app that speaks SCIM (a SCIMMY server). An Okta session and an Entra session each push people and a group; an admin then adds
// the employee by hand at every target (access nobody granted); reconciliation finds the four
// orphans and adopts them as grants; the IdP changes the employee's manager (a mover review for the
// new manager appears); and the IdP deactivates them: the leaver removes every grant at every
// target, reads each removal back, deactivates their account at the SaaS app, within the SLA, and
// the ledger has it.
import { randomBytes } from 'node:crypto';
import { Attribute, Change, type Client } from 'ldapts';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUserFor } from '../../connectors/index.js';
import { waitUntil } from '../../core/net.js';
import { importDirectory } from '../../directory/import.js';
import { parseDirectorySource } from '../../directory/parse.js';
import { startImportedGrantLifetimes } from '../../grants/start-lifetimes.js';
import { leaverWorkflowId, moverWorkflowId } from '../../workflows/ids.js';
import type { LeaverResult, MoverResult } from '../../workflows/messages.js';
import { bearer } from '../helpers/api.js';
import { QUICK_RETRY, useRequestStack } from '../helpers/requests.js';
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
import { type ScimTarget, startScimTarget } from '../helpers/scim-target.js';
import {
  LDAP_PEOPLE_DN,
  LDAP_PLACEHOLDER_MEMBER,
  LDAP_SERVICE,
  type Slapd,
  startSlapd,
} from '../helpers/slapd.js';
import { step } from '../helpers/steps.js';

const MYSQL_URL = process.env.GRANTFLOW_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const suffix = randomBytes(3).toString('hex');
const MYSQL_ROLE = `payroll_read_${suffix}`;
const MYSQL_CONNECTOR = `gf_conn_${suffix}`;
const MYSQL_PASSWORD = 'lifecycle_test_password';
/** The connector's own MariaDB account, with no database: it reads mysql.roles_mapping by name. */
function connectorUrl(): string {
  const url = new URL(MYSQL_URL);
  url.username = MYSQL_CONNECTOR;
  url.password = MYSQL_PASSWORD;
  url.pathname = '';
  return url.toString();
}
const SAAS_GROUP = `Finance app ${suffix}`;
const LDAP_GROUP = `cn=finance-${suffix},ou=groups,dc=example,dc=test`;

/** How each IdP says the same things (from their published SCIM docs). */
type Dialect = {
  name: 'okta' | 'entra';
  contentType: string;
  user(email: string, given: string, family: string, extension: Record<string, unknown>): object;
  pushGroup(scim: ScimClient, name: string, memberIds: string[]): Promise<string>;
  changeManager(scim: ScimClient, id: string, managerId: string): Promise<number>;
  deactivate(scim: ScimClient, id: string): Promise<number>;
};

const ops = (...operations: object[]) => ({ schemas: [PATCH_OP], Operations: operations });

const OKTA: Dialect = {
  name: 'okta',
  contentType: 'application/scim+json',
  user: (email, given, family, extension) => ({
    schemas: [USER, ENTERPRISE],
    userName: email,
    name: { givenName: given, familyName: family },
    emails: [{ primary: true, value: email, type: 'work' }],
    displayName: `${given} ${family}`,
    locale: 'en-US',
    externalId: `00u${randomBytes(4).toString('hex')}`,
    groups: [],
    password: 'never-stored-1',
    active: true,
    [ENTERPRISE]: extension,
  }),
  // Okta creates a pushed group with its members in the POST.
  async pushGroup(scim, name, memberIds) {
    const created = await scim.post('/Groups', {
      schemas: [GROUP],
      displayName: name,
      members: memberIds.map((value) => ({ value })),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id;
  },
  // Okta pushes a profile update as a full PUT of the user it read.
  async changeManager(scim, id, managerId) {
    const current = (await scim.get(`/Users/${id}`)).body;
    return (
      await scim.put(`/Users/${id}`, {
        ...current,
        [ENTERPRISE]: { ...current[ENTERPRISE], manager: { value: managerId } },
      })
    ).status;
  },
  async deactivate(scim, id) {
    return (await scim.patch(`/Users/${id}`, ops({ op: 'replace', value: { active: false } }))).status;
  },
};

const ENTRA: Dialect = {
  name: 'entra',
  contentType: 'application/json',
  user: (email, given, family, extension) => ({
    schemas: [USER, ENTERPRISE],
    externalId: randomBytes(8).toString('hex'),
    userName: email,
    active: true,
    displayName: `${given} ${family}`,
    emails: [{ primary: true, type: 'work', value: email }],
    name: { formatted: `${given} ${family}`, familyName: family, givenName: given },
    [ENTERPRISE]: extension,
  }),
  // Entra creates the group empty, then adds the members with a capitalised "Add".
  async pushGroup(scim, name, memberIds) {
    const created = await scim.post('/Groups', {
      schemas: [GROUP],
      externalId: randomBytes(8).toString('hex'),
      displayName: name,
      members: [],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const added = await scim.patch(
      `/Groups/${created.body.id}`,
      ops({ op: 'Add', path: 'members', value: memberIds.map((value) => ({ value })) }),
    );
    expect(added.status, JSON.stringify(added.body)).toBeLessThan(300);
    return created.body.id;
  },
  // Entra sends the manager as a bare id on the extension's path.
  async changeManager(scim, id, managerId) {
    return (
      await scim.patch(
        `/Users/${id}`,
        ops({ op: 'Replace', path: `${ENTERPRISE}:manager`, value: managerId }),
      )
    ).status;
  },
  // Entra disables with the string "False".
  async deactivate(scim, id) {
    return (await scim.patch(`/Users/${id}`, ops({ op: 'Replace', path: 'active', value: 'False' }))).status;
  },
};

describe('identity lifecycle across postgres, MariaDB, OpenLDAP and a SCIM app, driven by each IdP', () => {
  const fixture = useRequestStack();
  let slapd: Slapd;
  let ldap: Client;
  let maria: mysql.Connection;
  let saas: ScimTarget;
  const mysqlUsers: string[] = [];

  beforeAll(async () => {
    const { stack, database } = fixture;
    saas = await startScimTarget();
    saas.addGroup(SAAS_GROUP);
    slapd = await startSlapd();
    ldap = await slapd.admin();
    await ldap.add(LDAP_GROUP, {
      objectClass: 'groupOfNames',
      cn: `finance-${suffix}`,
      member: LDAP_PLACEHOLDER_MEMBER,
    });

    maria = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 5_000 });
    await maria.query('create user ?@? identified by ?', [MYSQL_CONNECTOR, '%', MYSQL_PASSWORD]);
    await maria.query('grant select on mysql.roles_mapping to ?@?', [MYSQL_CONNECTOR, '%']);
    await maria.query('create role ?? with admin ?@?', [MYSQL_ROLE, MYSQL_CONNECTOR, '%']);

    Object.assign(stack.connectorEnv, {
      PAYROLL_DB_URL: connectorUrl(),
      HR_LDAP_URL: slapd.url,
      HR_LDAP_BIND_DN: LDAP_SERVICE.dn,
      HR_LDAP_BIND_PASSWORD: LDAP_SERVICE.password,
      SAAS_SCIM_URL: saas.url,
      SAAS_SCIM_TOKEN: saas.token,
    });
    // Every resource adopts what it finds held without a grant, so the first campaign covers reality.
    const adopt = '    reconcile: { onOrphan: adopt }\n';
    const entitlement = (target: string) =>
      `    entitlements:\n      - { key: read, name: read, risk: medium, maxDuration: 8h, policy: two-step, target: ${target} }\n`;
    const directory = stack.directorySource
      .replace(/(connector: \{ kind: postgres, databaseUrlEnv: [A-Z0-9_]+ \}\n)/, `$1${adopt}`)
      .replace(
        /^resources:\n/m,
        `resources:
  - key: payroll
    name: Payroll (MariaDB)
    owner: ${stack.cast.owner}
    connector: { kind: mysql, databaseUrlEnv: PAYROLL_DB_URL }
${adopt}${entitlement(`{ role: ${MYSQL_ROLE} }`)}  - key: hr
    name: HR directory (LDAP)
    owner: ${stack.cast.owner}
    connector: { kind: ldap, urlEnv: HR_LDAP_URL, bindDnEnv: HR_LDAP_BIND_DN, bindPasswordEnv: HR_LDAP_BIND_PASSWORD, usersBaseDn: "${LDAP_PEOPLE_DN}", userAttribute: mail, placeholderMemberDn: "${LDAP_PLACEHOLDER_MEMBER}" }
${adopt}${entitlement(`{ groupDn: "${LDAP_GROUP}" }`)}  - key: saas
    name: Finance app (SCIM)
    owner: ${stack.cast.owner}
    connector: { kind: scim, baseUrlEnv: SAAS_SCIM_URL, tokenEnv: SAAS_SCIM_TOKEN }
${adopt}${entitlement(`{ group: "${SAAS_GROUP}" }`)}`,
      );
    await importDirectory(database.runtime.db, parseDirectorySource(directory, 'lifecycle.yaml'), {
      actor: 'cli:test',
    });
  });

  afterAll(async () => {
    await saas?.stop();
    await ldap?.unbind();
    await slapd?.stop();
    if (!maria) return;
    await maria.query('drop role if exists ??', [MYSQL_ROLE]);
    for (const user of [MYSQL_CONNECTOR, ...mysqlUsers])
      await maria.query('drop user if exists ?@?', [user, '%']);
    await maria.end();
  });

  /** What each target holds for `email`: [postgres, mysql, ldap, saas]. */
  async function heldAt(email: string): Promise<boolean[]> {
    const { stack } = fixture;
    const pg = await stack.target`
      select 1 from pg_auth_members m join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member
      where r.rolname = ${stack.roles.read ?? ''} and u.rolname = ${stack.databaseUser(email)}`;
    const [my] = await maria.query<mysql.RowDataPacket[]>(
      'select 1 from mysql.roles_mapping where Role = ? and User = ? and Host = ?',
      [MYSQL_ROLE, databaseUserFor(email), '%'],
    );
    const { searchEntries } = await ldap.search(LDAP_GROUP, { scope: 'base', attributes: ['member'] });
    const members = [searchEntries[0]?.member ?? []].flat().map(String);
    return [
      pg.length === 1,
      my.length === 1,
      members.includes(ldapDn(email)),
      saas.members(SAAS_GROUP).includes(email),
    ];
  }
  const ldapDn = (email: string) => `uid=${email.split('@')[0]},${LDAP_PEOPLE_DN}`;

  for (const dialect of [OKTA, ENTRA]) {
    it(`${dialect.name}: joiner, orphans adopted at four targets, mover review, leaver verified within the SLA`, async () => {
      const { stack, database } = fixture;
      const sql = database.runtime.sql;
      const deps = { db: database.runtime.db, temporal: stack.api.temporal, taskQueue: stack.taskQueue };
      const email = (name: string) => `${name}.${dialect.name}.${suffix}@acme.test`;
      const people = { employee: email('erin'), manager: email('mark'), newManager: email('nora') };
      const scim = scimClient(
        stack.api.app,
        await connectionToken(stack.api.app, stack.token(stack.cast.admin), dialect.name),
        dialect.contentType,
      );

      const ids = await step(
        'the IdP looks each person up, creates them with their manager, and pushes a group',
        async () => {
          const made: Record<string, string> = {};
          for (const [key, given, managerKey] of [
            ['manager', 'Mark', undefined],
            ['newManager', 'Nora', undefined],
            ['employee', 'Erin', 'manager'],
          ] as const) {
            const login = people[key];
            const lookup = await scim.get(`/Users?${filter(`userName eq "${login}"`)}`);
            expect(lookup.body.totalResults).toBe(0);
            const extension = {
              department: 'Finance',
              ...(managerKey ? { manager: { value: made[managerKey] } } : {}),
            };
            const created = await scim.post('/Users', dialect.user(login, given, 'Lifecycle', extension));
            expect(created.status, JSON.stringify(created.body)).toBe(201);
            made[key] = created.body.id;
          }
          const groupId = await dialect.pushGroup(scim, `Finance ${dialect.name} ${suffix}`, [
            made.employee as string,
          ]);
          const [member] = await sql`
          select 1 from group_members gm join people p on p.id = gm.person_id
          where gm.group_id = ${groupId} and p.email = ${people.employee}`;
          expect(member).toBeDefined();
          return made as Record<keyof typeof people, string>;
        },
      );

      await step('an admin adds the employee by hand at each target, with no grant behind it', async () => {
        const user = databaseUserFor(people.employee);
        await stack.target.unsafe(`create role "${user}" login`);
        await stack.target.unsafe(`grant "${stack.roles.read}" to "${user}"`);
        mysqlUsers.push(user);
        await maria.query('create user ?@?', [user, '%']);
        // The role's administrator is the connector's account (so it is the role's one holder).
        const asConnector = await mysql.createConnection({ uri: connectorUrl(), connectTimeout: 5_000 });
        await asConnector.query('grant ?? to ?@?', [MYSQL_ROLE, user, '%']);
        await asConnector.end();
        await ldap.add(ldapDn(people.employee), {
          objectClass: 'inetOrgPerson',
          uid: people.employee.split('@')[0] as string,
          cn: 'Erin Lifecycle',
          sn: 'Lifecycle',
          mail: people.employee,
        });
        saas.addUser(people.employee);
        saas.addMemberByHand(SAAS_GROUP, people.employee);
        await ldap.modify(
          LDAP_GROUP,
          new Change({
            operation: 'add',
            modification: new Attribute({ type: 'member', values: [ldapDn(people.employee)] }),
          }),
        );
        expect(await heldAt(people.employee)).toEqual([true, true, true, true]);
      });

      await step('reconciliation finds the orphan at each target and adopts it as a grant', async () => {
        for (const resource of ['db', 'payroll', 'hr', 'saas']) {
          const response = await stack.api.app.inject({
            method: 'POST',
            url: '/api/v1/reconciliations',
            headers: bearer(stack.token(stack.cast.admin)),
            payload: { resource, wait: true },
          });
          expect(response.statusCode, response.body).toBe(200);
          expect(response.json(), resource).toMatchObject({ outcome: 'completed', counts: { open: 0 } });
        }
        const adopted = await sql`
          select r.key, f.resolution, g.source, g.status from findings f
          join resources r on r.id = f.resource_id join grants g on g.id = f.grant_id
          join people p on p.id = f.person_id
          where p.email = ${people.employee} and f.kind = 'orphan' order by r.key`;
        expect(adopted.map((row) => [row.key, row.resolution, row.source, row.status])).toEqual([
          ['db', 'adopted', 'reconciliation', 'active'],
          ['hr', 'adopted', 'reconciliation', 'active'],
          ['payroll', 'adopted', 'reconciliation', 'active'],
          ['saas', 'adopted', 'reconciliation', 'active'],
        ]);
        expect(await startImportedGrantLifetimes({ ...deps, provisioningRetry: QUICK_RETRY })).toBe(4);
      });

      await step('the IdP changes the manager: the new manager gets a review of all four', async () => {
        expect(await dialect.changeManager(scim, ids.employee, ids.newManager)).toBe(200);
        const [moved] = await sql`select moved_at, manager_id from people where id = ${ids.employee}`;
        expect(moved?.manager_id).toBe(ids.newManager);
        const mover: MoverResult = await stack.api.temporal.workflow
          .getHandle(moverWorkflowId(ids.employee, new Date(moved?.moved_at as Date).getTime()))
          .result();
        expect(mover).toMatchObject({ reviewed: 4, revoked: 0 });
        // The campaign's workflow snapshots its population just after the launch.
        const itemsOfCampaign = () => sql`
          select reviewer.email as reviewer, r.key from campaign_items i
          join people reviewer on reviewer.id = i.reviewer_id
          join grants g on g.id = i.grant_id join entitlements e on e.id = g.entitlement_id
          join resources r on r.id = e.resource_id
          where i.campaign_id = ${mover.campaignId ?? ''} order by r.key`;
        await waitUntil(async () => (await itemsOfCampaign()).length === 4, { timeoutMs: 20_000 });
        const items = await itemsOfCampaign();
        expect(items.map((row) => [row.reviewer, row.key])).toEqual([
          [people.newManager, 'db'],
          [people.newManager, 'hr'],
          [people.newManager, 'payroll'],
          [people.newManager, 'saas'],
        ]);
      });

      const leaver = await step(
        'the IdP deactivates the employee: the leaver removes everything, verified',
        async () => {
          expect(await dialect.deactivate(scim, ids.employee)).toBe(200);
          const [person] = await sql`select status, deactivated_at from people where id = ${ids.employee}`;
          expect(person?.status).toBe('inactive');
          const result: LeaverResult = await stack.api.temporal.workflow
            .getHandle(leaverWorkflowId(ids.employee, new Date(person?.deactivated_at as Date).getTime()))
            .result();
          expect(result).toMatchObject({
            grants: 4,
            verified: 4,
            unverified: 0,
            failed: 0,
            accounts: [{ resource: 'saas', outcome: 'done' }],
            withinSla: true,
          });
          expect(await heldAt(people.employee)).toEqual([false, false, false, false]);
          expect(saas.isActive(people.employee)).toBe(false);
          const grants = await sql`
          select g.status, g.removal_verified from grants g join people p on p.id = g.person_id
          where p.email = ${people.employee}`;
          expect(grants.map((g) => [g.status, g.removal_verified])).toEqual([
            ['revoked', true],
            ['revoked', true],
            ['revoked', true],
            ['revoked', true],
          ]);
          return result;
        },
      );

      await step(
        'the ledger: the deactivation by this connection, the leaver completed with its time',
        async () => {
          const deactivated = (await ledgerEvents(database.owner.sql, 'identity.person.deactivated')).filter(
            (e) => e.target.id === ids.employee,
          );
          expect(deactivated).toEqual([
            expect.objectContaining({ actor: { type: 'scim', id: dialect.name } }),
          ]);
          const completed = (await ledgerEvents(database.owner.sql, 'identity.leaver.completed')).filter(
            (e) => e.target.id === ids.employee,
          );
          expect(completed).toHaveLength(1);
          expect(completed[0]?.details).toMatchObject({
            grants: 4,
            verified: 4,
            secondsToRemoval: leaver.secondsToRemoval,
          });
        },
      );
    }, 120_000);
  }
});
