// The leaver part's three real targets, each made for this run and removed after it (through the
// teardown given): a database with one role per entitlement on the bench's PostgreSQL; roles on a
// MariaDB server, under names of this run only (the server may be shared); an OpenLDAP slapd of the
// bench's own (test/helpers/slapd.ts, as the ldap connector's tests start it) with one groupOfNames
// per entitlement. Each comes with the directory file's connector block and the environment it names.
// `startTargets` spreads the grants over the three, or over postgres and ldap when MariaDB (at
// BENCH_MYSQL_URL, default mysql://root@127.0.0.1:3306) cannot be reached, and says so.
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { type ConnectorConfig, databaseUserFor } from '../connectors/index.js';
import type { Teardown } from '../core/teardown.js';
import {
  LDAP_GROUPS_DN,
  LDAP_PEOPLE_DN,
  LDAP_PLACEHOLDER_MEMBER,
  LDAP_SERVICE,
  startSlapd,
} from '../test/helpers/slapd.js';
import { type benchDatabase, progress } from './harness.js';

/** One target: a resource of the directory file and the entitlements it offers there. */
export type LeaverTarget = {
  resourceKey: string;
  connector: ConnectorConfig;
  env: Record<string, string>;
  entitlements: { key: string; target: Record<string, unknown> }[];
};

/** The person who leaves: their email and the names the targets know them by. */
export type Holder = { email: string; name: string; uid: string };

const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

const entitlementKey = (i: number) => `e${String(i + 1).padStart(3, '0')}`;

/** A connection to MariaDB as BENCH_MYSQL_URL's admin (ended by `teardown`), or why there is none. */
async function reachMysql(
  teardown: Teardown,
): Promise<{ admin: mysql.Connection } | { error: string; where: string }> {
  try {
    const admin = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3_000 });
    teardown.add(() => admin.end(), 'MariaDB connection');
    return { admin };
  } catch (error) {
    const url = new URL(MYSQL_URL);
    const message = (error as Error).message || (error as { code?: string }).code || String(error);
    return { error: message, where: `${url.hostname}:${url.port || 3306}` };
  }
}

/** A database of its own with `count` NOLOGIN roles and the holder's login user. */
async function postgresTarget(
  database: Awaited<ReturnType<typeof benchDatabase>>,
  holder: Holder,
  count: number,
  teardown: Teardown,
): Promise<LeaverTarget> {
  const sql = database.owner;
  const roles = Array.from({ length: count }, (_, i) => `bench_leaver_${entitlementKey(i)}`);
  const user = databaseUserFor(holder.email);
  await sql.unsafe('create database bench_leaver_target');
  teardown.add(async () => {
    await sql.unsafe('drop database if exists bench_leaver_target with (force)');
    for (const role of [...roles, user]) await sql.unsafe(`drop role if exists ${role}`);
  }, 'postgres target');
  for (const role of roles) await sql.unsafe(`create role ${role} nologin`);
  await sql.unsafe(`create role ${user} login`);
  const url = new URL(database.ownerUrl);
  url.pathname = '/bench_leaver_target';
  return {
    resourceKey: 'bench-pg',
    connector: { kind: 'postgres', databaseUrlEnv: 'BENCH_LEAVER_PG_URL' },
    env: { BENCH_LEAVER_PG_URL: url.toString() },
    entitlements: roles.map((role, i) => ({ key: entitlementKey(i), target: { role } })),
  };
}

/**
 * Roles on MariaDB administered by a connector account of this run (the least the connector
 * needs: ADMIN OPTION on its roles, SELECT on mysql.roles_mapping), and the holder's account.
 */
