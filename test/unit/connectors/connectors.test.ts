import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CONNECTOR_ERROR_CODES,
  ConnectorError,
  type ConnectorResource,
  createConnectors,
  databaseUserFor,
  type ProvisionInput,
} from '../../../connectors/index.js';
import { classifyPostgresError } from '../../../connectors/postgres.js';
import { connectorFailure } from '../../helpers/connectors.js';

const input: ProvisionInput = {
  grantId: 'g-1',
  person: { email: 'dana.reyes@acme.test', name: 'Dana Reyes' },
  resourceKey: 'payments-db',
  entitlementKey: 'payments_read',
  target: { role: 'payments_read' },
};

function pgError(code: string, message: string): postgres.PostgresError {
  // postgres.js builds its errors from the server's error fields, as here (its typings say `string`).
  const fields = { message, code, severity: 'ERROR' } as unknown as string;
  return new postgres.PostgresError(fields);
}

describe('databaseUserFor', () => {
  it.each([
    ['dana.reyes@acme.test', 'dana_reyes'],
    ['Dana.Reyes@ACME.test', 'dana_reyes'],
    ["o'brien-2@acme.test", 'o_brien_2'],
    ['ops+oncall@acme.test', 'ops_oncall'],
    ['zoë@acme.test', 'zo_'],
    ['plain_name', 'plain_name'],
  ])('maps %s to %s', (email, user) => {
    expect(databaseUserFor(email)).toBe(user);
  });

  it('cuts names to the 63 characters PostgreSQL keeps', () => {
    expect(databaseUserFor(`${'a'.repeat(80)}@acme.test`)).toBe('a'.repeat(63));
  });

  it('refuses an email with no local part', () => {
    expect(() => databaseUserFor('@acme.test')).toThrow(ConnectorError);
  });
});

describe('classifyPostgresError', () => {
  const context = { resourceKey: 'payments-db', role: 'payments_read', member: 'dana_reyes' };

  it.each([
    ['42704', 'role "payments_read" does not exist', 'connector_unknown_role', false],
    ['42501', 'permission denied to grant role "payments_read"', 'connector_permission_denied', false],
    ['28P01', 'password authentication failed for user "x"', 'connector_misconfigured', false],
    ['3D000', 'database "x" does not exist', 'connector_misconfigured', false],
    ['57P01', 'terminating connection due to administrator command', 'connector_unavailable', true],
    ['57014', 'canceling statement due to statement timeout', 'connector_unavailable', true],
    ['08006', 'connection failure', 'connector_unavailable', true],
    ['53300', 'too many connections', 'connector_unavailable', true],
    ['55P03', 'lock timeout', 'connector_unavailable', true],
    ['40P01', 'deadlock detected', 'connector_unavailable', true],
    ['0LP01', 'invalid grant operation', 'connector_rejected', false],
    ['XX000', 'internal error', 'connector_failed', true],
  ])('maps SQLSTATE %s (%s) to %s', (sqlstate, message, code, retryable) => {
    const error = classifyPostgresError(pgError(sqlstate, message), context);

    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
  });

  it('names the missing role, telling the target role from the person', () => {
    const role = classifyPostgresError(pgError('42704', 'role "payments_read" does not exist'), context);
    const member = classifyPostgresError(pgError('42704', 'role "dana_reyes" does not exist'), context);

    expect(role.message).toContain('role "payments_read" does not exist');
    expect(role.details).toMatchObject({ role: 'payments_read', which: 'target' });
    expect(member.message).toContain('database user "dana_reyes"');
    expect(member.details).toMatchObject({ role: 'dana_reyes', which: 'member' });
  });

  it.each(['ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED'])(
    'maps connection error %s to retryable connector_unavailable',
    (code) => {
      const error = classifyPostgresError(Object.assign(new Error(`connect ${code}`), { code }), context);

      expect(error.code).toBe('connector_unavailable');
      expect(error.retryable).toBe(true);
    },
  );
});

describe('ConnectorError', () => {
  it('takes its retryability from its code', () => {
    for (const [code, retryable] of Object.entries(CONNECTOR_ERROR_CODES)) {
      expect(new ConnectorError(code as keyof typeof CONNECTOR_ERROR_CODES, 'x').retryable).toBe(retryable);
    }
    expect(new ConnectorError('connector_unavailable', 'x')).toMatchObject({
      name: 'ConnectorError',
      code: 'connector_unavailable',
      retryable: true,
    });
  });
});

describe('createConnectors', () => {
  const connectors = createConnectors({});
  afterAll(() => connectors.close());

  it('builds a connector of the resource kind', () => {
    expect(
      connectors.forResource({ key: 'a', connector: { kind: 'postgres', databaseUrlEnv: 'A_URL' } }).kind,
    ).toBe('postgres');
    expect(
      connectors.forResource({
        key: 'b',
        connector: { kind: 'webhook', url: 'https://hooks.acme.test/x', secretEnv: 'B_SECRET' },
      }).kind,
    ).toBe('webhook');
    expect(connectors.forResource({ key: 'c', connector: { kind: 'manual' } }).kind).toBe('manual');
  });

  it('refuses connector config rows that are incomplete or of an unknown kind', () => {
    const broken = [
      { key: 'a', connector: { kind: 'postgres' } },
      { key: 'b', connector: { kind: 'webhook', url: 'https://x.test' } },
      { key: 'c', connector: { kind: 'ldap' } },
    ] as unknown as ConnectorResource[];
    for (const resource of broken) {
      expect(() => connectors.forResource(resource)).toThrow(
        expect.objectContaining({ code: 'connector_misconfigured', retryable: false }),
      );
    }
  });

  it('fails a postgres call non-retryably when its URL variable is not set, naming the variable', async () => {
    const connector = connectors.forResource({
      key: 'payments-db',
      connector: { kind: 'postgres', databaseUrlEnv: 'PAYMENTS_DATABASE_URL' },
    });

    const error = await connectorFailure(connector.grant(input));

    expect(error.code).toBe('connector_misconfigured');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('PAYMENTS_DATABASE_URL');
  });

  it('refuses a target role that is not a plain PostgreSQL role name', async () => {
    const withUrl = createConnectors({ PAYMENTS_DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db' });
    const connector = withUrl.forResource({
      key: 'payments-db',
      connector: { kind: 'postgres', databaseUrlEnv: 'PAYMENTS_DATABASE_URL' },
    });

    const error = await connectorFailure(
      connector.grant({ ...input, target: { role: 'public.payments"; drop' } }),
    );

    expect(error.code).toBe('connector_misconfigured');
    await withUrl.close();
  });

  it('makes a manual connector refuse to act, permanently', async () => {
    const manual = connectors.forResource({ key: 'badge-system', connector: { kind: 'manual' } });

    for (const call of [manual.grant(input), manual.revoke(input)]) {
      const error = await connectorFailure(call);
      expect(error.code).toBe('connector_manual');
      expect(error.retryable).toBe(false);
      expect(error.message).toContain('badge-system');
    }
    expect(manual.check).toBeUndefined();
  });
});
