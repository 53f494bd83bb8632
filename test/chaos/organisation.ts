// The organisation the chaos load runs in: people, a two-step policy, two postgres resources on a
// target database of the suite's own PostgreSQL (a role per entitlement, a database user per
// person, a connector login with ADMIN OPTION as production would give it), access some people
// hold already (what the campaign reviews), and a bearer token per person.
//
// The target counts role changes for real: the connector login's sessions on the target database
// log every statement they complete (log_min_duration_statement = 0), so each GRANT and REVOKE
// the connector ran is a line in the server's log, which survives SIGKILL. Membership alone could
// not tell one GRANT from two.
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { databaseUserFor } from '../../connectors/index.js';
import type { Database } from '../../db/client.js';
import { createApiToken } from '../../db/queries/api-tokens.js';
import { getPersonByEmail } from '../../db/queries/people.js';
import { importDirectory } from '../../directory/import.js';
import { parseDirectorySource } from '../../directory/parse.js';
import { withDatabase, withRole } from '../helpers/services.js';

/** Entitlements of the `app` resource people request during the run (one target role each). */
export const APP_ENTITLEMENTS = ['read', 'write', 'report', 'deploy'] as const;
/** The `legacy` resource's one entitlement: held from the start, reviewed by the campaign. */
export const LEGACY_ENTITLEMENT = 'viewer';
/** The variable the worker reads the target's URL from (named by the catalog). */
const TARGET_URL_ENV = 'CHAOS_TARGET_DATABASE_URL';

const TARGET_DATABASE = 'chaos_target';
const CONNECTOR = { name: 'chaos_connector', password: 'chaos_connector_password' };

/** Who is who; emails are `<name>@chaos.test`. */
export type People = {
  managers: string[];
  owner: string;
  admin: string;
  requesters: string[];
  /** Requesters who already hold legacy/viewer: the campaign's population. */
  legacyHolders: string[];
  managerOf(email: string): string;
};

/** The organisation, ready for the load. */
export type Organisation = {
  people: People;
  token(email: string): string;
  /** The target role of `resource/entitlement`. */
  roleOf(resource: string, entitlement: string): string;
  /** Environment the worker needs to reach the target. */
  connectorEnv: Record<string, string>;
  /** Every GRANT and REVOKE the connector completed at the target, from the server's log. */
  roleChanges(): RoleChange[];
};

/** One completed GRANT or REVOKE at the target. */
export type RoleChange = { kind: 'grant' | 'revoke'; role: string; member: string };

const email = (name: string) => `${name}@chaos.test`;
const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

function peopleOf(requesterCount: number, legacyCount: number): People {
  const managers = ['m1', 'm2', 'm3', 'm4'].map(email);
  const requesters = Array.from({ length: requesterCount }, (_, i) =>
    email(`u${String(i + 1).padStart(2, '0')}`),
  );
  const managerOf = (person: string) => managers[requesters.indexOf(person) % managers.length] ?? '';
  return {
    managers,
    owner: email('owner'),
    admin: email('admin'),
    requesters,
    legacyHolders: requesters.slice(0, legacyCount),
    managerOf,
  };
}

function directoryYaml(people: People): string {
  const person = (who: string, manager?: string) =>
    `  - { email: ${who}, name: ${who.split('@')[0]}${manager ? `, manager: ${manager}` : ''} }\n`;
  const entitlement = (resource: string, key: string) =>
    `      - { key: ${key}, name: ${key}, risk: medium, maxDuration: 8h, policy: two-step, target: { role: ${resource}_${key} } }\n`;
  return `people:
${person(email('ceo'))}${people.managers.map((m) => person(m, email('ceo'))).join('')}${person(people.owner, email('ceo'))}${person(people.admin, email('ceo'))}${people.requesters.map((r) => person(r, people.managerOf(r))).join('')}
groups: []
separationOfDuties: []
policies:
  - key: two-step
    steps:
      - { name: Manager, approvers: [manager] }
      - { name: Owner, approvers: [resource_owner] }
resources:
  - key: app
    name: App DB
    owner: ${people.owner}
    connector: { kind: postgres, databaseUrlEnv: ${TARGET_URL_ENV} }
    entitlements:
${APP_ENTITLEMENTS.map((key) => entitlement('app', key)).join('')}  - key: legacy
    name: Legacy DB
    owner: ${people.owner}
    connector: { kind: postgres, databaseUrlEnv: ${TARGET_URL_ENV} }
    entitlements:
${entitlement('legacy', LEGACY_ENTITLEMENT)}
access:
${people.legacyHolders.map((holder) => `  - { person: ${holder}, entitlement: legacy/${LEGACY_ENTITLEMENT}, since: 2024-01-01 }\n`).join('')}`;
}

