import { createServer, type Socket } from 'node:net';
import type { Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Connector,
  type Connectors,
  createConnectors,
  type ListedEntitlement,
  type ProvisionInput,
  type TargetHolding,
} from '../../connectors/index.js';
import { findFreePort } from '../../core/net.js';
import { connectorFailure } from '../helpers/connectors.js';
import {
  LDAP_GROUPS,
  LDAP_GROUPS_DN,
  LDAP_PEOPLE,
  LDAP_PEOPLE_DN,
  LDAP_PLACEHOLDER_MEMBER,
  LDAP_SERVICE,
  type Slapd,
  startSlapd,
} from '../helpers/slapd.js';

const [dana, sam, lee, ana] = LDAP_PEOPLE as [
  (typeof LDAP_PEOPLE)[number],
  (typeof LDAP_PEOPLE)[number],
  (typeof LDAP_PEOPLE)[number],
  (typeof LDAP_PEOPLE)[number],
];

const inputFor = (person: { mail: string; name: string }, groupDn: string): ProvisionInput => ({
  grantId: `grant-${person.mail}-${groupDn}`,
  person: { email: person.mail, name: person.name },
  resourceKey: 'hr-directory',
  entitlementKey: 'payroll_admin',
  target: { groupDn },
});

async function listAll(connector: Connector, entitlements: ListedEntitlement[], limit: number) {
  const pages: TargetHolding[][] = [];
  let cursor: string | undefined;
  do {
    const page = await (connector.listAccess as NonNullable<Connector['listAccess']>)(entitlements, {
      cursor,
      limit,
    });
    pages.push(page.holdings);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 50);
  return pages;
}