async function mysqlTarget(
  admin: mysql.Connection,
  holder: Holder,
  count: number,
  teardown: Teardown,
): Promise<LeaverTarget> {
  const suffix = randomBytes(4).toString('hex');
  const connector = `gf_bench_conn_${suffix}`;
  const password = randomBytes(12).toString('hex');
  const user = databaseUserFor(holder.email);
  const roles = Array.from({ length: count }, (_, i) => `gf_bench_${suffix}_${entitlementKey(i)}`);
  teardown.add(async () => {
    for (const role of roles) await admin.query('drop role if exists ??', [role]);
    for (const account of [connector, user]) await admin.query('drop user if exists ?@?', [account, '%']);
  }, 'MariaDB target');
  await admin.query('create user ?@? identified by ?', [connector, '%', password]);
  await admin.query('grant select on mysql.roles_mapping to ?@?', [connector, '%']);
  await admin.query('create user ?@?', [user, '%']);
  for (const role of roles) await admin.query('create role ?? with admin ?@?', [role, connector, '%']);
  const url = new URL(MYSQL_URL);
  url.username = connector;
  url.password = password;
  url.pathname = '';
  return {
    resourceKey: 'bench-mysql',
    connector: { kind: 'mysql', databaseUrlEnv: 'BENCH_LEAVER_MYSQL_URL' },
    env: { BENCH_LEAVER_MYSQL_URL: url.toString() },
    entitlements: roles.map((role, i) => ({ key: entitlementKey(i), target: { role } })),
  };
}

/** A slapd of the bench's own with the holder's entry and `count` groups holding only the placeholder. */
async function ldapTarget(holder: Holder, count: number, teardown: Teardown): Promise<LeaverTarget> {
  const slapd = await startSlapd();
  teardown.add(slapd.stop, 'slapd');
  const groups = Array.from({ length: count }, (_, i) => `cn=bench-${entitlementKey(i)},${LDAP_GROUPS_DN}`);
  const admin = await slapd.admin();
  try {
    await admin.add(`uid=${holder.uid},${LDAP_PEOPLE_DN}`, {
      objectClass: 'inetOrgPerson',
      uid: holder.uid,
      cn: holder.name,
      sn: holder.name.split(' ').at(-1) ?? holder.name,
      mail: holder.email,
    });
    for (const [i, dn] of groups.entries()) {
      await admin.add(dn, {
        objectClass: 'groupOfNames',
        cn: `bench-${entitlementKey(i)}`,
        member: LDAP_PLACEHOLDER_MEMBER,
      });
    }
  } finally {
    await admin.unbind();
  }
  return {
    resourceKey: 'bench-ldap',
    connector: {
      kind: 'ldap',
      urlEnv: 'BENCH_LEAVER_LDAP_URL',
      bindDnEnv: 'BENCH_LEAVER_LDAP_DN',
      bindPasswordEnv: 'BENCH_LEAVER_LDAP_PASSWORD',
      usersBaseDn: LDAP_PEOPLE_DN,
      userAttribute: 'mail',
      placeholderMemberDn: LDAP_PLACEHOLDER_MEMBER,
    },
    env: {
      BENCH_LEAVER_LDAP_URL: slapd.url,
      BENCH_LEAVER_LDAP_DN: LDAP_SERVICE.dn,
      BENCH_LEAVER_LDAP_PASSWORD: LDAP_SERVICE.password,
    },
    entitlements: groups.map((groupDn, i) => ({ key: entitlementKey(i), target: { groupDn } })),
  };
}

/** The targets, spread `grants` over: postgres, MariaDB (when reachable) and ldap. */
export async function startTargets(
  database: Awaited<ReturnType<typeof benchDatabase>>,
  holder: Holder,
  grants: number,
  teardown: Teardown,
): Promise<LeaverTarget[]> {
  const mysql = await reachMysql(teardown);
  if (!('admin' in mysql)) {
    progress(
      `MariaDB is not reachable at ${mysql.where} (${mysql.error}): the mysql third is skipped, ` +
        `the ${grants} grants are spread over postgres and ldap`,
    );
  }
  const kinds = 'admin' in mysql ? 3 : 2;
  const share = (k: number) => Math.floor(grants / kinds) + (k < grants % kinds ? 1 : 0);
  progress(`targets: postgres, ${'admin' in mysql ? 'MariaDB, ' : ''}slapd…`);
  const targets = [await postgresTarget(database, holder, share(0), teardown)];
  if ('admin' in mysql) targets.push(await mysqlTarget(mysql.admin, holder, share(1), teardown));
  targets.push(await ldapTarget(holder, share(kinds - 1), teardown));
  return targets;
}
