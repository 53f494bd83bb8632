import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AccessPage,
  type Connector,
  type Connectors,
  createConnectors,
  type ListedEntitlement,
  type ProvisionInput,
} from '../../connectors/index.js';
import { findFreePort } from '../../core/net.js';
import { connectorFailure } from '../helpers/connectors.js';

// A real MariaDB: the local service on CI machines, or wherever GRANTFLOW_TEST_MYSQL_URL points
// (a root-like account that may create roles and users).
const ADMIN_URL = process.env.GRANTFLOW_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

// Roles and accounts are server-wide and the server may be shared: every name is unique.
const suffix = randomBytes(4).toString('hex');
const names = {
  read: `payroll_read_${suffix}`,
  write: `payroll_write_${suffix}`,
  /** The least-privileged account that works: ADMIN OPTION on the roles, SELECT on mysql.roles_mapping. */
  delegated: `conn_delegated_${suffix}`,
  /** May read mysql.roles_mapping, holds no role with ADMIN OPTION: may not grant. */
  limited: `conn_limited_${suffix}`,
  dana: `dana_reyes_${suffix}`,
  lee: `lee_chen_${suffix}`,
  sam: `sam_ode_${suffix}`,
};
const PASSWORD = 'connector_test_password';

const person = (user: string) => ({ email: `${user.replace(/_/g, '.')}@acme.test`, name: user });
const dana = person(names.dana);

const input: ProvisionInput = {
  grantId: `grant-${suffix}`,
  person: dana,
  resourceKey: 'payroll-db',
  entitlementKey: 'payroll_read',
  target: { role: names.read },
};
const entitlements: ListedEntitlement[] = [
  // Listed out of key order on purpose: pages come in key order whatever the caller's order.
  { entitlementKey: 'payroll_write', target: { role: names.write } },
  { entitlementKey: 'payroll_read', target: { role: names.read } },
];

// No database in the URL: the connector reads mysql.roles_mapping by its full name and needs no
// privilege on any database, so it may not even log in to `test`.
function asAccount(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.username = name;
  parsed.password = PASSWORD;
  parsed.pathname = '';
  return parsed.toString();
}

/** Every page from the first, checking each is at most `limit` long. */
async function listAll(connector: Connector, limit: number): Promise<{ pages: AccessPage[] }> {
  const pages: AccessPage[] = [];
  let cursor: string | undefined;
  do {
    const page = await (connector.listAccess?.(entitlements, { cursor, limit }) as Promise<AccessPage>);
    expect(page.holdings.length).toBeLessThanOrEqual(limit);
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor !== undefined && pages.length < 50);
  return { pages };
}

