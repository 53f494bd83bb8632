// Grants an entitlement in a MariaDB server by granting the entitlement's role (`target.role`, a
// MariaDB role made with CREATE ROLE) to the person's account: `GRANT role TO 'user'@'host'`.
// grantflow does not create accounts: the person's account must exist, its user named after their
// email as for postgres (`databaseUserFor`), its host the resource's `host` (default '%').
//
// Roles, not privileges: a role is one row per holder that GRANT and REVOKE add and remove exactly,
// so two entitlements never share (and never revoke) each other's privileges. A granted role is
// not active until the person runs `SET ROLE` (or has it as their default role); the connector
// leaves default roles alone, since MariaDB keeps only one per account and choosing it for one
// entitlement would silently override another.
//
// The connector's own account needs, and should have nothing more than:
//   GRANT <role> TO connector@host WITH ADMIN OPTION;   -- for every target role
//   GRANT SELECT ON mysql.roles_mapping TO connector@host;
// ADMIN OPTION is the only way: MariaDB refuses to grant a role even to an account with ALL
// PRIVILEGES WITH GRANT OPTION that does not administer it (`CREATE ROLE r WITH ADMIN connector@host`
// makes the connector its administrator from the start). Its URL need not name a database; if it
// names one, the account must be allowed to use it.
// It reads who holds what from mysql.roles_mapping (no password hashes there, unlike mysql.user),
// so it cannot tell a role that does not exist from one nobody holds: GRANT says which (unknown
// role or account), and a listing of a missing role is empty.
//
// MariaDB 10.3+ only. MySQL 8 keeps roles in mysql.role_edges instead; against MySQL the first read
// fails as `connector_misconfigured`, saying so, rather than listing nothing.
import { createRequire } from 'node:module';
import type mysql from 'mysql2/promise';
import {
  type Connector,
  ConnectorError,
  type ConnectorErrorCode,
  type ListedEntitlement,
  type ProvisionInput,
  type ProvisionResult,
  SOCKET_ERROR_CODES,
} from './connector.js';
import { type KeyedHolding, pageRoleHolders } from './paging.js';
import { createPoolCache, databaseUrlFrom, type PoolCache } from './pool-cache.js';
import { databaseUserFor } from './postgres.js';

/** Settings shared by every MariaDB target. */
export type MysqlPoolOptions = {
  /** Milliseconds to wait for a connection before failing as retryable `connector_unavailable`. */
  connectTimeoutMs?: number;
};

/** One small connection pool per target URL, closed together when the worker stops. */
export type MysqlPools = PoolCache<mysql.Pool>;

// Loaded on the first MariaDB pool, not with the worker: most deployments have no MariaDB target,
// and the driver is about 17 MB of an idle worker.
const load = createRequire(import.meta.url);

/** Creates the pool cache; pools open lazily on first use. */
export function createMysqlPools(options: MysqlPoolOptions = {}): MysqlPools {
  return createPoolCache(
    (url) => {
      const { createPool } = load('mysql2/promise') as typeof mysql;
      const pool = createPool({
        uri: url,
        // Provisioning is a handful of statements per grant; two connections keep a target's
        // connection budget safe even with many workers.
        connectionLimit: 2,
        maxIdle: 2,
        idleTimeout: 60_000,
        connectTimeout: options.connectTimeoutMs ?? 5_000,
        enableKeepAlive: true,
      });
      // A GRANT blocked behind another account change (ACL tables are locked while it runs)
      // fails and is retried instead of hanging the activity.
      pool.pool.on('connection', (connection) => {
        connection.query('set session lock_wait_timeout = 5, max_statement_time = 15', () => {});
      });
      return pool;
    },
    (pool) => pool.end(),
  );
}

/** A MariaDB role name the connector will quote; the same rule the directory file enforces. */
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,63}$/;
/** An account host or host pattern (`%`, `10.0.%`, `db.acme.test`); the directory file's rule too. */
const HOST = /^[A-Za-z0-9.%_:-]{1,255}$/;

/** Where a mysql resource's server is, and the host part of the accounts it grants to. */
export type MysqlConnectorConfig = { resourceKey: string; databaseUrlEnv: string; host?: string };

/** Dependencies a mysql connector reads at call time. */
export type MysqlConnectorDeps = {
  env: Record<string, string | undefined>;
  pools: MysqlPools;
};

/** An account as MariaDB names it: `'user'@'host'`. */
type Account = { user: string; host: string };

// How listAccess reports an account and accountOf derives one: MariaDB's own `user@host` notation.
const accountName = (account: Account): string => `${account.user}@${account.host}`;

