// Part 3 of `npm run bench -- lifecycle`: reconciling a large postgres target. One role with
// `members` direct members (NOLOGIN roles made in bulk by SQL), every member a known person, all but
// `orphans` of them with an active grant of the entitlement: the run must find exactly the orphans
// planted, and nothing missing. The real reconcile workflow (reconcileNow, as the CLI and the API
// start it) runs on the real worker; a warm-up run on an empty role goes first.
//
// Baseline: a plain SELECT of the same membership rows (pg_auth_members joined to pg_roles), read
// to the end by the client, on the same target database.
import postgres from 'postgres';
import { stringify } from 'yaml';
import { createConnectors } from '../connectors/index.js';
import type { Teardown } from '../core/teardown.js';
import { importDirectory } from '../directory/import.js';
import { parseDirectorySource } from '../directory/parse.js';
import { reconcileNow } from '../reconcile/start.js';
import type { ReconcileOutcome } from '../workflows/messages.js';
import { benchDatabase, progress, report, timed } from './harness.js';
import { type LifecycleTemporal, startLifecycleWorker, waitAtMost } from './lifecycle-stack.js';

const TARGET_DATABASE = 'bench_reconcile_target';
const ROLE = 'bench_reconcile_member';
const WARMUP_ROLE = 'bench_reconcile_warmup';
const URL_ENV = 'BENCH_RECONCILE_TARGET_URL';
/** A run that takes this long is stuck, not slow: fail instead of hanging. */
const RECONCILE_TIMEOUT_MS = 1_800_000;

const directory = (resources: { key: string; role: string }[]) =>
  stringify({
    people: [{ email: 'owner@bench.test', name: 'Bench Owner' }],
    groups: [],
    policies: [{ key: 'owner', steps: [{ name: 'Owner', approvers: ['resource_owner'] }] }],
    resources: resources.map(({ key, role }) => ({
      key,
      name: key,
      owner: 'owner@bench.test',
      connector: { kind: 'postgres', databaseUrlEnv: URL_ENV },
      entitlements: [
        { key: 'member', name: 'Member', risk: 'low', maxDuration: '8h', policy: 'owner', target: { role } },
      ],
    })),
    separationOfDuties: [],
  });

/** Roles and memberships made per transaction while seeding (each holds a lock per role). */
const SEED_CHUNK = 2_000;

/** Roles, memberships, people and grants, in bulk; member i (from 1) is `rm_<i, zero-padded>`. */
async function seed(sql: postgres.Sql, members: number, orphans: number, width: number): Promise<void> {
  const name = `'rm_' || lpad(i::text, ${width}, '0')`;
  for (let lo = 1; lo <= members; lo += SEED_CHUNK) {
    const hi = Math.min(lo + SEED_CHUNK - 1, members);
    await sql.unsafe(`
      do $$ declare names text; begin
        for i in ${lo}..${hi} loop execute format('create role %I nologin', ${name}); end loop;
        select string_agg(quote_ident(${name}), ', ') into names from generate_series(${lo}, ${hi}) as i;
        execute 'grant ${ROLE} to ' || names;
      end $$`);
  }
  // Every member is a known person; the first `orphans` of them hold no grant.
  await sql.unsafe(`
    insert into people (email, name)
    select ${name} || '@bench.test', 'Member ' || i from generate_series(1, ${members}) as i`);
  await sql`
    insert into grants (id, person_id, entitlement_id, status, source, granted_at)
    select gen_random_uuid(), p.id, e.id, 'active', 'import', now() - interval '30 days'
    from people p
    cross join (
      select e.id from entitlements e join resources r on r.id = e.resource_id where r.key = 'bench-recon'
    ) e
    where p.email like 'rm\\_%' and p.email > ${`rm_${String(orphans).padStart(width, '0')}@bench.test`}`;
  await sql`analyze`;
}