/** Creates the target database, its roles and users, and the connector login. */
async function createTarget(ownerUrl: string, people: People): Promise<string> {
  const admin = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  const roles = [...APP_ENTITLEMENTS.map((key) => `app_${key}`), `legacy_${LEGACY_ENTITLEMENT}`];
  try {
    await admin.unsafe(`create database ${TARGET_DATABASE}`);
    await admin.unsafe(`create role ${CONNECTOR.name} login password '${CONNECTOR.password}'`);
    for (const role of roles) {
      await admin.unsafe(`create role ${ident(role)} nologin`);
      await admin.unsafe(`grant ${ident(role)} to ${CONNECTOR.name} with admin option`);
    }
    for (const who of [...people.managers, people.owner, people.admin, ...people.requesters])
      await admin.unsafe(`create role ${ident(databaseUserFor(who))} nologin`);
    // Who ran each logged statement, and where: the count keeps to the connector on the target.
    await admin.unsafe(`alter system set log_line_prefix = '%m [%p] %u@%d '`);
    await admin`select pg_reload_conf()`;
  } finally {
    await admin.end();
  }
  const connectorUrl = withRole(withDatabase(ownerUrl, TARGET_DATABASE), CONNECTOR);
  // The access the legacy holders had before grantflow, granted by the connector's login (as the
  // connector would have) before its statements are counted.
  const connector = postgres(connectorUrl, { max: 1, onnotice: () => {} });
  try {
    for (const holder of people.legacyHolders)
      await connector.unsafe(`grant legacy_${LEGACY_ENTITLEMENT} to ${ident(databaseUserFor(holder))}`);
  } finally {
    await connector.end();
  }
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await owner.unsafe(
      `alter role ${CONNECTOR.name} in database ${TARGET_DATABASE} set log_min_duration_statement = 0`,
    );
  } finally {
    await owner.end();
  }
  return connectorUrl;
}

const COMPLETED = new RegExp(
  `${CONNECTOR.name}@${TARGET_DATABASE} .*duration: [\\d.]+ ms\\s+execute [^:]*: (grant|revoke) "(\\w+)" (?:to|from) "(\\w+)"`,
);

/** Every GRANT/REVOKE statement the connector completed at the target, read from `logFile`. */
function readRoleChanges(logFile: string): RoleChange[] {
  const changes: RoleChange[] = [];
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    const match = COMPLETED.exec(line);
    if (match)
      changes.push({ kind: match[1] as RoleChange['kind'], role: match[2] ?? '', member: match[3] ?? '' });
  }
  return changes;
}

/** Builds the organisation on the migrated database `db` and the PostgreSQL at `ownerUrl`. */
export async function createOrganisation(
  db: Database,
  ownerUrl: string,
  logFile: string,
  sizes: { requesters: number; legacyHolders: number },
): Promise<Organisation> {
  const people = peopleOf(sizes.requesters, sizes.legacyHolders);
  const connectorUrl = await createTarget(ownerUrl, people);
  await importDirectory(db, parseDirectorySource(directoryYaml(people), 'chaos.yaml'), {
    actor: 'chaos-suite',
  });
  const tokens = new Map<string, string>();
  for (const who of [...people.managers, people.owner, people.admin, ...people.requesters]) {
    const person = await getPersonByEmail(db, who);
    if (!person) throw new Error(`${who} was not imported`);
    const role = who === people.admin ? 'admin' : 'employee';
    tokens.set(who, (await createApiToken(db, { personId: person.id, role })).token);
  }
  return {
    people,
    token: (who) => tokens.get(who) ?? '',
    roleOf: (resource, entitlement) => `${resource}_${entitlement}`,
    connectorEnv: { [TARGET_URL_ENV]: connectorUrl },
    roleChanges: () => readRoleChanges(logFile),
  };
}
