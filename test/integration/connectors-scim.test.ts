import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Connector,
  type Connectors,
  createConnectors,
  type ListedEntitlement,
  type ProvisionInput,
  type TargetHolding,
} from '../../connectors/index.js';
import { connectorFailure } from '../helpers/connectors.js';
import { type ScimTarget, startScimTarget } from '../helpers/scim-target.js';

const dana = { email: 'dana.reyes@acme.test', name: 'Dana Reyes' };
const sam = { email: 'sam.okafor@acme.test', name: 'Sam Okafor' };

const inputFor = (
  person: { email: string; name: string },
  target: Record<string, unknown>,
): ProvisionInput => ({
  grantId: `grant-${person.email}-${JSON.stringify(target)}`,
  person,
  resourceKey: 'saas-app',
  entitlementKey: 'engineering',
  target,
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

describe('scim connector', () => {
  let target: ScimTarget;
  let connectors: Connectors;
  let groups = 0;

  type Overrides = { baseUrlEnv?: string; tokenEnv?: string };
  const connectorWith = (overrides: Overrides = {}) =>
    connectors.forResource({
      key: 'saas-app',
      connector: {
        kind: 'scim',
        baseUrlEnv: overrides.baseUrlEnv ?? 'SCIM_URL',
        tokenEnv: overrides.tokenEnv ?? 'SCIM_TOKEN',
      },
    });

  /** A fresh group of this test's own; returns its display name and id. */
  const createGroup = () => {
    groups += 1;
    const name = `Engineering ${groups}`;
    return { name, id: target.addGroup(name) };
  };

  beforeAll(async () => {
    target = await startScimTarget();
    for (const person of [dana, sam]) target.addUser(person.email);
    connectors = createConnectors(
      { SCIM_URL: target.url, SCIM_TOKEN: target.token, SCIM_WRONG_TOKEN: 'not-the-token' },
      { scimTimeoutMs: 2_000 },
    );
  });

  afterAll(async () => {
    await connectors?.close();
    await target?.stop();
  });

  it('grants, reads back, repeats safely, revokes and repeats safely', async () => {
    const group = createGroup();
    const connector = connectorWith();
    const input = inputFor(dana, { group: group.name });

    expect(await connector.check?.(input)).toBe('absent');
    expect(await connector.grant(input)).toMatchObject({ outcome: 'done' });
    expect(await connector.check?.(input)).toBe('present');
    expect(target.members(group.name)).toEqual([dana.email]);

    expect(await connector.grant(input)).toMatchObject({ outcome: 'already' });
    expect(target.members(group.name)).toEqual([dana.email]);

    expect(await connector.revoke(input)).toMatchObject({ outcome: 'done' });
    expect(await connector.check?.(input)).toBe('absent');
    expect(target.members(group.name)).toEqual([]);

    expect(await connector.revoke(input)).toMatchObject({ outcome: 'already' });
  });

  it('names a group by id as well as by display name, and leaves other members alone', async () => {
    const group = createGroup();
    const connector = connectorWith();
    target.addMemberByHand(group.name, sam.email);

    expect(await connector.grant(inputFor(dana, { groupId: group.id }))).toMatchObject({ outcome: 'done' });
    expect(await connector.check?.(inputFor(dana, { group: group.name }))).toBe('present');
    expect(await connector.revoke(inputFor(dana, { groupId: group.id }))).toMatchObject({ outcome: 'done' });
    expect(target.members(group.name)).toEqual([sam.email]);
  });

  it('lists every member a page at a time, in a stable order, as the userNames accountOf derives', async () => {
    const big = createGroup();
    const small = createGroup();
    const people = Array.from({ length: 120 }, (_, i) => `Member.${String(i).padStart(3, '0')}@acme.test`);
    for (const userName of people) {
      target.addUser(userName);
      target.addMemberByHand(big.name, userName);
    }
    const connector = connectorWith();
    await connector.grant({ ...inputFor(sam, { group: small.name }), entitlementKey: 'a_small' });
    const entitlements: ListedEntitlement[] = [
      { entitlementKey: 'b_big', target: { group: big.name } },
      { entitlementKey: 'a_small', target: { groupId: small.id } },
    ];
    const before = target.requestCount();

    const pages = await listAll(connector, entitlements, 50);

    expect(pages.map((page) => page.length)).toEqual([50, 50, 21]);
    // Entitlements in key order; accounts are lower-cased userNames, each once.
    expect(pages[0]?.[0]).toEqual({ entitlementKey: 'a_small', account: sam.email });
    const big120 = pages.flat().filter((h) => h.entitlementKey === 'b_big');
    expect(big120.map((h) => h.account).sort()).toEqual(people.map((p) => p.toLowerCase()).sort());
    expect(new Set(big120.map((h) => h.account)).size).toBe(120);
    for (const userName of people.slice(0, 3)) {
      expect(big120.map((h) => h.account)).toContain(connector.accountOf?.({ email: userName, name: 'x' }));
    }
    // The same order in one page as in three: the order is the target's, not the page size's.
    expect(await listAll(connector, entitlements, 1_000)).toEqual([pages.flat()]);
    // userNames are resolved by batched filters, not a request per member.
    expect(target.requestCount() - before).toBeLessThan(40);
  });

  it('neither skips nor repeats a member when membership changes between pages', async () => {
    const group = createGroup();
    const userNames = ['p1', 'p2', 'p3', 'p4'].map((p) => `${p}.${group.id}@acme.test`);
    for (const userName of userNames) {
      target.addUser(userName);
      target.addMemberByHand(group.name, userName);
    }
    const connector = connectorWith();
    const entitlements = [{ entitlementKey: 'engineering', target: { group: group.name } }];
    const list = connector.listAccess as NonNullable<Connector['listAccess']>;

    const first = await list(entitlements, { limit: 2 });
    const [listed] = first.holdings;
    await connector.revoke(inputFor({ email: listed?.account as string, name: 'x' }, { group: group.name }));
    const second = await list(entitlements, { cursor: first.nextCursor, limit: 2 });

    expect(second.nextCursor).toBeUndefined();
    expect([...first.holdings, ...second.holdings].map((h) => h.account).sort()).toEqual(userNames.sort());
  });

  it('finds an orphan added by hand at the target, and reports a member that is no user by its value', async () => {
    const group = createGroup();
    const connector = connectorWith();
    await connector.grant(inputFor(dana, { group: group.name }));
    target.addMemberByHand(group.name, sam.email);
    target.addMemberByHand(group.name, { value: 'nested-group-id', type: 'Group' });
    target.addMemberByHand(group.name, { value: 'deleted-user-id', type: 'User' });

    const [page] = await listAll(
      connector,
      [{ entitlementKey: 'engineering', target: { group: group.name } }],
      10,
    );

    expect(page?.map((h) => h.account).sort()).toEqual(
      [dana.email, sam.email, 'nested-group-id', 'deleted-user-id'].sort(),
    );
  });

  it('still lists when the server refuses the batched id filter, asking for each user', async () => {
    const group = createGroup();
    target.addMemberByHand(group.name, dana.email);
    target.addMemberByHand(group.name, sam.email);
    target.failNext(
      {
        status: 400,
        headers: { 'Content-Type': 'application/scim+json' },
        body: JSON.stringify({
          status: '400',
          scimType: 'invalidFilter',
          detail: 'only userName eq is supported',
        }),
      },
      { url: /\/Users\?filter=id/ },
    );

    const [page] = await listAll(
      connectorWith(),
      [{ entitlementKey: 'engineering', target: { group: group.name } }],
      10,
    );

    expect(target.pendingFailures()).toBe(0);
    expect(page?.map((h) => h.account).sort()).toEqual([dana.email, sam.email].sort());
  });

  it('refuses an unknown group and an unknown user non-retryably, and revokes from them as already', async () => {
    const connector = connectorWith();

    for (const missing of [{ group: 'No Such Group' }, { groupId: 'no-such-id' }]) {
      const error = await connectorFailure(connector.grant(inputFor(dana, missing)));
      expect(error, JSON.stringify(missing)).toMatchObject({
        code: 'connector_unknown_role',
        retryable: false,
      });
      expect(error.details).toMatchObject({ which: 'target' });
      expect(await connector.revoke(inputFor(dana, missing))).toMatchObject({ outcome: 'already' });
      expect(await connector.check?.(inputFor(dana, missing))).toBe('absent');
      const listed = await connectorFailure(
        (connector.listAccess as NonNullable<Connector['listAccess']>)(
          [{ entitlementKey: 'engineering', target: missing }],
          { limit: 10 },
        ),
      );
      expect(listed).toMatchObject({ code: 'connector_unknown_role', retryable: false });
    }

    const group = createGroup();
    const nobody = { email: 'nobody@acme.test', name: 'Nobody' };
    const user = await connectorFailure(connector.grant(inputFor(nobody, { group: group.name })));
    expect(user).toMatchObject({ code: 'connector_unknown_role', retryable: false });
    expect(user.details).toMatchObject({ which: 'member', email: nobody.email });
    expect(user.message).toContain('userName nobody@acme.test');
    expect(target.members(group.name)).toEqual([]);
    expect(await connector.revoke(inputFor(nobody, { group: group.name }))).toMatchObject({
      outcome: 'already',
    });
  });

  it('never grants someone else when the server answers a userName filter with other users', async () => {
    const group = createGroup();
    // A server that ignores the filter and lists its users from the start.
    target.failNext(
      {
        status: 200,
        headers: { 'Content-Type': 'application/scim+json' },
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
          totalResults: 2,
          Resources: [{ id: 'sams-id', userName: sam.email }],
        }),
      },
      { url: /\/Users\?filter=userName/ },
    );

    const error = await connectorFailure(connectorWith().grant(inputFor(dana, { group: group.name })));

    expect(error).toMatchObject({ code: 'connector_rejected', retryable: false });
    expect(error.message).toContain('does not apply the filter');
    expect(target.members(group.name)).toEqual([]);
  });

  it('refuses a catalog target that names no group, before calling the server', async () => {
    const before = target.requestCount();
    const error = await connectorFailure(connectorWith().grant(inputFor(dana, { role: 'engineering' })));
    expect(error).toMatchObject({ code: 'connector_misconfigured', retryable: false });
    expect(error.message).toContain('groupId');
    expect(target.requestCount()).toBe(before);
  });

  it('says permission denied for a token the server refuses', async () => {
    const group = createGroup();
    const connector = connectorWith({ tokenEnv: 'SCIM_WRONG_TOKEN' });

    const grant = await connectorFailure(connector.grant(inputFor(dana, { group: group.name })));
    expect(grant).toMatchObject({ code: 'connector_permission_denied', retryable: false });
    expect(grant.message).toContain('401');
    expect(grant.message).toContain('SCIM_WRONG_TOKEN');
    expect(grant.message).not.toContain('not-the-token');
    const listed = await connectorFailure(
      (connector.listAccess as NonNullable<Connector['listAccess']>)(
        [{ entitlementKey: 'engineering', target: { group: group.name } }],
        { limit: 10 },
      ),
    );
    expect(listed).toMatchObject({ code: 'connector_permission_denied', retryable: false });
    expect(target.members(group.name)).toEqual([]);
  });

  it('fails as misconfigured, naming the variable, when the token is not set', async () => {
    const error = await connectorFailure(
      connectorWith({ tokenEnv: 'SCIM_UNSET_TOKEN' }).grant(inputFor(dana, { group: 'x' })),
    );
    expect(error).toMatchObject({ code: 'connector_misconfigured', retryable: false });
    expect(error.message).toContain('SCIM_UNSET_TOKEN');
    expect(error.message).not.toContain(target.token);
  });

  it('is retryably unavailable when throttled or failing, and passes Retry-After on', async () => {
    const group = createGroup();
    const connector = connectorWith();
    const input = inputFor(dana, { group: group.name });

    target.failNext({ status: 429, headers: { 'Retry-After': '7' }, body: '{"detail":"slow down"}' });
    const throttled = await connectorFailure(connector.grant(input));
    expect(throttled).toMatchObject({ code: 'connector_unavailable', retryable: true, retryAfterMs: 7_000 });
    expect(throttled.message).toContain('slow down');

    target.failNext({ status: 503 }, { url: /\/Groups\/[^?]+$/ });
    expect(await connectorFailure(connector.grant(input))).toMatchObject({
      code: 'connector_unavailable',
      retryable: true,
    });

    expect(target.pendingFailures()).toBe(0);
    expect(target.members(group.name)).toEqual([]);

    // Nothing was half done: the next attempt grants.
    expect(await connector.grant(input)).toMatchObject({ outcome: 'done' });
  });

  it('is retryably unavailable when the server is down, for grant and for listAccess', async () => {
    const gone = await startScimTarget();
    gone.addUser(dana.email);
    const name = 'Gone';
    gone.addGroup(name);
    await gone.stop();
    const down = createConnectors({ SCIM_URL: gone.url, SCIM_TOKEN: gone.token });
    try {
      const connector = down.forResource({
        key: 'saas-app',
        connector: { kind: 'scim', baseUrlEnv: 'SCIM_URL', tokenEnv: 'SCIM_TOKEN' },
      });
      const grant = await connectorFailure(connector.grant(inputFor(dana, { group: name })));
      expect(grant).toMatchObject({ code: 'connector_unavailable', retryable: true });
      expect(grant.message).toContain('ECONNREFUSED');
      const listed = await connectorFailure(
        (connector.listAccess as NonNullable<Connector['listAccess']>)(
          [{ entitlementKey: 'engineering', target: { group: name } }],
          { limit: 10 },
        ),
      );
      expect(listed).toMatchObject({ code: 'connector_unavailable', retryable: true });
    } finally {
      await down.close();
    }
  });

  it('times out a server that never answers, as retryable', async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/scim/v2`;
    const impatient = createConnectors({ SCIM_URL: url, SCIM_TOKEN: 't' }, { scimTimeoutMs: 300 });
    try {
      const connector = impatient.forResource({
        key: 'saas-app',
        connector: { kind: 'scim', baseUrlEnv: 'SCIM_URL', tokenEnv: 'SCIM_TOKEN' },
      });
      const error = await connectorFailure(connector.grant(inputFor(dana, { group: 'x' })));
      expect(error).toMatchObject({ code: 'connector_unavailable', retryable: true });
      expect(error.message).toContain('no answer within 300 ms');
    } finally {
      await impatient.close();
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('deactivates a leaver once, and a user that is not there is already done', async () => {
    const leaver = `leaver.${Date.now()}@acme.test`;
    target.addUser(leaver);
    const connector = connectorWith();
    const deactivate = (email: string) => connector.deactivateAccount?.({ email });

    expect(await deactivate(leaver)).toMatchObject({ outcome: 'done' });
    expect(target.isActive(leaver)).toBe(false);
    expect(await deactivate(leaver)).toMatchObject({ outcome: 'already' });
    expect(await deactivate('nobody@acme.test')).toMatchObject({
      outcome: 'already',
    });
    expect(target.isActive(dana.email)).toBe(true);
  });
});
