// Part 1 of `npm run bench -- lifecycle`: an identity provider's first push through grantflow's SCIM
// service provider. The real API listens on a free port, with a SCIM connection an admin created
// through the API; the IdP (lifecycle-idp.ts) pushes its users and groups over HTTP.
//
// Baseline: the same person, group and membership rows (read back from what SCIM wrote, so every
// column value is the same) INSERTed one row per statement from as many concurrent clients into
// copies of the tables (same indexes and checks) in the same database.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import postgres from 'postgres';
import { buildServer } from '../api/server.js';
import { generateSignerKey, parseVerifierKey } from '../audit/signed-note.js';
import { loadConfig } from '../core/config.js';
import type { Teardown } from '../core/teardown.js';
import { connectDatabase } from '../db/client.js';
import { createApiToken } from '../db/queries/api-tokens.js';
import { connectClient } from '../temporal/connection.js';
import { benchDatabase, percentile, progress, report, timed } from './harness.js';
import {
  CLIENTS,
  MEMBERS_PER_GROUP,
  pushedUsers,
  pushGroups,
  pushUsers,
  scimClient,
} from './lifecycle-idp.js';
import { inLanes, type LifecycleTemporal } from './lifecycle-stack.js';

/** Users (and groups) pushed before anything is measured: JIT, connections, route compilation. */
const WARMUP = 40;
const CONNECTION = 'bench-idp';

const PERSON_COLUMNS = [
  'email',
  'name',
  'status',
  'source',
  'external_id',
  'title',
  'department',
  'employee_number',
  'manager_id',
];

/** One INSERT per row of `rows` into `table` from CLIENTS clients; each statement's latency. */
async function plainInserts(
  sql: postgres.Sql,
  table: string,
  rows: Record<string, unknown>[],
): Promise<number[]> {
  const latencies: number[] = [];
  await inLanes(rows, CLIENTS, async (row) => {
    const started = performance.now();
    await sql`insert into ${sql(table)} ${sql(row as Record<string, postgres.ParameterOrJSON<never>>)}`;
    latencies.push(performance.now() - started);
  });
  return latencies;
}

const p = (values: number[], at: number) => percentile(values, at).toFixed(1);

