// The stack `npm run bench -- campaigns` drives: a directory of `items / 20` holders (25 per
// manager, every manager under one director) holding 20 entitlements each on `manual` resources
// (no target to reach, nothing to revoke), written by SQL in a few statements; the real
// `grantflow worker` as a child process of its own, so its memory can be read from /proc; the real
// API listening on a free port, in this process.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type postgres from 'postgres';
import { buildServer } from '../api/server.js';
import { generateSignerKey, parseVerifierKey } from '../audit/signed-note.js';
import { loadConfig } from '../core/config.js';
import { createTeardown, reportToStderr } from '../core/teardown.js';
import { connectDatabase, type DatabaseHandle } from '../db/client.js';
import { connectClient, type TemporalTarget } from '../temporal/connection.js';
import type { benchDatabase } from './harness.js';
import { startWorkerProcess, type WorkerProcess } from './worker-process.js';

/** Grants per holder: every holder holds every bench entitlement. */
const GRANTS_PER_HOLDER = 20;
/** Holders per manager, so each manager reviews 25 × 20 = 500 items. */
const REPORTS_PER_MANAGER = 25;
/** The resources the measured campaigns cover (4 entitlements each). */
export const BENCH_RESOURCES = ['bench-app-1', 'bench-app-2', 'bench-app-3', 'bench-app-4', 'bench-app-5'];
/** A resource of its own for the warm-up campaign, outside the measured scope. */
export const WARMUP_RESOURCE = 'bench-warmup';
/** Grants on the warm-up resource (one each for the first holders). */
export const WARMUP_GRANTS = 50;

type BenchDatabase = Awaited<ReturnType<typeof benchDatabase>>;

/**
 * Writes the directory, the catalog and `items` active grants (plus the warm-up ones) in bulk SQL,
 * then ANALYZEs, as a database that has been running a while would have statistics.
 */
export async function seedDirectory(database: BenchDatabase, items: number): Promise<void> {
  const sql = database.owner;
  const holders = Math.ceil(items / GRANTS_PER_HOLDER);
  const managers = Math.ceil(holders / REPORTS_PER_MANAGER);
  await sql.begin(async (tx) => {
    await tx`insert into people (email, name) values
      ('admin@bench.test', 'Bench Admin'), ('director@bench.test', 'Bench Director'),
      ('owner@bench.test', 'Bench Owner')`;
    await tx`
      insert into people (email, name, manager_id, department)
      select format('manager-%s@bench.test', lpad(i::text, 4, '0')), 'Manager ' || i, d.id, 'engineering'
      from generate_series(1, ${managers}::int) as i, people d where d.email = 'director@bench.test'`;
    await tx`
      insert into people (email, name, manager_id, department)
      select format('holder-%s@bench.test', lpad(i::text, 6, '0')), 'Holder ' || i, m.id, 'engineering'
      from generate_series(1, ${holders}::int) as i
      join people m on m.email = format(
        'manager-%s@bench.test', lpad(((i - 1) / ${REPORTS_PER_MANAGER}::int + 1)::text, 4, '0'))`;
    await tx`insert into policies (key, current_version) values ('bench', 1)`;
    await tx`
      insert into policy_versions (policy_id, version, definition, definition_hash, created_by)
      select id, 1, '{"steps":[]}'::jsonb, 'bench', 'bench' from policies where key = 'bench'`;
    await tx`
      insert into resources (key, name, owner_id, connector_kind)
      select key, key, o.id, 'manual'
      from unnest(${[...BENCH_RESOURCES, WARMUP_RESOURCE]}::text[]) as key, people o
      where o.email = 'owner@bench.test'`;
    await tx`
      insert into entitlements (resource_id, key, name, risk_level, max_duration_seconds, policy_id)
      select r.id, 'role-' || n, 'Role ' || n, (array['low','medium','high','critical'])[n]::risk_level,
        31536000, p.id
      from resources r, generate_series(1, 4) as n, policies p where p.key = 'bench'`;
    // Holder-major, so the first `items` rows give every holder but the last all 20 entitlements.
    await tx`
      insert into grants (id, person_id, entitlement_id, status, granted_at, expires_at)
      select gen_random_uuid(), h.id, e.id, 'active',
        now() - (row_number() over (order by h.email, e.id)) * interval '1 second', now() + interval '365 days'
      from people h
      cross join (
        select e.id from entitlements e join resources r on r.id = e.resource_id
        where r.key <> ${WARMUP_RESOURCE}
      ) e
      where h.email like 'holder-%'
      order by h.email, e.id
      limit ${items}::int`;
    await tx`
      insert into grants (id, person_id, entitlement_id, status, granted_at, expires_at)
      select gen_random_uuid(), h.id, e.id, 'active', now(), now() + interval '365 days'
      from (select id from people where email like 'holder-%' order by email limit ${WARMUP_GRANTS}) h,
        entitlements e join resources r on r.id = e.resource_id
      where r.key = ${WARMUP_RESOURCE} and e.key = 'role-1'`;
  });
  await sql`analyze`;
}

/** The admin the seed wrote, who launches every campaign. */
export async function adminOf(sql: postgres.Sql): Promise<{ id: string; email: string; name: string }> {
  const [admin] = await sql<{ id: string; email: string; name: string }[]>`
    select id, email, name from people where email = 'admin@bench.test'`;
  if (!admin) throw new Error('the seed wrote no admin');
  return admin;
}

