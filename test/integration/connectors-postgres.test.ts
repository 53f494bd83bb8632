import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type Connector,
  ConnectorError,
  type Connectors,
  createConnectors,
  type ProvisionInput,
} from '../../connectors/index.js';
import { findFreePort } from '../../core/net.js';
import { connectorFailure } from '../helpers/connectors.js';
import { withDatabase, withRole } from '../helpers/services.js';

// Roles are cluster-wide and the server is shared with parallel test files: every name is unique.
const suffix = randomBytes(4).toString('hex');
const names = {
  database: `connector_target_${suffix}`,
  role: `payments_read_${suffix}`,
  member: `dana_reyes_${suffix}`,
  /** A login with no ADMIN OPTION on the role: may not grant it. */
  limited: `connector_limited_${suffix}`,
  /** The least-privileged account that works: ADMIN OPTION on the role, nothing else. */
  delegated: `connector_delegated_${suffix}`,
};
const PASSWORD = 'connector_test_password';

const input: ProvisionInput = {
  grantId: `grant-${suffix}`,
  person: { email: `dana.reyes.${suffix}@acme.test`, name: 'Dana Reyes' },
  resourceKey: 'payments-db',
  entitlementKey: 'payments_read',
  target: { role: names.role },
};

describe('postgres connector', () => {
  const services = inject('services');
  let admin: postgres.Sql;
  let connectors: Connectors;
  const forEnv = (variable: string): Connector =>
    connectors.forResource({ key: 'payments-db', connector: { kind: 'postgres', databaseUrlEnv: variable } });

  const memberships = async (): Promise<string[]> => {
    const rows = await admin<{ grantor: string }[]>`
      select g.rolname as grantor
      from pg_auth_members m
      join pg_roles r on r.oid = m.roleid
      join pg_roles u on u.oid = m.member
      join pg_roles g on g.oid = m.grantor
      where r.rolname = ${names.role} and u.rolname = ${names.member}
      order by 1`;
    return rows.map((row) => row.grantor);
  };

  beforeAll(async () => {
    admin = postgres(services.adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${names.database}"`);
    await admin.unsafe(`create role "${names.role}" nologin`);
    await admin.unsafe(`create role "${names.member}" login`);
    await admin.unsafe(`create role "${names.limited}" login password '${PASSWORD}'`);
    await admin.unsafe(`create role "${names.delegated}" login password '${PASSWORD}'`);
    await admin.unsafe(`grant "${names.role}" to "${names.delegated}" with admin option`);

    const targetUrl = withDatabase(services.adminUrl, names.database);
    connectors = createConnectors(
      {
        TARGET_SUPERUSER_URL: targetUrl,
        TARGET_DELEGATED_URL: withRole(targetUrl, { name: names.delegated, password: PASSWORD }),
        TARGET_LIMITED_URL: withRole(targetUrl, { name: names.limited, password: PASSWORD }),
        TARGET_DOWN_URL: `postgres://nobody:nothing@127.0.0.1:${await findFreePort()}/nothing`,
      },
      { postgresConnectTimeoutSeconds: 2 },
    );
  });

  afterAll(async () => {
    await connectors?.close();
    await admin.unsafe(`drop database if exists "${names.database}" with (force)`);
    // The member first: dropping it removes the memberships other test roles granted.
    for (const role of [names.member, names.delegated, names.limited, names.role]) {
      await admin.unsafe(`drop role if exists "${role}"`);
    }
    await admin.end();
  });

  it('grants, reads back, repeats safely, revokes and repeats safely', async () => {
    const connector = forEnv('TARGET_SUPERUSER_URL');

    expect(await connector.check?.(input)).toBe('absent');
    expect(await connector.grant(input)).toMatchObject({ outcome: 'done' });
    expect(await connector.check?.(input)).toBe('present');

    expect(await connector.grant(input)).toMatchObject({ outcome: 'already' });
    expect(await memberships()).toHaveLength(1);

    expect(await connector.revoke(input)).toMatchObject({ outcome: 'done' });
    expect(await connector.check?.(input)).toBe('absent');
    expect(await memberships()).toEqual([]);

    expect(await connector.revoke(input)).toMatchObject({ outcome: 'already' });
  });

  it('works with an account that holds only ADMIN OPTION on the role', async () => {
    const connector = forEnv('TARGET_DELEGATED_URL');

    expect(await connector.grant(input)).toMatchObject({ outcome: 'done' });
    expect(await memberships()).toEqual([names.delegated]);
    expect(await connector.revoke(input)).toMatchObject({ outcome: 'done' });
    expect(await connector.check?.(input)).toBe('absent');
  });

  it('revokes the membership whoever granted it', async () => {
    // Setup: the same membership granted twice, by the delegated account and by hand (PostgreSQL 16+
    // keeps one row per grantor; a plain REVOKE removes only the current user's).
    await forEnv('TARGET_DELEGATED_URL').grant(input);
    await admin.unsafe(`grant "${names.role}" to "${names.member}"`);

    const result = await forEnv('TARGET_SUPERUSER_URL').revoke(input);

    expect(result.outcome).toBe('done');
    expect(await memberships()).toEqual([]);
  });

  it('says so, non-retryably, when it cannot remove a membership someone else granted', async () => {
    const [{ version } = { version: 0 }] = await admin<{ version: number }[]>`
      select current_setting('server_version_num')::int as version`;
    await admin.unsafe(`grant "${names.role}" to "${names.member}"`);
    const [{ grantor } = { grantor: '' }] = await admin<{ grantor: string }[]>`
      select g.rolname as grantor from pg_auth_members m join pg_roles g on g.oid = m.grantor
      where m.roleid = ${names.role}::regrole and m.member = ${names.member}::regrole`;

    const revoke = forEnv('TARGET_DELEGATED_URL').revoke(input);

    if (version < 160000) {
      // Before 16 a membership is one row whoever granted it, and ADMIN OPTION may revoke it.
      expect((await revoke).outcome).toBe('done');
      return;
    }
    const error = await connectorFailure(revoke);
    expect(error.code).toBe('connector_permission_denied');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(grantor);
    expect(await forEnv('TARGET_SUPERUSER_URL').check?.(input)).toBe('present');
    await forEnv('TARGET_SUPERUSER_URL').revoke(input);
  });

  it('refuses an unknown target role, non-retryably, naming it', async () => {
    const missing = `no_such_role_${suffix}`;

    const error = await connectorFailure(
      forEnv('TARGET_SUPERUSER_URL').grant({ ...input, target: { role: missing } }),
    );

    expect(error.code).toBe('connector_unknown_role');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(missing);
    expect(error.details).toMatchObject({ role: missing, which: 'target' });
  });

  it('refuses a person with no database user, non-retryably, naming the user', async () => {
    const stranger = { email: `nobody.${suffix}@acme.test`, name: 'Nobody' };

    const error = await connectorFailure(
      forEnv('TARGET_SUPERUSER_URL').grant({ ...input, person: stranger }),
    );

    expect(error.code).toBe('connector_unknown_role');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`nobody_${suffix}`);
    expect(error.details).toMatchObject({ which: 'member' });
  });

  it('treats revoking from a role or user that no longer exists as already done', async () => {
    const connector = forEnv('TARGET_SUPERUSER_URL');

    expect(await connector.revoke({ ...input, target: { role: `gone_${suffix}` } })).toMatchObject({
      outcome: 'already',
    });
    expect(
      await connector.revoke({ ...input, person: { email: `gone.${suffix}@acme.test`, name: 'Gone' } }),
    ).toMatchObject({ outcome: 'already' });
  });

  it('reports permission denied, non-retryably, for an account without ADMIN OPTION', async () => {
    const error = await connectorFailure(forEnv('TARGET_LIMITED_URL').grant(input));

    expect(error.code).toBe('connector_permission_denied');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(names.role);
    expect(await memberships()).toEqual([]);
  });

  it('reports an unreachable database as retryable', async () => {
    const error = await connectorFailure(forEnv('TARGET_DOWN_URL').grant(input));

    expect(error.code).toBe('connector_unavailable');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('reports a database killed under it as retryable, and recovers on the next call', async () => {
    const connector = forEnv('TARGET_DELEGATED_URL');
    await connector.check?.(input); // opens the pool's connection
    await admin`
      select pg_terminate_backend(pid) from pg_stat_activity
      where datname = ${names.database} and usename = ${names.delegated}`;

    const first = await connector.check?.(input).then(
      (state) => state,
      (error: unknown) => error,
    );

    // postgres.js may notice the closed socket before or during the query: either way nothing is
    // permanent, and the next call reconnects.
    if (first instanceof ConnectorError) expect(first.retryable).toBe(true);
    else expect(first).toBe('absent');
    expect(await connector.check?.(input)).toBe('absent');
  });
});