/** The connector for `kind: mysql` (MariaDB): role grants, read back through mysql.roles_mapping. */
export function createMysqlConnector(config: MysqlConnectorConfig, deps: MysqlConnectorDeps): Connector {
  const host = config.host ?? '%';
  if (!HOST.test(host)) {
    throw new ConnectorError(
      'connector_misconfigured',
      `resource ${config.resourceKey}: host must be an account host like "%" or "10.0.%", found ${JSON.stringify(host)}`,
      { details: { resource: config.resourceKey, field: 'host' } },
    );
  }
  const accountOf = (email: string): Account => ({ user: databaseUserFor(email), host });

  const connect = (): mysql.Pool =>
    deps.pools.get(databaseUrlFrom(deps.env, config, { label: 'mysql://', protocols: /^(mysql|mariadb):$/ }));

  // Every operation resolves names first, then talks to the target; any failure is classified once.
  const run = async <T>(
    input: ProvisionInput,
    act: (pool: mysql.Pool, role: string, account: Account) => Promise<T>,
  ): Promise<T> => {
    const role = targetRole(config.resourceKey, input.entitlementKey, input.target);
    const account = accountOf(input.person.email);
    const pool = connect();
    try {
      return await act(pool, role, account);
    } catch (error) {
      throw classifyMysqlError(error, {
        resourceKey: config.resourceKey,
        role,
        account,
        email: input.person.email,
      });
    }
  };

  return {
    kind: 'mysql',

    grant: (input) =>
      run(input, async (pool, role, account): Promise<ProvisionResult> => {
        if (await holds(pool, role, account)) {
          return { outcome: 'already', detail: `${accountName(account)} already holds ${role}` };
        }
        // Safe to repeat: granting a role the account already holds (a concurrent retry) succeeds
        // silently. An unknown role or account fails here, and the error says which.
        await pool.query('grant ?? to ?@?', [role, account.user, account.host]);
        return { outcome: 'done', detail: `granted ${role} to ${accountName(account)}` };
      }),

    revoke: (input) =>
      run(input, async (pool, role, account): Promise<ProvisionResult> => {
        // A dropped role or account holds nothing: deprovisioning is already complete.
        if (!(await holds(pool, role, account))) {
          return { outcome: 'already', detail: `${accountName(account)} does not hold ${role}` };
        }
        try {
          await pool.query('revoke ?? from ?@?', [role, account.user, account.host]);
        } catch (error) {
          // Revoked between our read and our REVOKE (a concurrent retry): the asked-for state holds.
          if (errnoOf(error) === ER_CANNOT_REVOKE_ROLE) {
            return { outcome: 'already', detail: `${accountName(account)} does not hold ${role}` };
          }
          throw error;
        }
        return { outcome: 'done', detail: `revoked ${role} from ${accountName(account)}` };
      }),

    check: (input) =>
      run(input, async (pool, role, account) => ((await holds(pool, role, account)) ? 'present' : 'absent')),

    async listAccess(entitlements, page) {
      const roleOf = (e: ListedEntitlement) => targetRole(config.resourceKey, e.entitlementKey, e.target);
      const pool = connect();
      return pageRoleHolders(config.resourceKey, entitlements, page, roleOf, async (role, after, limit) => {
        try {
          return await readGrantees(pool, role, after, limit);
        } catch (error) {
          throw classifyMysqlError(error, { resourceKey: config.resourceKey, role });
        }
      });
    },

    accountOf: (person) => accountName(accountOf(person.email)),
  };
}

function targetRole(resourceKey: string, entitlementKey: string, target: Record<string, unknown>): string {
  const role = target.role;
  if (typeof role !== 'string' || !ROLE_NAME.test(role)) {
    throw new ConnectorError(
      'connector_misconfigured',
      `resource ${resourceKey}, entitlement ${entitlementKey}: target.role must be a MariaDB role name of lower-case letters, digits and "_" (at most 64), found ${JSON.stringify(role)}`,
      { details: { resource: resourceKey, entitlement: entitlementKey, role } },
    );
  }
  return role;
}

// Direct grants only: a role reached through another role is not this grant's to give or take.
async function holds(pool: mysql.Pool, role: string, account: Account): Promise<boolean> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>(
    'select 1 from mysql.roles_mapping where Role = ? and User = ? and Host = ?',
    [role, account.user, account.host],
  );
  return rows.length > 0;
}

/**
 * Up to `limit` accounts holding `role` directly after `after` (`[user, host]`), in the table's
 * binary order. Rows with an empty host are roles granted to roles, not accounts, and are left out.
 * So is the connector's own ADMIN OPTION row: that is how it may grant the role (`CREATE ROLE … WITH
 * ADMIN`), not access anyone was given, and listing it made every reconciliation report the connector
 * as an unknown account. (MariaDB keeps one row per account and role, so a role granted to the
 * connector's account as well as administered by it is left out too; postgres can tell them apart.)
 */
async function readGrantees(
  pool: mysql.Pool,
  role: string,
  after: string[] | undefined,
  limit: number,
): Promise<KeyedHolding[]> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>(
    `select User as user, Host as host from mysql.roles_mapping
     where Role = ? and Host <> ''
       and not (Admin_option = 'Y' and concat(User, '@', Host) = current_user())${after ? ' and (User, Host) > (?, ?)' : ''}
     order by User, Host
     limit ?`,
    [role, ...(after ? [after[0] ?? '', after[1] ?? ''] : []), limit],
  );
  return rows.map((row) => {
    const account = { user: String(row.user), host: String(row.host) };
    return { account: accountName(account), key: [account.user, account.host] };
  });
}

