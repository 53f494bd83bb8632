import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type AccessPage,
  type Connector,
  type Connectors,
  createConnectors,
  type ListedEntitlement,
} from '../../connectors/index.js';
import { findFreePort } from '../../core/net.js';
import { connectorFailure } from '../helpers/connectors.js';
import { withRole } from '../helpers/services.js';

// Roles are cluster-wide and the server is shared with parallel test files: every name is unique.
const suffix = randomBytes(4).toString('hex');
const names = {
  read: `ledger_read_${suffix}`,
  write: `ledger_write_${suffix}`,
  /** ADMIN OPTION on both roles, which in PostgreSQL 16+ is a membership of its own. */
  delegated: `connector_delegated_${suffix}`,
  ann: `ann_ito_${suffix}`,
  bo: `bo_lund_${suffix}`,
  cy: `cy_moss_${suffix}`,
};
const PASSWORD = 'connector_test_password';

const person = (user: string) => ({ email: `${user.replace(/_/g, '.')}@acme.test`, name: user });
const entitlements: ListedEntitlement[] = [
  // Listed out of key order on purpose: pages come in key order whatever the caller's order.
  { entitlementKey: 'ledger_write', target: { role: names.write } },
  { entitlementKey: 'ledger_read', target: { role: names.read } },
];

describe('postgres connector listAccess and accountOf', () => {
  const services = inject('services');
  let admin: postgres.Sql;
  let connectors: Connectors;
  const forEnv = (variable: string): Connector =>
    connectors.forResource({ key: 'ledger-db', connector: { kind: 'postgres', databaseUrlEnv: variable } });

  const listAll = async (connector: Connector, limit: number): Promise<AccessPage[]> => {
    const pages: AccessPage[] = [];
    let cursor: string | undefined;
    do {
      const page = (await connector.listAccess?.(entitlements, { cursor, limit })) as AccessPage;
      expect(page.holdings.length).toBeLessThanOrEqual(limit);
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor !== undefined && pages.length < 50);
    return pages;
  };

  beforeAll(async () => {
    admin = postgres(services.adminUrl, { max: 1, onnotice: () => {} });
    for (const role of [names.read, names.write]) await admin.unsafe(`create role "${role}" nologin`);
    for (const user of [names.ann, names.bo, names.cy]) await admin.unsafe(`create role "${user}" login`);
    await admin.unsafe(`create role "${names.delegated}" login password '${PASSWORD}'`);
    for (const role of [names.read, names.write]) {
      await admin.unsafe(`grant "${role}" to "${names.delegated}" with admin option`);
    }
    connectors = createConnectors(
      {
        TARGET_DELEGATED_URL: withRole(services.adminUrl, { name: names.delegated, password: PASSWORD }),
        TARGET_DOWN_URL: `postgres://nobody:nothing@127.0.0.1:${await findFreePort()}/nothing`,
      },
      { postgresConnectTimeoutSeconds: 2 },
    );
  });

  afterAll(async () => {
    await connectors?.close();
    for (const role of [names.ann, names.bo, names.cy, names.delegated, names.read, names.write]) {
      await admin.unsafe(`drop role if exists "${role}"`);
    }
    await admin.end();
  });

  it('names a person as their database user', () => {
    expect(forEnv('TARGET_DELEGATED_URL').accountOf?.({ email: 'Dana.Reyes@acme.test', name: 'Dana' })).toBe(
      'dana_reyes',
    );
  });

  it('lists every direct member page by page, in a stable order, as accountOf names them', async () => {
    const connector = forEnv('TARGET_DELEGATED_URL');
    const grant = (user: string, entitlementKey: string, role: string) =>
      connector.grant({
        grantId: `${user}-${role}`,
        person: person(user),
        resourceKey: 'ledger-db',
        entitlementKey,
        target: { role },
      });
    for (const user of [names.cy, names.ann, names.bo]) await grant(user, 'ledger_read', names.read);
    await grant(names.ann, 'ledger_write', names.write);
    // The same membership from a second grantor (PostgreSQL 16+ keeps a row each) is one holding.
    await admin.unsafe(`grant "${names.read}" to "${names.ann}"`);

    const pages = await listAll(connector, 1);
    const listed = pages.flatMap((page) => page.holdings);

    const account = (user: string) => connector.accountOf?.(person(user));
    // The connector's own ADMIN OPTION is how it grants, not access: left out, or every
    // reconciliation would report the connector as an unknown account.
    expect(listed).toEqual([
      { entitlementKey: 'ledger_read', account: account(names.ann) },
      { entitlementKey: 'ledger_read', account: account(names.bo) },
      { entitlementKey: 'ledger_read', account: account(names.cy) },
      { entitlementKey: 'ledger_write', account: account(names.ann) },
    ]);
    expect(listed.map((h) => h.account)).not.toContain(names.delegated);
    expect(account(names.ann)).toBe(names.ann);
    expect(pages).toHaveLength(4);
    expect(pages.at(-1)?.nextCursor).toBeUndefined();

    // Other page sizes give the same holdings in the same order.
    for (const limit of [2, 4, 6, 100]) {
      expect((await listAll(connector, limit)).flatMap((page) => page.holdings)).toEqual(listed);
    }
  });

  it('resumes after the cursor even when holders change between pages', async () => {
    const connector = forEnv('TARGET_DELEGATED_URL');
    const first = (await connector.listAccess?.(entitlements, { limit: 2 })) as AccessPage;
    const seen = first.holdings.map((h) => h.account);
    expect(seen).toEqual([names.ann, names.bo]);
    // A holder before the cursor goes away between pages: the next page neither repeats nor skips.
    // Both grantors' memberships (the connector's and the one made by hand), as the superuser.
    await admin.unsafe(`revoke "${names.read}" from "${names.ann}" granted by "${names.delegated}"`);
    await admin.unsafe(`revoke "${names.read}" from "${names.ann}"`);

    const second = (await connector.listAccess?.(entitlements, {
      cursor: first.nextCursor,
      limit: 2,
    })) as AccessPage;

    expect(second.holdings).toEqual([
      { entitlementKey: 'ledger_read', account: names.cy },
      { entitlementKey: 'ledger_write', account: names.ann },
    ]);
  });

  it('refuses a role that does not exist rather than listing it as held by nobody', async () => {
    const missing = `no_such_role_${suffix}`;

    const error = await connectorFailure(
      forEnv('TARGET_DELEGATED_URL').listAccess?.([{ entitlementKey: 'x', target: { role: missing } }], {
        limit: 10,
      }) as Promise<unknown>,
    );

    expect(error.code).toBe('connector_unknown_role');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(missing);
  });

  it('refuses a cursor it did not make', async () => {
    const error = await connectorFailure(
      forEnv('TARGET_DELEGATED_URL').listAccess?.(entitlements, {
        cursor: 'not-a-cursor',
        limit: 1,
      }) as Promise<unknown>,
    );

    expect(error.code).toBe('connector_rejected');
  });

  it('reports an unreachable database as retryable, never as an empty page', async () => {
    const error = await connectorFailure(
      forEnv('TARGET_DOWN_URL').listAccess?.(entitlements, { limit: 10 }) as Promise<unknown>,
    );

    expect(error.code).toBe('connector_unavailable');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('ECONNREFUSED');
  });
});