/** Members per second of a full reconciliation, beside reading the same memberships plainly. */
export async function runReconcilePart(
  temporal: LifecycleTemporal,
  teardown: Teardown,
  sizes: { members: number; orphans: number },
): Promise<void> {
  progress('starting PostgreSQL…');
  const database = await benchDatabase();
  teardown.add(database.close, 'PostgreSQL');
  const sql = database.owner;
  const width = Math.max(6, String(sizes.members).length);
  await sql.unsafe(`create database ${TARGET_DATABASE}`);
  await sql.unsafe(`create role ${ROLE} nologin`);
  await sql.unsafe(`create role ${WARMUP_ROLE} nologin`);
  // The 100k roles live in this part's own cluster, which `database.close` removes with its folder.
  teardown.add(
    () => sql.unsafe(`drop database if exists ${TARGET_DATABASE} with (force)`),
    'reconcile target',
  );
  const url = new URL(database.ownerUrl);
  url.pathname = `/${TARGET_DATABASE}`;

  const worker = await startLifecycleWorker({
    runtimeUrl: database.runtimeUrl,
    temporal: temporal.target,
    connectors: (() => {
      const connectors = createConnectors({ [URL_ENV]: url.toString() });
      teardown.add(connectors.close, 'connectors');
      return connectors;
    })(),
    teardown,
  });
  const resources = [
    { key: 'bench-recon', role: ROLE },
    { key: 'bench-recon-warmup', role: WARMUP_ROLE },
  ];
  await importDirectory(worker.runtime.db, parseDirectorySource(directory(resources), 'reconcile.yaml'), {
    actor: 'bench',
  });
  progress(`seeding ${sizes.members.toLocaleString('en-US')} members, people and grants…`);
  const seedMs = await timed(() => seed(sql, sizes.members, sizes.orphans, width));
  progress(`seeded in ${(seedMs / 1000).toFixed(1)} s`);

  const deps = { db: worker.runtime.db, temporal: worker.temporal, taskQueue: worker.taskQueue };
  const reconcile = async (resource: string): Promise<ReconcileOutcome> => {
    const run = await waitAtMost(worker.temporal, teardown, RECONCILE_TIMEOUT_MS, () =>
      reconcileNow(deps, { resource, wait: true }, { by: 'bench' }),
    );
    if (run.outcome?.outcome !== 'completed') throw new Error(`${resource}: ${JSON.stringify(run.outcome)}`);
    return run.outcome;
  };
  await reconcile('bench-recon-warmup');
  progress('reconciling…');
  let outcome: ReconcileOutcome | undefined;
  const reconcileMs = await timed(async () => {
    outcome = await reconcile('bench-recon');
  });
  progress(`reconciled in ${(reconcileMs / 1000).toFixed(1)} s: ${JSON.stringify(outcome?.counts)}`);

  // The findings are the ones planted, or the figure means nothing.
  const granted = sizes.members - sizes.orphans;
  const counts = outcome?.counts;
  const [found] = await sql<{ orphan: number; missing: number; unknown: number }[]>`
    select count(*) filter (where f.kind = 'orphan')::int as orphan,
      count(*) filter (where f.kind = 'missing')::int as missing,
      count(*) filter (where f.kind = 'unknown_account')::int as unknown
    from findings f join resources r on r.id = f.resource_id
    where r.key = 'bench-recon' and f.status = 'open'`;
  if (
    counts?.holdings !== sizes.members ||
    counts.grants !== granted ||
    counts.matched !== granted ||
    counts.open !== sizes.orphans ||
    found?.orphan !== sizes.orphans ||
    found.missing !== 0 ||
    found.unknown !== 0
  ) {
    throw new Error(
      `reconciliation found ${JSON.stringify(found)} (counts ${JSON.stringify(counts)}); planted ` +
        `${sizes.orphans} orphans, 0 missing, 0 unknown among ${sizes.members} members and ${granted} grants`,
    );
  }

  // The baseline: the same memberships, read to the end by a client of the target database.
  const target = postgres(url.toString(), { max: 1, onnotice: () => {} });
  teardown.add(() => target.end(), 'baseline client');
  const select = async () => {
    const rows = await target`
      select u.rolname from pg_auth_members m
      join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member
      where r.rolname = ${ROLE}`;
    if (rows.length !== sizes.members) throw new Error(`the SELECT read ${rows.length} members`);
  };
  await select();
  const selectMs = await timed(select);
  report({
    name: `reconcile, ${sizes.members.toLocaleString('en-US')} members (members/s)`,
    value: sizes.members / (reconcileMs / 1000),
    unit: 'members/s',
    baseline: sizes.members / (selectMs / 1000),
    baselineName: 'plain SELECT of the memberships',
  });
}