describe('ldap connector', () => {
  let slapd: Slapd;
  let admin: Client;
  let connectors: Connectors;
  let groupCount = 0;

  type Overrides = { urlEnv?: string; bindDnEnv?: string; bindPasswordEnv?: string };

  /** The resource's connector block; `placeholder: null` is a deployment that configures none. */
  const ldapConfig = (overrides: Overrides = {}, placeholder: string | null = LDAP_PLACEHOLDER_MEMBER) => ({
    kind: 'ldap' as const,
    urlEnv: overrides.urlEnv ?? 'LDAP_URL',
    bindDnEnv: overrides.bindDnEnv ?? 'LDAP_BIND_DN',
    bindPasswordEnv: overrides.bindPasswordEnv ?? 'LDAP_BIND_PASSWORD',
    usersBaseDn: LDAP_PEOPLE_DN,
    userAttribute: 'mail',
    ...(placeholder === null ? {} : { placeholderMemberDn: placeholder }),
  });

  /** The connector bound as the service account (or as `overrides` say), with a placeholder by default. */
  const connectorWith = (overrides: Overrides = {}, placeholder: string | null = LDAP_PLACEHOLDER_MEMBER) =>
    connectors.forResource({ key: 'hr-directory', connector: ldapConfig(overrides, placeholder) });

  const baseEnv = () => ({
    LDAP_URL: slapd.url,
    LDAP_BIND_DN: LDAP_SERVICE.dn,
    LDAP_BIND_PASSWORD: LDAP_SERVICE.password,
  });

  /** A fresh group of this test's own, holding `members` (the placeholder when none). */
  const createGroup = async (members: string[] = [LDAP_PLACEHOLDER_MEMBER]): Promise<string> => {
    groupCount += 1;
    const cn = `test-group-${groupCount}`;
    const dn = `cn=${cn},${LDAP_GROUPS_DN}`;
    await admin.add(dn, { objectClass: 'groupOfNames', cn, member: members });
    return dn;
  };

  const membersOf = async (groupDn: string): Promise<string[]> => {
    const { searchEntries } = await admin.search(groupDn, { scope: 'base', attributes: ['member'] });
    const member = searchEntries[0]?.member ?? [];
    return (Array.isArray(member) ? member : [member]).map(String).sort();
  };

  beforeAll(async () => {
    slapd = await startSlapd();
    admin = await slapd.admin();
    connectors = createConnectors({
      ...baseEnv(),
      LDAP_WRONG_PASSWORD: 'not-the-password',
      LDAP_PERSON_DN: dana.dn,
      LDAP_PERSON_PASSWORD: dana.password,
      LDAP_DOWN_URL: `ldap://127.0.0.1:${await findFreePort()}`,
    });
  });

  afterAll(async () => {
    await connectors?.close();
    await admin?.unbind();
    await slapd?.stop();
  });

  it('grants, reads back, repeats safely, revokes and repeats safely', async () => {
    const group = await createGroup();
    const connector = connectorWith();
    const input = inputFor(dana, group);

    expect(await connector.check?.(input)).toBe('absent');
    expect(await connector.grant(input)).toMatchObject({ outcome: 'done' });
    expect(await connector.check?.(input)).toBe('present');
    expect(await membersOf(group)).toEqual([LDAP_PLACEHOLDER_MEMBER, dana.dn].sort());

    expect(await connector.grant(input)).toMatchObject({ outcome: 'already' });
    expect(await membersOf(group)).toHaveLength(2);

    expect(await connector.revoke(input)).toMatchObject({ outcome: 'done' });
    expect(await connector.check?.(input)).toBe('absent');
    expect(await membersOf(group)).toEqual([LDAP_PLACEHOLDER_MEMBER]);

    expect(await connector.revoke(input)).toMatchObject({ outcome: 'already' });
  });

  it('finds the person whatever the case of their email, and names accounts by lower-cased email', async () => {
    const group = await createGroup();
    const connector = connectorWith();
    const shouting = { ...inputFor(sam, group), person: { email: sam.mail.toUpperCase(), name: sam.name } };

    expect(await connector.grant(shouting)).toMatchObject({ outcome: 'done' });
    expect(await connector.check?.(inputFor(sam, group))).toBe('present');
    expect(connector.accountOf?.(shouting.person)).toBe(sam.mail);
    const [page] = await listAll(
      connector,
      [{ entitlementKey: 'payroll_admin', target: { groupDn: group } }],
      10,
    );
    expect(page).toEqual([{ entitlementKey: 'payroll_admin', account: sam.mail }]);
  });

  it('lists every holder a page at a time, in a stable order, as the emails accountOf derives', async () => {
    const payroll = await createGroup();
    const connector = connectorWith();
    for (const person of [sam, dana, ana]) await connector.grant(inputFor(person, payroll));
    const entitlements: ListedEntitlement[] = [
      { entitlementKey: 'payroll_admin', target: { groupDn: payroll } },
      // The base tree's group, which also holds Lee Chen.
      { entitlementKey: 'finance_read', target: { groupDn: LDAP_GROUPS.financeReaders } },
    ];

    const pages = await listAll(connector, entitlements, 1);

    // Entitlements in key order, members in DN order; the placeholder is nobody's access.
    expect(pages).toEqual([
      [{ entitlementKey: 'finance_read', account: lee.mail }],
      [{ entitlementKey: 'payroll_admin', account: ana.mail }],
      [{ entitlementKey: 'payroll_admin', account: dana.mail }],
      [{ entitlementKey: 'payroll_admin', account: sam.mail }],
    ]);
    expect(await listAll(connector, entitlements, 100)).toEqual([pages.flat()]);
    for (const person of [lee, ana, dana, sam]) {
      expect(pages.flat().map((h) => h.account)).toContain(
        connector.accountOf?.({ email: person.mail, name: person.name }),
      );
    }
  });

  it('neither skips nor repeats a holder when membership changes between pages', async () => {
    const group = await createGroup();
    const connector = connectorWith();
    for (const person of [ana, dana, lee, sam]) await connector.grant(inputFor(person, group));
    const entitlements = [{ entitlementKey: 'payroll_admin', target: { groupDn: group } }];
    const list = connector.listAccess as NonNullable<Connector['listAccess']>;

    const first = await list(entitlements, { limit: 2 });
    expect(first.holdings.map((h) => h.account)).toEqual([ana.mail, dana.mail]);
    // Someone already listed leaves: the rest must still come, each once.
    await connector.revoke(inputFor(ana, group));
    const second = await list(entitlements, { cursor: first.nextCursor, limit: 2 });

    expect(second.holdings.map((h) => h.account)).toEqual([lee.mail, sam.mail]);
    expect(second.nextCursor).toBeUndefined();
  });

  it('reports members that are nobody in the people base by their DN, without hiding them', async () => {
    const outsider = `cn=contractor,ou=services,dc=example,dc=test`;
    const gone = `uid=former.employee,${LDAP_PEOPLE_DN}`;
    const group = await createGroup([LDAP_PLACEHOLDER_MEMBER, outsider, gone, lee.dn]);
    const entitlements = [{ entitlementKey: 'payroll_admin', target: { groupDn: group } }];

    const [withPlaceholder] = await listAll(connectorWith(), entitlements, 10);
    expect(withPlaceholder?.map((h) => h.account).sort()).toEqual([outsider, gone, lee.mail].sort());

    // A deployment that configures no placeholder sees it like any other stranger.
    const [without] = await listAll(connectorWith({}, null), entitlements, 10);
    expect(without?.map((h) => h.account)).toContain(LDAP_PLACEHOLDER_MEMBER);
  });

  it('keeps a group non-empty: swaps in the placeholder for the last member, or refuses without one', async () => {
    const group = await createGroup([lee.dn]);

    const refused = await connectorFailure(connectorWith({}, null).revoke(inputFor(lee, group)));
    expect(refused).toMatchObject({ code: 'connector_rejected', retryable: false });
    expect(refused.message).toContain('last member');
    expect(await membersOf(group)).toEqual([lee.dn]);

    expect(await connectorWith().revoke(inputFor(lee, group))).toMatchObject({ outcome: 'done' });
    expect(await membersOf(group)).toEqual([LDAP_PLACEHOLDER_MEMBER]);
    expect(await connectorWith().check?.(inputFor(lee, group))).toBe('absent');
  });

  it('refuses an unknown group and an unknown person non-retryably', async () => {
    const connector = connectorWith();
    const missingGroup = `cn=no-such-group,${LDAP_GROUPS_DN}`;

    const group = await connectorFailure(connector.grant(inputFor(dana, missingGroup)));
    expect(group).toMatchObject({ code: 'connector_unknown_role', retryable: false });
    expect(group.details).toMatchObject({ which: 'target', groupDn: missingGroup });

    const nobody = { mail: 'nobody@acme.test', name: 'Nobody' };
    const person = await connectorFailure(connector.grant(inputFor(nobody, LDAP_GROUPS.payrollAdmins)));
    expect(person).toMatchObject({ code: 'connector_unknown_role', retryable: false });
    expect(person.details).toMatchObject({ which: 'member' });

    const listed = await connectorFailure(
      (connector.listAccess as NonNullable<Connector['listAccess']>)(
        [{ entitlementKey: 'payroll_admin', target: { groupDn: missingGroup } }],
        { limit: 10 },
      ),
    );
    expect(listed).toMatchObject({ code: 'connector_unknown_role', retryable: false });

    // Nothing is held in a group that does not exist: deprovisioning is complete.
    expect(await connector.revoke(inputFor(dana, missingGroup))).toMatchObject({ outcome: 'already' });
  });

  it('matches the email exactly: filter characters in it are not a pattern', async () => {
    const connector = connectorWith();
    for (const email of ['*', `${dana.mail})(mail=*`, '*@acme.test']) {
      const error = await connectorFailure(
        connector.grant({ ...inputFor(dana, LDAP_GROUPS.payrollAdmins), person: { email, name: 'x' } }),
      );
      expect(error, email).toMatchObject({ code: 'connector_unknown_role', retryable: false });
    }
    expect(await membersOf(LDAP_GROUPS.payrollAdmins)).toEqual([LDAP_PLACEHOLDER_MEMBER]);
  });

  it('says permission denied for a wrong bind password and for an account that may not write member', async () => {
    const input = inputFor(dana, LDAP_GROUPS.payrollAdmins);

    const wrong = await connectorFailure(
      connectorWith({ bindPasswordEnv: 'LDAP_WRONG_PASSWORD' }).grant(input),
    );
    expect(wrong).toMatchObject({ code: 'connector_permission_denied', retryable: false });

    const person = connectorWith({ bindDnEnv: 'LDAP_PERSON_DN', bindPasswordEnv: 'LDAP_PERSON_PASSWORD' });
    const denied = await connectorFailure(person.grant(input));
    expect(denied).toMatchObject({ code: 'connector_permission_denied', retryable: false });
    expect(denied.message).toContain('member');
    expect(await membersOf(LDAP_GROUPS.payrollAdmins)).toEqual([LDAP_PLACEHOLDER_MEMBER]);
  });

  it('fails as misconfigured, naming the variable, when one is not set', async () => {
    const error = await connectorFailure(
      connectorWith({ bindPasswordEnv: 'LDAP_UNSET_PASSWORD' }).grant(
        inputFor(dana, LDAP_GROUPS.payrollAdmins),
      ),
    );
    expect(error).toMatchObject({ code: 'connector_misconfigured', retryable: false });
    expect(error.message).toContain('LDAP_UNSET_PASSWORD');
  });

  it('is retryably unavailable when the server accepts the connection but never answers', async () => {
    // A hung server: TCP connects, no LDAP answer ever comes.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const impatient = createConnectors(
      { ...baseEnv(), LDAP_URL: `ldap://127.0.0.1:${port}` },
      { ldapTimeoutMs: 300 },
    );
    try {
      const connector = impatient.forResource({ key: 'hr-directory', connector: ldapConfig() });
      const error = await connectorFailure(connector.grant(inputFor(dana, LDAP_GROUPS.payrollAdmins)));
      expect(error).toMatchObject({ code: 'connector_unavailable', retryable: true });
      expect(error.message).toContain('timed out');
    } finally {
      await impatient.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('is retryably unavailable when the server does not answer, for grant and for listAccess', async () => {
    const connector = connectorWith({ urlEnv: 'LDAP_DOWN_URL' });

    const grant = await connectorFailure(connector.grant(inputFor(dana, LDAP_GROUPS.payrollAdmins)));
    expect(grant).toMatchObject({ code: 'connector_unavailable', retryable: true });

    const listed = await connectorFailure(
      (connector.listAccess as NonNullable<Connector['listAccess']>)(
        [{ entitlementKey: 'payroll_admin', target: { groupDn: LDAP_GROUPS.payrollAdmins } }],
        { limit: 10 },
      ),
    );
    expect(listed).toMatchObject({ code: 'connector_unavailable', retryable: true });
  });
});
