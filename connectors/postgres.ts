// Grants an entitlement in a PostgreSQL database by making the person's database user a member of
// the entitlement's role (`target.role`). grantflow does not create database users: the person's
// user must exist, named after their email (see `databaseUserFor`).
//
// The connector's own account needs ADMIN OPTION on every target role (PostgreSQL 16+), or
// CREATEROLE (15 and older), or superuser. Nothing else: it reads only pg_roles and
// pg_auth_members, which every role may read. `listAccess` reports every direct member of each
// entitlement's role by role name (what `accountOf` derives), except the connector's own ADMIN
// OPTION membership (how it grants; a plain membership of its account is reported like any other).
import postgres from 'postgres';
import {
  type Connector,
  ConnectorError,
  type ListedEntitlement,
  type ProvisionInput,
  type ProvisionResult,
  SOCKET_ERROR_CODES,
} from './connector.js';
import { type KeyedHolding, pageRoleHolders } from './paging.js';
import { createPoolCache, databaseUrlFrom, type PoolCache } from './pool-cache.js';

/** Settings shared by every PostgreSQL target. */
export type PostgresPoolOptions = {
  /** Seconds to wait for a connection before failing as retryable `connector_unavailable`. */
  connectTimeoutSeconds?: number;
};

/** One small connection pool per target URL, closed together when the worker stops. */
export type PostgresPools = PoolCache<postgres.Sql>;

/** Creates the pool cache; pools open lazily on first use. */
export function createPostgresPools(options: PostgresPoolOptions = {}): PostgresPools {
  return createPoolCache(
    (url) =>
      postgres(url, {
        // Provisioning is a handful of statements per grant; two connections keep a target's
        // connection budget safe even with many workers.
        max: 2,
        connect_timeout: options.connectTimeoutSeconds ?? 5,
        idle_timeout: 60,
        // Works behind transaction-mode poolers (PgBouncer), which cannot keep prepared statements.
        prepare: false,
        // "already a member" and "has not been granted" arrive as notices; the connector reads
        // pg_auth_members instead of parsing them.
        onnotice: () => {},
        connection: {
          application_name: 'grantflow-connector',
          // A blocked GRANT (a concurrent role change holding the lock) fails and is retried
          // instead of hanging the activity.
          lock_timeout: 5_000,
          statement_timeout: 15_000,
        },
      }),
    // Bounded: postgres.js can wait forever to end a pool whose connection died mid-query
    // (porsager/postgres#1097); after the timeout it closes the sockets itself.
    (sql) => sql.end({ timeout: 5 }),
  );
}

/** A PostgreSQL role name the connector will quote; the same rule the directory file enforces. */
const ROLE_NAME = /^[a-z_][a-z0-9_$]{0,62}$/;
// PostgreSQL truncates identifiers to NAMEDATALEN - 1 bytes; the derived name is ASCII, so bytes = chars.
const MAX_IDENTIFIER_LENGTH = 63;

/**
 * The database user a person is granted roles as: the local part of their email, lower-cased, with
 * every character outside `[a-z0-9_]` replaced by `_` (one `_` per character), cut to 63 characters
 * as PostgreSQL itself would. `dana.reyes@acme.test` → `dana_reyes`, `o'brien-2@acme.test` →
 * `o_brien_2`. Distinct emails can map to one name (`dana.reyes` and `dana-reyes`); the directory
 * owner keeps such people apart in the target by hand.
 */
export function databaseUserFor(email: string): string {
  const at = email.lastIndexOf('@');
  const local = (at === -1 ? email : email.slice(0, at)).toLowerCase();
  const name = local.replace(/[^a-z0-9_]/gu, '_').slice(0, MAX_IDENTIFIER_LENGTH);
  if (name === '') {
    throw new ConnectorError('connector_rejected', `cannot derive a database user name from "${email}"`, {
      details: { email },
    });
  }
  return name;
}

/** Where a postgres resource's database is: the name of the environment variable holding its URL. */
export type PostgresConnectorConfig = { resourceKey: string; databaseUrlEnv: string };

/** Dependencies a postgres connector reads at call time. */
export type PostgresConnectorDeps = {
  env: Record<string, string | undefined>;
  pools: PostgresPools;
};

type Membership = {
  roleExists: boolean;
  memberExists: boolean;
  /** One entry per grantor of the direct membership (PostgreSQL 16+ keeps one row per grantor). */
  grantors: string[];
};