/** SCIM push throughput and POST latency, each beside plain INSERTs of the same rows. */
export async function runScimPart(
  temporal: LifecycleTemporal,
  teardown: Teardown,
  sizes: { users: number; groups: number },
): Promise<void> {
  progress('starting PostgreSQL…');
  const database = await benchDatabase();
  teardown.add(database.close, 'PostgreSQL');

  // The API as `grantflow api` runs it (its default pool), listening on a free port.
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  const api = connectDatabase(database.runtimeUrl, { applicationName: 'grantflow-api' });
  teardown.add(api.close, 'API pool');
  const client = await connectClient(temporal.target);
  teardown.add(() => client.connection.close(), 'API Temporal client');
  const exportDir = mkdtempSync(path.join(os.tmpdir(), 'grantflow-bench-checkpoints-'));
  teardown.add(async () => rmSync(exportDir, { recursive: true, force: true }), 'checkpoint folder');
  const app = await buildServer(
    {
      config: { ...config, TEMPORAL_TASK_QUEUE: `bench-lifecycle-${randomUUID()}` },
      db: api.db,
      sql: api.sql,
      temporal: client,
      ledger: { verifiers: [parseVerifierKey(generateSignerKey('grantflow-bench').verifierKey)], exportDir },
    },
    pino({ level: 'silent' }),
  );
  teardown.add(() => app.close(), 'API');
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  // An admin creates the IdP's connection through the API and hands its token to the IdP.
  const [admin] = await database.owner<{ id: string }[]>`
    insert into people (email, name) values ('admin@bench.test', 'Bench Admin') returning id`;
  const adminToken = (await createApiToken(api.db, { personId: admin?.id ?? '', role: 'admin' })).token;
  const response = await fetch(`${base}/api/v1/scim/connections`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: CONNECTION }),
  });
  if (response.status !== 201) throw new Error(`creating the SCIM connection: ${await response.text()}`);
  // Stopped first: clients that kept pushing would keep the API from closing.
  const idp = scimClient(base, ((await response.json()) as { token: string }).token);
  teardown.add(async () => idp.stop(), 'SCIM clients');
  const scim = idp.call;

  progress(`warming up: ${WARMUP} users and groups…`);
  const warm = await pushUsers(scim, pushedUsers('warmup', WARMUP), 'warm-up users');
  await pushGroups(scim, 'Warmup', WARMUP, warm.ids, 'warm-up groups');

  progress(`pushing ${sizes.users} users from ${CLIENTS} clients…`);
  const users = pushedUsers('user', sizes.users);
  let pushed: Awaited<ReturnType<typeof pushUsers>> | undefined;
  const usersMs = await timed(async () => {
    pushed = await pushUsers(scim, users, 'users pushed');
  });
  const { ids, latencies } = pushed as NonNullable<typeof pushed>;
  progress(`pushing ${sizes.groups} groups of ${MEMBERS_PER_GROUP} members…`);
  let patchMs: number[] = [];
  const groupsMs = await timed(async () => {
    patchMs = await pushGroups(scim, 'Bench Group', sizes.groups, ids, 'groups pushed');
  });

  const sql = database.owner;
  const [counts] = await sql<{ people: number; members: number }[]>`
    select (select count(*)::int from people where source = ${`scim:${CONNECTION}`} and email like 'user-%') as people,
      (select count(*)::int from group_members m join groups g on g.id = m.group_id
       where g.name like 'Bench Group %') as members`;
  if (counts?.people !== sizes.users || counts.members !== sizes.groups * MEMBERS_PER_GROUP) {
    throw new Error(
      `SCIM wrote ${counts?.people} people and ${counts?.members} memberships, expected ` +
        `${sizes.users} and ${sizes.groups * MEMBERS_PER_GROUP}`,
    );
  }
  const tenth = Math.max(1, Math.floor(latencies.get.length / 10));
  progress(
    `GET /Users?filter p50 ${p(latencies.get, 50)} ms, p99 ${p(latencies.get, 99)} ms ` +
      `(p50 of the first tenth ${p(latencies.get.slice(0, tenth), 50)} ms, ` +
      `of the last tenth ${p(latencies.get.slice(-tenth), 50)} ms)`,
  );
  progress(`POST /Users p50 ${p(latencies.post, 50)} ms; PATCH /Groups p50 ${p(patchMs, 50)} ms`);

  // The baseline: the same rows, one INSERT each, into copies with the same indexes and checks.
  const plain = postgres(database.ownerUrl, { max: CLIENTS, onnotice: () => {} });
  teardown.add(() => plain.end(), 'baseline pool');
  for (const table of ['people', 'groups', 'group_members']) {
    await plain.unsafe(`create table bench_plain_${table} (like ${table} including all)`);
  }
  const personRows = (email: string) => plain<Record<string, unknown>[]>`
    select ${plain(PERSON_COLUMNS)} from people where email like ${email} order by created_at, id`;
  await plainInserts(plain, 'bench_plain_people', await personRows('warmup-%'));
  const people = await personRows('user-%');
  let insertMs: number[] = [];
  const plainUsersMs = await timed(async () => {
    insertMs = await plainInserts(plain, 'bench_plain_people', people);
  });
  const groups = await plain<
    { id: string; key: string; name: string; source: string; external_id: string }[]
  >`
    select id, key, name, source, external_id from groups where name like 'Bench Group %' order by created_at`;
  const members = await plain<{ group_id: string; person_id: string }[]>`
    select group_id, person_id from group_members
    where group_id = any(${plain.array(groups.map((g) => g.id))}::uuid[])`;
  const membersOf = new Map<string, { group_id: string; person_id: string }[]>();
  for (const member of members)
    membersOf.set(member.group_id, [...(membersOf.get(member.group_id) ?? []), member]);
  const plainGroupsMs = await timed(() =>
    inLanes(groups, CLIENTS, async ({ id, ...group }) => {
      await plain`insert into bench_plain_groups ${plain({ ...group, id })}`;
      for (const member of membersOf.get(id) ?? []) {
        await plain`insert into bench_plain_group_members ${plain(member)}`;
      }
    }),
  );

  report({
    name: `SCIM push, ${sizes.users} users × ${CLIENTS} clients (users/s)`,
    value: sizes.users / (usersMs / 1000),
    unit: 'users/s',
    baseline: sizes.users / (plainUsersMs / 1000),
    baselineName: 'plain INSERT per person',
  });
  report({
    name: 'SCIM POST /Users, p99 (ms)',
    value: percentile(latencies.post, 99),
    unit: 'ms',
    baseline: percentile(insertMs, 99),
    baselineName: 'plain INSERT p99',
  });
  report({
    name: `SCIM push, ${sizes.groups} groups × ${MEMBERS_PER_GROUP} members (groups/s)`,
    value: sizes.groups / (groupsMs / 1000),
    unit: 'groups/s',
    baseline: sizes.groups / (plainGroupsMs / 1000),
    baselineName: `plain INSERT group + ${MEMBERS_PER_GROUP} rows`,
  });
}