describe('mysql connector (MariaDB)', () => {
  let admin: mysql.Connection;
  let connectors: Connectors;
  const forEnv = (variable: string, host?: string): Connector =>
    connectors.forResource({
      key: 'payroll-db',
      connector: { kind: 'mysql', databaseUrlEnv: variable, ...(host ? { host } : {}) },
    });

  const holders = async (role: string): Promise<string[]> => {
    const [rows] = await admin.query<mysql.RowDataPacket[]>(
      'select concat(User, "@", Host) as account from mysql.roles_mapping where Role = ? order by 1',
      [role],
    );
    return rows.map((row) => String(row.account));
  };

  beforeAll(async () => {
    try {
      admin = await mysql.createConnection({ uri: ADMIN_URL, connectTimeout: 5_000 });
    } catch (error) {
      const where = new URL(ADMIN_URL);
      throw new Error(
        `These tests need a real MariaDB at ${where.hostname}:${where.port || 3306} (GRANTFLOW_TEST_MYSQL_URL, ` +
          `default mysql://root@127.0.0.1:3306/test), and cannot reach it: ${(error as Error).message}. ` +
          'Start MariaDB (apt-get install mariadb-server; service mariadb start) or point the variable at one.',
      );
    }
    const run = (statement: string, values: unknown[] = []) => admin.query(statement, values);
    for (const user of [names.delegated, names.limited]) {
      await run('create user ?@? identified by ?', [user, '%', PASSWORD]);
      await run('grant select on mysql.roles_mapping to ?@?', [user, '%']);
    }
    for (const user of [names.dana, names.lee, names.sam]) await run('create user ?@?', [user, '%']);
    // WITH ADMIN names the connector as the role's administrator (and so its one holder), instead of
    // the account running this setup.
    for (const role of [names.read, names.write]) {
      await run('create role ?? with admin ?@?', [role, names.delegated, '%']);
    }

    connectors = createConnectors(
      {
        TARGET_DELEGATED_URL: asAccount(ADMIN_URL, names.delegated),
        TARGET_LIMITED_URL: asAccount(ADMIN_URL, names.limited),
        TARGET_DOWN_URL: `mysql://nobody:nothing@127.0.0.1:${await findFreePort()}/nothing`,
      },
      { mysqlConnectTimeoutMs: 2_000 },
    );
  });

  afterAll(async () => {
    await connectors?.close();
    if (!admin) return;
    for (const role of [names.read, names.write]) await admin.query('drop role if exists ??', [role]);
    for (const user of [names.delegated, names.limited, names.dana, names.lee, names.sam]) {
      await admin.query('drop user if exists ?@?', [user, '%']);
    }
    await admin.end();
  });

  it('grants, reads back, repeats safely, revokes and repeats safely', async () => {
    const connector = forEnv('TARGET_DELEGATED_URL');

    expect(await connector.check?.(input)).toBe('absent');
    expect(await connector.grant(input)).toMatchObject({ outcome: 'done' });
    expect(await connector.check?.(input)).toBe('present');
    expect(await holders(names.read)).toContain(`${names.dana}@%`);

    expect(await connector.grant(input)).toMatchObject({ outcome: 'already' });

    expect(await connector.revoke(input)).toMatchObject({ outcome: 'done' });
    expect(await connector.check?.(input)).toBe('absent');
    expect(await holders(names.read)).not.toContain(`${names.dana}@%`);

    expect(await connector.revoke(input)).toMatchObject({ outcome: 'already' });
  });

  it('lists every holder page by page, in a stable order, as accountOf names them', async () => {
    const connector = forEnv('TARGET_DELEGATED_URL');
    const readers = [dana, person(names.lee), person(names.sam)].map((who) => ({ ...input, person: who }));
    const writer = { ...input, entitlementKey: 'payroll_write', target: { role: names.write } };
    for (const grant of [...readers, writer]) await connector.grant(grant);

    const { pages } = await listAll(connector, 1);
    const listed = pages.flatMap((page) => page.holdings);

    const account = (user: string) => connector.accountOf?.(person(user));
    // The connector's own account administers each role (WITH ADMIN is a roles_mapping row in
    // MariaDB): that is how it grants, not access, so it is not listed.
    expect(listed).toEqual([
      { entitlementKey: 'payroll_read', account: account(names.dana) },
      { entitlementKey: 'payroll_read', account: account(names.lee) },
      { entitlementKey: 'payroll_read', account: account(names.sam) },
      { entitlementKey: 'payroll_write', account: account(names.dana) },
    ]);
    expect(pages).toHaveLength(4);
    expect(pages.at(-1)?.nextCursor).toBeUndefined();
    expect(account(names.dana)).toBe(`${names.dana}@%`);

    // A bigger page gives the same holdings; a page that ends exactly at the last one says so.
    const whole = await connector.listAccess?.(entitlements, { limit: 4 });
    expect(whole?.holdings).toEqual(listed);
    expect(whole?.nextCursor).toBeUndefined();

    for (const grant of [...readers, writer]) await connector.revoke(grant);
    const after = await connector.listAccess?.(entitlements, { limit: 10 });
    expect(after?.holdings).toEqual([]);
  });

  it('grants to the host the resource names', async () => {
    const connector = forEnv('TARGET_DELEGATED_URL', 'localhost');
    await admin.query('create user ?@?', [names.dana, 'localhost']);
    try {
      expect(connector.accountOf?.(dana)).toBe(`${names.dana}@localhost`);
      expect(await connector.grant(input)).toMatchObject({ outcome: 'done' });
      expect(await holders(names.read)).toContain(`${names.dana}@localhost`);
      expect(await forEnv('TARGET_DELEGATED_URL').check?.(input)).toBe('absent');
    } finally {
      await admin.query('drop user ?@?', [names.dana, 'localhost']);
    }
  });

  it('refuses an unknown target role, non-retryably, naming it', async () => {
    const missing = `no_such_role_${suffix}`;

    const error = await connectorFailure(
      forEnv('TARGET_DELEGATED_URL').grant({ ...input, target: { role: missing } }),
    );

    expect(error.code).toBe('connector_unknown_role');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(missing);
    expect(error.details).toMatchObject({ role: missing, which: 'target' });
  });

  it('refuses a person with no account, non-retryably, naming the account', async () => {
    const stranger = { email: `nobody.${suffix}@acme.test`, name: 'Nobody' };

    const error = await connectorFailure(
      forEnv('TARGET_DELEGATED_URL').grant({ ...input, person: stranger }),
    );

    expect(error.code).toBe('connector_unknown_role');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`nobody_${suffix}@%`);
    expect(error.details).toMatchObject({ which: 'member' });
  });

  it('treats revoking a role or account that does not exist as already done', async () => {
    const connector = forEnv('TARGET_DELEGATED_URL');

    expect(await connector.revoke({ ...input, target: { role: `gone_${suffix}` } })).toMatchObject({
      outcome: 'already',
    });
    expect(
      await connector.revoke({ ...input, person: { email: `gone.${suffix}@acme.test`, name: 'Gone' } }),
    ).toMatchObject({ outcome: 'already' });
  });

  it('reports permission denied, non-retryably, for an account without ADMIN OPTION', async () => {
    // In MariaDB even ALL PRIVILEGES WITH GRANT OPTION (this setup's root) may not grant a role it
    // does not administer; the limited account stands for both.
    const error = await connectorFailure(forEnv('TARGET_LIMITED_URL').grant(input));

    expect(error.code).toBe('connector_permission_denied');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(names.read);
    expect(await holders(names.read)).not.toContain(`${names.dana}@%`);
  });

  it('reports an unreachable server as retryable, for grants and for listings alike', async () => {
    const connector = forEnv('TARGET_DOWN_URL');

    for (const call of [connector.grant(input), connector.listAccess?.(entitlements, { limit: 10 })]) {
      const error = await connectorFailure(call as Promise<unknown>);
      expect(error.code).toBe('connector_unavailable');
      expect(error.retryable).toBe(true);
      expect(error.message).toContain('ECONNREFUSED');
    }
  });

  it('refuses a target role that is not a plain MariaDB role name, before connecting', async () => {
    const connector = forEnv('TARGET_DOWN_URL');

    for (const call of [
      connector.grant({ ...input, target: { role: 'x`; drop user root; --' } }),
      connector.listAccess?.([{ entitlementKey: 'bad', target: {} }], { limit: 1 }),
    ]) {
      expect((await connectorFailure(call as Promise<unknown>)).code).toBe('connector_misconfigured');
    }
  });
});