/** The connector for `kind: postgres`: role membership, read back through pg_auth_members. */
export function createPostgresConnector(
  config: PostgresConnectorConfig,
  deps: PostgresConnectorDeps,
): Connector {
  const connect = (): postgres.Sql =>
    deps.pools.get(
      databaseUrlFrom(deps.env, config, { label: 'postgres://', protocols: /^postgres(ql)?:$/ }),
    );

  // Every operation resolves names first, then talks to the target; any failure is classified once.
  const run = async <T>(
    input: ProvisionInput,
    act: (sql: postgres.Sql, role: string, member: string) => Promise<T>,
  ): Promise<T> => {
    const role = targetRole(config.resourceKey, input.entitlementKey, input.target);
    const member = databaseUserFor(input.person.email);
    const sql = connect();
    try {
      return await act(sql, role, member);
    } catch (error) {
      throw classifyPostgresError(error, { resourceKey: config.resourceKey, role, member });
    }
  };

  return {
    kind: 'postgres',

    grant: (input) =>
      run(input, async (sql, role, member): Promise<ProvisionResult> => {
        const before = await readMembership(sql, role, member);
        if (!before.roleExists) throw unknownRole(config.resourceKey, role, member, 'target');
        if (!before.memberExists) throw unknownRole(config.resourceKey, role, member, 'member', input);
        if (before.grantors.length > 0) {
          return { outcome: 'already', detail: `${member} is already a member of ${role}` };
        }
        // Safe to repeat: a second identical GRANT (a concurrent retry) is a notice, not an error.
        await sql`grant ${sql(role)} to ${sql(member)}`;
        return { outcome: 'done', detail: `granted ${role} to ${member}` };
      }),

    revoke: (input) =>
      run(input, async (sql, role, member): Promise<ProvisionResult> => {
        const before = await readMembership(sql, role, member);
        // A dropped role or user holds nothing: deprovisioning is already complete.
        if (!before.roleExists) return { outcome: 'already', detail: `role ${role} does not exist` };
        if (!before.memberExists)
          return { outcome: 'already', detail: `database user ${member} does not exist` };
        if (before.grantors.length === 0) {
          return { outcome: 'already', detail: `${member} is not a member of ${role}` };
        }
        await sql`revoke ${sql(role)} from ${sql(member)}`;
        // PostgreSQL 16+ keeps one membership per grantor and a plain REVOKE removes only the one
        // granted by the current user (silently, with a warning). Access granted by anyone else
        // (a DBA by hand, an earlier connector account) must go too, or the revoke is a lie.
        const remaining = await readMembership(sql, role, member);
        for (const grantor of remaining.grantors) {
          await sql`revoke ${sql(role)} from ${sql(member)} granted by ${sql(grantor)}`;
        }
        if (remaining.grantors.length > 0) {
          const after = await readMembership(sql, role, member);
          if (after.grantors.length > 0) {
            throw new ConnectorError(
              'connector_permission_denied',
              `resource ${config.resourceKey}: ${member} is still a member of ${role} (granted by ${after.grantors.join(', ')}) after REVOKE`,
              { details: { resource: config.resourceKey, role, member, grantors: after.grantors } },
            );
          }
        }
        return { outcome: 'done', detail: `revoked ${role} from ${member}` };
      }),

    check: (input) =>
      run(input, async (sql, role, member) => {
        const state = await readMembership(sql, role, member);
        return state.grantors.length > 0 ? 'present' : 'absent';
      }),

    async listAccess(entitlements, page) {
      const roleOf = (e: ListedEntitlement) => targetRole(config.resourceKey, e.entitlementKey, e.target);
      const sql = connect();
      return pageRoleHolders(config.resourceKey, entitlements, page, roleOf, async (role, after, limit) => {
        try {
          const members = await readMembers(sql, role, after?.[0], limit);
          if (!members) throw unknownRole(config.resourceKey, role, '', 'target');
          return members;
        } catch (error) {
          throw classifyPostgresError(error, { resourceKey: config.resourceKey, role, member: '' });
        }
      });
    },

    accountOf: (person) => databaseUserFor(person.email),
  };
}

function targetRole(resourceKey: string, entitlementKey: string, target: Record<string, unknown>): string {
  const role = target.role;
  if (typeof role !== 'string' || !ROLE_NAME.test(role)) {
    throw new ConnectorError(
      'connector_misconfigured',
      `resource ${resourceKey}, entitlement ${entitlementKey}: target.role must be a PostgreSQL role name of lower-case letters, digits and "_", found ${JSON.stringify(role)}`,
      { details: { resource: resourceKey, entitlement: entitlementKey, role } },
    );
  }
  return role;
}

// Direct membership only: access inherited through some other role is not this grant's to give or take.
async function readMembership(sql: postgres.Sql, role: string, member: string): Promise<Membership> {
  const [row] = await sql<{ roleExists: boolean; memberExists: boolean; grantors: string[] }[]>`
    select
      exists (select from pg_roles where rolname = ${role}) as "roleExists",
      exists (select from pg_roles where rolname = ${member}) as "memberExists",
      array(
        select coalesce(g.rolname::text, m.grantor::text)
        from pg_auth_members m
        join pg_roles r on r.oid = m.roleid
        join pg_roles u on u.oid = m.member
        left join pg_roles g on g.oid = m.grantor
        where r.rolname = ${role} and u.rolname = ${member}
        order by 1
      ) as grantors`;
  return row ?? { roleExists: false, memberExists: false, grantors: [] };
}

/**
 * Up to `limit` direct members of `role` after `after`, by name; undefined when the role does not
 * exist. A missing role is a catalog or target mistake to report, not a role nobody holds: read as
 * empty, it would make every grant of it look missing.
 */