/** CPU seconds used so far: this process (API and driver), the worker, PostgreSQL, Temporal, the machine. */
export type CpuSample = {
  bench: number;
  worker: number;
  postgres: number;
  temporal: number;
  machine: number;
};

/** Linux clock ticks per second (USER_HZ), which /proc reports times in. */
const TICKS = 100;

function procTimes(pid: number): { ppid: number; own: number; reaped: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name, which may itself hold spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const tick = (i: number) => Number(fields[i] ?? 0) / TICKS;
  return { ppid: Number(fields[1]), own: tick(11) + tick(12), reaped: tick(13) + tick(14) };
}

/**
 * Reads CPU use per part of the stack, to show where the time of a phase went. PostgreSQL counts
 * its postmaster, its live children, and the children it has reaped (closed connections).
 */
export async function cpuMeter(
  sql: postgres.Sql,
  pids: { worker: number; temporalAddress: string },
): Promise<() => CpuSample> {
  const [row] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
  const postmaster = procTimes(row?.pid ?? 0)?.ppid;
  if (postmaster === undefined) throw new Error('cannot find the PostgreSQL postmaster in /proc');
  const temporal = devServerPid(pids.temporalAddress);
  return () => {
    const usage = process.cpuUsage();
    let postgresSeconds = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      const times = procTimes(pid);
      if (!times) continue;
      if (pid === postmaster) postgresSeconds += times.own + times.reaped;
      else if (times.ppid === postmaster) postgresSeconds += times.own;
    }
    const cpu =
      readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    const busy = cpu.slice(0, 8).reduce((sum, value, i) => (i === 3 || i === 4 ? sum : sum + value), 0);
    return {
      bench: (usage.user + usage.system) / 1e6,
      worker: procTimes(pids.worker)?.own ?? 0,
      postgres: postgresSeconds,
      temporal: temporal === undefined ? 0 : (procTimes(temporal)?.own ?? 0),
      machine: busy / TICKS,
    };
  };
}

/** The `temporal server start-dev` process listening on `address`, if it runs on this machine. */
function devServerPid(address: string): number | undefined {
  const port = address.split(':').pop() ?? '';
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes('start-dev') && args.includes(port)) return Number(entry);
    } catch {
      // Gone meanwhile.
    }
  }
  return undefined;
}

/**
 * Where the CPU of a phase went, as one line: seconds per part, and the rest of the machine (other
 * programs running meanwhile: the figures are only as clean as the machine was quiet).
 */
export function describeCpu(before: CpuSample, after: CpuSample, wallMs: number): string {
  const d = (key: keyof CpuSample) => after[key] - before[key];
  const rest = d('machine') - d('bench') - d('worker') - d('postgres') - d('temporal');
  return (
    `CPU s over ${(wallMs / 1000).toFixed(1)} s wall × ${os.availableParallelism()} cores: ` +
    `API+driver ${d('bench').toFixed(1)}, worker ${d('worker').toFixed(1)}, ` +
    `PostgreSQL ${d('postgres').toFixed(1)}, Temporal ${d('temporal').toFixed(1)}, rest of machine ${rest.toFixed(1)}`
  );
}

/** The bench's stack: the worker process, the API on a port, and their handles. */
export type CampaignBenchStack = {
  apiUrl: string;
  taskQueue: string;
  worker: WorkerProcess;
  /** The API's pool (the runtime role), for launchCampaign and tokens as the API would. */
  api: DatabaseHandle;
  temporal: Awaited<ReturnType<typeof connectClient>>;
  close(): Promise<void>;
};

/** Starts the worker process and the API on a task queue of their own. */
export async function startCampaignBenchStack(input: {
  database: BenchDatabase;
  temporal: TemporalTarget;
}): Promise<CampaignBenchStack> {
  const { database, temporal } = input;
  const teardown = createTeardown(reportToStderr);
  const close = () => teardown.run();
  try {
    const taskQueue = `bench-campaigns-${randomUUID()}`;
    const generated = generateSignerKey('grantflow-bench');
    const worker = await startWorkerProcess({
      DATABASE_URL: database.ownerUrl,
      DATABASE_RUNTIME_URL: database.runtimeUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.TEMPORAL_NAMESPACE,
      TEMPORAL_TASK_QUEUE: taskQueue,
      GRANTFLOW_AUDIT_SIGNING_KEY: generated.signerKey,
    });
    teardown.add(worker.stop);

    // The API as `grantflow api` runs it, with a pool large enough for the bench's reviewers.
    const api = connectDatabase(database.runtimeUrl, { applicationName: 'grantflow-api', max: 16 });
    teardown.add(api.close);
    const client = await connectClient(temporal);
    teardown.add(() => client.connection.close());
    const exportDir = mkdtempSync(path.join(os.tmpdir(), 'grantflow-bench-checkpoints-'));
    teardown.add(async () => rmSync(exportDir, { recursive: true, force: true }));
    const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
    const app = await buildServer(
      {
        config: { ...config, TEMPORAL_TASK_QUEUE: taskQueue },
        db: api.db,
        sql: api.sql,
        temporal: client,
        ledger: { verifiers: [parseVerifierKey(generated.verifierKey)], exportDir },
      },
      pino({ level: 'silent' }),
    );
    teardown.add(() => app.close());
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    return {
      apiUrl: `http://127.0.0.1:${port}`,
      taskQueue,
      worker,
      api,
      temporal: client,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