// MariaDB error numbers (stable across versions; mysql2's symbolic names follow MySQL's list, where
// the 19xx numbers mean something else).
const ER_DBACCESS_DENIED = 1044;
const ER_ACCESS_DENIED = 1045;
const ER_BAD_DB = 1049;
const ER_PASSWORD_NO_MATCH = 1133;
const ER_TABLEACCESS_DENIED = 1142;
const ER_NO_SUCH_TABLE = 1146;
const ER_SPECIFIC_ACCESS_DENIED = 1227;
const ER_ACCESS_DENIED_NO_PASSWORD = 1698;
const ER_INVALID_ROLE = 1959;
const ER_CANNOT_REVOKE_ROLE = 1962;
// Too many connections, server shutting down, too many user connections, lock wait timeout,
// deadlock, query interrupted, connection killed, statement timeout: nothing permanent.
const TRANSIENT = new Set([1040, 1053, 1203, 1205, 1213, 1317, 1927, 1969]);

// Node socket errors and mysql2's own connection errors: the target is unreachable for now.
const CONNECTION_ERRORS = new Set<string>([
  ...SOCKET_ERROR_CODES,
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
]);

const errnoOf = (error: unknown): number | undefined => {
  const errno = (error as { errno?: unknown } | null)?.errno;
  return typeof errno === 'number' ? errno : undefined;
};

/** Context a classified error names: the role, and the account and person when there is one. */
type MysqlErrorContext = { resourceKey: string; role: string; account?: Account; email?: string };

/**
 * Maps a failure from the target to a ConnectorError: unknown role (1959) or account (1133)
 * → `connector_unknown_role`; access denied (1044, 1142, 1227, 1698) → `connector_permission_denied`;
 * login refused (1045) or unknown database (1049) → `connector_misconfigured`, as for postgres; no
 * mysql.roles_mapping (1146: not MariaDB) → `connector_misconfigured`; connection errors and
 * timeouts → retryable `connector_unavailable`; other server errors → `connector_rejected`;
 * anything else → retryable `connector_failed`.
 */
function classifyMysqlError(error: unknown, context: MysqlErrorContext): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const { resourceKey, role, account } = context;
  const who = account ? accountName(account) : undefined;
  const details = { resource: resourceKey, role, ...(who ? { account: who } : {}) };
  const errno = errnoOf(error);
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const fail = (kind: ConnectorErrorCode, text: string, extra = {}) =>
    new ConnectorError(kind, `resource ${resourceKey}: ${text}`, {
      details: { ...details, ...(errno ? { errno } : {}), ...extra },
      cause: error,
    });

  if (typeof code === 'string' && CONNECTION_ERRORS.has(code)) {
    return fail('connector_unavailable', `target database unreachable: ${message}`, { reason: code });
  }
  // Only the server's own errors carry a SQLSTATE; anything else is the client's or the socket's.
  const fromServer = typeof (error as { sqlState?: unknown } | null)?.sqlState === 'string';
  if (!fromServer || errno === undefined) return fail('connector_failed', message);
  const reason = `${message} (error ${errno})`;
  if (errno === ER_INVALID_ROLE) {
    return fail('connector_unknown_role', `role "${role}" does not exist in the target database`, {
      role,
      which: 'target',
    });
  }
  if (errno === ER_PASSWORD_NO_MATCH) {
    return fail(
      'connector_unknown_role',
      `account ${who ?? '(unknown)'}${context.email ? ` (for ${context.email})` : ''} does not exist in the target database; create it before granting ${role}`,
      { role: who, which: 'member' },
    );
  }
  if (errno === ER_TABLEACCESS_DENIED) {
    return fail(
      'connector_permission_denied',
      `the connector's database account may not read who holds ${role}: ${reason}; give it SELECT on mysql.roles_mapping`,
    );
  }
  if (errno === ER_DBACCESS_DENIED) {
    // Only logging in touches a database: every statement names mysql.roles_mapping in full.
    return fail(
      'connector_permission_denied',
      `the connector's database account may not use the database its URL names: ${reason}; leave the database out of the URL`,
    );
  }
  if (errno === ER_SPECIFIC_ACCESS_DENIED || errno === ER_ACCESS_DENIED_NO_PASSWORD) {
    return fail(
      'connector_permission_denied',
      `the connector's database account may not change who holds ${role}: ${reason}; give it ${role} WITH ADMIN OPTION`,
    );
  }
  if (errno === ER_ACCESS_DENIED || errno === ER_BAD_DB) {
    return fail('connector_misconfigured', `cannot log in to the target database: ${reason}`);
  }
  if (errno === ER_NO_SUCH_TABLE) {
    return fail(
      'connector_misconfigured',
      `the target has no mysql.roles_mapping: ${reason}; the mysql connector supports MariaDB roles (10.3+), not MySQL's`,
    );
  }
  if (TRANSIENT.has(errno)) return fail('connector_unavailable', reason);
  return fail('connector_rejected', reason);
}