async function readMembers(
  sql: postgres.Sql,
  role: string,
  after: string | undefined,
  limit: number,
): Promise<KeyedHolding[] | undefined> {
  // Compared and sorted in the "C" collation (byte order, as `name` itself compares), so the keyset
  // order does not depend on the server's locale.
  const [row] = await sql<{ roleExists: boolean; members: string[] }[]>`
    select
      exists (select from pg_roles where rolname = ${role}) as "roleExists",
      array(
        select distinct u.rolname::text collate "C"
        from pg_auth_members m
        join pg_roles r on r.oid = m.roleid
        join pg_roles u on u.oid = m.member
        where r.rolname = ${role} ${after === undefined ? sql`` : sql`and u.rolname > ${after}::name`}
          -- The connector's own ADMIN OPTION is how it grants, not access to the data: leave it out,
          -- or every reconciliation would report the connector as an unknown account.
          and not (u.rolname = current_user and m.admin_option)
        order by 1
        limit ${limit}
      ) as members`;
  if (!row?.roleExists) return undefined;
  return row.members.map((member) => ({ account: member, key: [member] }));
}

function unknownRole(
  resourceKey: string,
  role: string,
  member: string,
  which: 'target' | 'member',
  input?: ProvisionInput,
): ConnectorError {
  const message =
    which === 'target'
      ? `resource ${resourceKey}: role "${role}" does not exist in the target database`
      : `resource ${resourceKey}: database user "${member}"${input ? ` (for ${input.person.email})` : ''} does not exist in the target database; create it before granting ${role}`;
  return new ConnectorError('connector_unknown_role', message, {
    details: { resource: resourceKey, role: which === 'target' ? role : member, which },
  });
}

// Node socket errors and postgres.js's own connection errors: the target is unreachable for now.
const CONNECTION_ERRORS = new Set<string>([
  ...SOCKET_ERROR_CODES,
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
]);

/** Context a classified error names. */
export type PostgresErrorContext = { resourceKey: string; role: string; member: string };

/**
 * Maps a failure from the target to a ConnectorError: 42704 → `connector_unknown_role` (naming the
 * role), 42501 → `connector_permission_denied`, 28xxx/3D000 → `connector_misconfigured`,
 * connection errors, 08xxx, 57xxx, 53xxx, 40001/40P01 and 55P03 → retryable `connector_unavailable`,
 * other SQLSTATEs → `connector_rejected`, anything else → retryable `connector_failed`.
 */
export function classifyPostgresError(error: unknown, context: PostgresErrorContext): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const { resourceKey } = context;
  const details = { resource: resourceKey, role: context.role, member: context.member };

  if (error instanceof postgres.PostgresError) {
    const sqlstate = error.code;
    const reason = `${error.message} (SQLSTATE ${sqlstate})`;
    const withState = { ...details, sqlstate };
    if (sqlstate === '42704') {
      const missing = /role "(.+)" does not exist/.exec(error.message)?.[1];
      return unknownRole(
        resourceKey,
        context.role,
        context.member,
        missing === context.member ? 'member' : 'target',
      );
    }
    if (sqlstate === '42501') {
      return new ConnectorError(
        'connector_permission_denied',
        `resource ${resourceKey}: the connector's database account may not change membership of ${context.role}: ${reason}; give it ADMIN OPTION on the role`,
        { details: withState, cause: error },
      );
    }
    if (sqlstate.startsWith('28') || sqlstate === '3D000') {
      return new ConnectorError(
        'connector_misconfigured',
        `resource ${resourceKey}: cannot log in to the target database: ${reason}`,
        { details: withState, cause: error },
      );
    }
    if (isTransientSqlstate(sqlstate)) {
      return new ConnectorError('connector_unavailable', `resource ${resourceKey}: ${reason}`, {
        details: withState,
        cause: error,
      });
    }
    if (sqlstate.startsWith('XX') || sqlstate.startsWith('58')) {
      return new ConnectorError('connector_failed', `resource ${resourceKey}: ${reason}`, {
        details: withState,
        cause: error,
      });
    }
    return new ConnectorError('connector_rejected', `resource ${resourceKey}: ${reason}`, {
      details: withState,
      cause: error,
    });
  }

  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && CONNECTION_ERRORS.has(code)) {
    return new ConnectorError(
      'connector_unavailable',
      `resource ${resourceKey}: target database unreachable: ${message}`,
      { details: { ...details, reason: code }, cause: error },
    );
  }
  return new ConnectorError('connector_failed', `resource ${resourceKey}: ${message}`, {
    details,
    cause: error,
  });
}

// Connection exceptions, operator intervention (admin shutdown, statement/lock timeouts), resource
// limits (too many connections), serialization failures and deadlocks, lock not available.
function isTransientSqlstate(sqlstate: string): boolean {
  return (
    sqlstate.startsWith('08') ||
    sqlstate.startsWith('57') ||
    sqlstate.startsWith('53') ||
    sqlstate === '40001' ||
    sqlstate === '40P01' ||
    sqlstate === '55P03'
  );
}
