// `npm run bench -- campaigns`: a certification campaign over GRANTFLOW_BENCH_CAMPAIGN_ITEMS
// (default 100,000) active grants, each figure beside a plain-PostgreSQL baseline of the same rows:
//
// 1. launch: from launchCampaign() until the row is `reviewing` with the whole population, beside
//    one INSERT … SELECT of the same items; the worker's peak RSS (VmHWM, restarted just before)
//    beside its idle RSS; the workflow history beside Temporal's limits (no item lists in it).
// 2. decisions: GRANTFLOW_BENCH_CAMPAIGN_DECISIONS (default a fifth) through POST /decisions, in
//    calls of GRANTFLOW_BENCH_CAMPAIGN_BATCH items by GRANTFLOW_BENCH_CAMPAIGN_REVIEWERS reviewers at
//    once, beside multi-row INSERTs of the same rows into a bare table, same batches, same concurrency.
// 3. due date: a second campaign over the same grants, due a little after its launch, with the same
//    share decided (by SQL: how they were decided does not matter to the default action) and the
//    rest open; from the due instant until no item is open, beside one UPDATE of as many rows.
//
// The worker is a real `grantflow worker` process (with its audit sequencer); the API runs in this
// process; grants are on `manual` resources and the default action is `keep`, so no revocation
// (a target round trip per grant) is in any figure.
// A quick check that it all works: GRANTFLOW_BENCH_CAMPAIGN_ITEMS=2000 npm run bench -- campaigns.
import os from 'node:os';
import postgres from 'postgres';
import { launchCampaign } from '../campaigns/launch.js';
import { createApiToken } from '../db/queries/api-tokens.js';
import { countCampaignItems } from '../db/queries/campaign-items.js';
import { refreshCampaignUpdate } from '../workflows/messages.js';
import {
  adminOf,
  BENCH_RESOURCES,
  type CampaignBenchStack,
  type CpuSample,
  cpuMeter,
  describeCpu,
  seedDirectory,
  startCampaignBenchStack,
  WARMUP_GRANTS,
  WARMUP_RESOURCE,
} from './campaigns-stack.js';
import {
  benchDatabase,
  benchTeardown,
  benchTemporal,
  percentile,
  progress,
  report,
  timed,
} from './harness.js';
import { historyOf, reportHistory } from './workflow-history.js';

function positiveEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  }
  return value;
}

const ITEMS = positiveEnv('GRANTFLOW_BENCH_CAMPAIGN_ITEMS', 100_000);
const DECISIONS = positiveEnv('GRANTFLOW_BENCH_CAMPAIGN_DECISIONS', Math.max(1, Math.round(ITEMS / 5)));
const PER_CALL = positiveEnv('GRANTFLOW_BENCH_CAMPAIGN_BATCH', 100);
const REVIEWERS = positiveEnv('GRANTFLOW_BENCH_CAMPAIGN_REVIEWERS', 8);
/** Nothing that takes this long is still a benchmark: fail instead of hanging. */
const WAIT_TIMEOUT_MS = 900_000;
/** How often a wait looks at the rows; bounds the error of every launch and due-date time. */
const POLL_MS = 25;
/** Far enough that no reminder, escalation or due date happens during the bench. */
const FAR_SECONDS = 30 * 86_400;
/** Temporal's default limits (history events, history bytes, one payload), the history's baselines. */

type Sql = postgres.Sql;

async function waitFor(what: string, probe: () => Promise<boolean>): Promise<number> {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  for (;;) {
    if (await probe()) return Date.now();
    if (Date.now() > deadline) throw new Error(`${what}: not after ${WAIT_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Launches a campaign over `resources` and returns it once its row is `reviewing` with `count` items. */
async function launchAndWait(
  stack: CampaignBenchStack,
  sql: Sql,
  launcher: { id: string; email: string; name: string },
  input: { name: string; resources: string[]; count: number; dueInSeconds: number },
) {
  const started = Date.now();
  const launched = await launchCampaign(
    { db: stack.api.db, temporal: stack.temporal, taskQueue: stack.taskQueue },
    {
      name: input.name,
      scope: { resources: input.resources },
      dueInSeconds: input.dueInSeconds,
      reminderEverySeconds: FAR_SECONDS,
      escalateAfterSeconds: FAR_SECONDS,
      defaultAction: 'keep',
    },
    launcher,
  );
  const id = launched.campaign.id;
  const reviewing = await waitFor(`campaign ${input.name} reviewing`, async () => {
    const [row] = await sql<{ status: string; population_count: number | null }[]>`
      select status, population_count from campaigns where id = ${id}`;
    if (
      row?.status === 'reviewing' &&
      row.population_count !== null &&
      row.population_count !== input.count
    ) {
      throw new Error(
        `campaign ${input.name} snapshotted ${row.population_count} grants, expected ${input.count}`,
      );
    }
    return row?.status === 'reviewing' && row.population_count === input.count;
  });
  return { id, workflowId: launched.workflowId, dueAt: launched.campaign.dueAt, ms: reviewing - started };
}

/** One POST /decisions: a reviewer's token and up to PER_CALL of their items. */
type DecisionCall = { token: string; items: number[]; decision: 'keep' | 'revoke' };

/**
 * The first `count` items of a campaign, reviewer by reviewer, as calls of up to `perCall` with that
 * reviewer's token; every tenth call revokes (with a reason), as a real review does now and then.
 */
async function decisionCalls(
  stack: CampaignBenchStack,
  sql: Sql,
  campaignId: string,
  count: number,
  perCall: number,
): Promise<DecisionCall[]> {
  const rows = await sql<{ id: string; reviewer_id: string }[]>`
    select id, reviewer_id from campaign_items where campaign_id = ${campaignId} order by reviewer_id, id`;
  const byReviewer = new Map<string, number[]>();
  for (const row of rows) {
    const items = byReviewer.get(row.reviewer_id) ?? [];
    items.push(Number(row.id));
    byReviewer.set(row.reviewer_id, items);
  }
  const calls: DecisionCall[] = [];
  let left = count;
  for (const [reviewerId, items] of byReviewer) {
    if (left <= 0) break;
    const { token } = await createApiToken(stack.api.db, { personId: reviewerId, role: 'employee' });
    for (let start = 0; start < items.length && left > 0; start += perCall) {
      const chunk = items.slice(start, start + Math.min(perCall, left));
      left -= chunk.length;
      calls.push({ token, items: chunk, decision: calls.length % 10 === 9 ? 'revoke' : 'keep' });
    }
  }
  if (left > 0) throw new Error(`only ${count - left} items to decide, wanted ${count}`);
  return calls;
}

/** Runs `calls` through `lanes` concurrent workers pulling from one queue. */
async function inLanes<T>(
  calls: readonly T[],
  lanes: number,
  run: (call: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(lanes, calls.length) }, async () => {
      while (next < calls.length) {
        const call = calls[next++] as T;
        await run(call);
      }
    }),
  );
}

const REVOKE_REASON = 'bench: no longer needed';

async function postDecisions(stack: CampaignBenchStack, campaignId: string, calls: DecisionCall[]) {
  let applied = 0;
  let refused = 0;
  const latencies: number[] = [];
  await inLanes(calls, REVIEWERS, async (call) => {
    const started = performance.now();
    const response = await fetch(`${stack.apiUrl}/api/v1/campaigns/${campaignId}/decisions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${call.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        items: call.items,
        decision: call.decision,
        ...(call.decision === 'revoke' ? { reason: REVOKE_REASON } : {}),
      }),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`POST decisions: ${response.status} ${text}`);
    const outcome = JSON.parse(text) as { applied: number[]; refused: number[] };
    applied += outcome.applied.length;
    refused += outcome.refused.length;
    latencies.push(performance.now() - started);
  });
  return { applied, refused, latencies };
}

/** The same decision rows, as plain multi-row INSERTs into a table without guards or audit. */
async function plainDecisionInserts(sql: Sql, campaignId: string, calls: DecisionCall[]): Promise<void> {
  await inLanes(calls, REVIEWERS, async (call) => {
    const reason = call.decision === 'revoke' ? REVOKE_REASON : null;
    await sql`
      insert into bench_plain_decisions (campaign_id, item_id, decision, reason)
      select ${campaignId}::uuid, item, ${call.decision}, ${reason}
      from unnest(${call.items}::bigint[]) as item`;
  });
}

/** What every phase works with. */
type Bench = {
  stack: CampaignBenchStack;
  /** The owner's pool: waits, baselines and SQL set-up. */
  sql: Sql;
  cpu: () => CpuSample;
  admin: { id: string; email: string; name: string };
};

const thousands = (n: number) => n.toLocaleString('en-US');
const loadAverage = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');

/**
 * A small campaign through launch and a few decisions, so the worker has run the workflow code and
 * the API has served the route before anything is measured.
 */
async function warmUp(bench: Bench): Promise<void> {
  const warmup = await launchAndWait(bench.stack, bench.sql, bench.admin, {
    name: 'bench warm-up',
    resources: [WARMUP_RESOURCE],
    count: WARMUP_GRANTS,
    dueInSeconds: FAR_SECONDS,
  });
  const calls = await decisionCalls(bench.stack, bench.sql, warmup.id, WARMUP_GRANTS, 10);
  await postDecisions(bench.stack, warmup.id, calls);
  // Let the recount and the sequencer the decisions set off settle before idle memory is read.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
}

/** 1. Launch time, the worker's peak memory and the history; leaves `bench_plain_items` for phase 3. */
async function measureLaunch(bench: Bench) {
  const { stack, sql } = bench;
  const idleMb = stack.worker.rssMb();
  stack.worker.resetPeak();
  progress(`worker idle: ${idleMb.toFixed(0)} MB RSS; launching over ${thousands(ITEMS)} grants…`);
  const before = bench.cpu();
  const campaign = await launchAndWait(stack, sql, bench.admin, {
    name: 'bench review',
    resources: BENCH_RESOURCES,
    count: ITEMS,
    dueInSeconds: FAR_SECONDS,
  });
  const peakMb = stack.worker.peakMb();
  progress(`launch: ${describeCpu(before, bench.cpu(), campaign.ms)}`);

  await sql`create table bench_plain_items (like campaign_items including all)`;
  const plainMs = await timed(
    () => sql`
      insert into bench_plain_items
        (campaign_id, grant_id, holder_id, entitlement_id, reviewer_id, original_reviewer_id, assignment_reason)
      select ${campaign.id}::uuid, g.id, g.person_id, g.entitlement_id, h.manager_id, h.manager_id, 'manager'
      from grants g
      join people h on h.id = g.person_id
      join entitlements e on e.id = g.entitlement_id
      join resources r on r.id = e.resource_id
      where g.status = 'active' and r.key = any(${BENCH_RESOURCES}::text[])`,
  );
  report({
    name: `launch, ${thousands(ITEMS)} items (s)`,
    value: campaign.ms / 1000,
    unit: 's',
    baseline: plainMs / 1000,
    baselineName: 'INSERT … SELECT of the items',
  });
  report({
    name: 'worker peak RSS during launch (MB)',
    value: peakMb,
    unit: 'MB',
    baseline: idleMb,
    baselineName: 'worker idle RSS',
  });
  const history = await historyOf(stack, campaign.workflowId);
  reportHistory('launch history', history);
  return { campaign, history };
}

/** 2. Decisions through the API against plain INSERTs of the same rows. */
async function measureDecisions(bench: Bench, launched: Awaited<ReturnType<typeof measureLaunch>>) {
  const { stack, sql } = bench;
  const { campaign } = launched;
  const calls = await decisionCalls(stack, sql, campaign.id, DECISIONS, PER_CALL);
  progress(
    `deciding ${thousands(DECISIONS)} items: ${calls.length} calls of ≤${PER_CALL}, ${REVIEWERS} at once…`,
  );
  let outcome = { applied: 0, refused: 0, latencies: [] as number[] };
  const before = bench.cpu();
  const apiMs = await timed(async () => {
    outcome = await postDecisions(stack, campaign.id, calls);
  });
  progress(`decisions: ${describeCpu(before, bench.cpu(), apiMs)}`);
  progress(
    `decisions: POST latency p50 ${percentile(outcome.latencies, 50).toFixed(0)} ms, ` +
      `p99 ${percentile(outcome.latencies, 99).toFixed(0)} ms`,
  );
  if (outcome.applied !== DECISIONS || outcome.refused !== 0) {
    throw new Error(`decisions: ${outcome.applied} applied, ${outcome.refused} refused; wanted ${DECISIONS}`);
  }

  await sql`
    create table bench_plain_decisions (
      id bigserial primary key, campaign_id uuid not null, item_id bigint not null, decision text not null,
      reason text, decided_at timestamptz not null default now())`;
  await plainDecisionInserts(sql, campaign.id, calls.slice(0, REVIEWERS * 2));
  await sql`truncate bench_plain_decisions`;
  const plainMs = await timed(() => plainDecisionInserts(sql, campaign.id, calls));
  report({
    name: `API decisions, ${PER_CALL}/call × ${REVIEWERS} (decisions/s)`,
    value: DECISIONS / (apiMs / 1000),
    unit: 'dec/s',
    baseline: DECISIONS / (plainMs / 1000),
    baselineName: 'plain INSERT, same batches',
  });

  // The workflow's own count agrees, and what the decisions cost it.
  const state = await stack.temporal.workflow
    .getHandle(campaign.workflowId)
    .executeUpdate(refreshCampaignUpdate);
  if (state.counts.decided !== DECISIONS) {
    throw new Error(`the workflow counts ${state.counts.decided} decided, wanted ${DECISIONS}`);
  }
  const history = await historyOf(stack, campaign.workflowId);
  const recounts =
    (history.activities.get('countCampaign') ?? 0) - (launched.history.activities.get('countCampaign') ?? 0);
  const oneCountMs = await timed(() => countCampaignItems(stack.api.db, campaign.id));
  progress(
    `decisions: the workflow recounted the items ${recounts} times (one recount: ${oneCountMs.toFixed(0)} ms)`,
  );
  progress(
    `after the decisions: ${history.events} history events, ${(history.bytes / 1024).toFixed(0)} KB ` +
      `(${history.runId === launched.history.runId ? 'same run' : 'continued as new'}); ` +
      `worker peak since launch ${stack.worker.peakMb().toFixed(0)} MB`,
  );
}

/**
 * 3. A second campaign due soon after its launch, a share decided, the rest open: from the due
 * instant until no item is open, against one UPDATE of as many rows of `bench_plain_items`.
 */
async function measureDueDate(bench: Bench, firstLaunchMs: number) {
  const { stack, sql } = bench;
  const open = ITEMS - DECISIONS;
  // The second launch takes about as long as the first; the margin covers deciding a share by SQL.
  const dueInSeconds = Math.max(15, Math.ceil((firstLaunchMs / 1000) * 1.5) + 20);
  progress(`second campaign, due in ${dueInSeconds} s, ${thousands(open)} left open…`);
  const due = await launchAndWait(stack, sql, bench.admin, {
    name: 'bench due date',
    resources: BENCH_RESOURCES,
    count: ITEMS,
    dueInSeconds,
  });
  progress(`second launch took ${(due.ms / 1000).toFixed(1)} s`);
  await sql`
    update campaign_items set decision = 'keep', decision_source = 'reviewer', decided_by_id = reviewer_id,
      decided_at = now()
    where id = any(array(
      select id from campaign_items where campaign_id = ${due.id} order by id limit ${DECISIONS}::int))`;
  const dueAt = due.dueAt.getTime();
  if (Date.now() >= dueAt) throw new Error('the second campaign was due before the bench was ready');

  await new Promise((resolve) => setTimeout(resolve, dueAt - Date.now()));
  const before = bench.cpu();
  const applied = await waitFor('default actions applied', async () => {
    const [row] = await sql<{ open: boolean }[]>`
      select exists (
        select 1 from campaign_items where campaign_id = ${due.id} and decision is null) as open`;
    return row?.open === false;
  });
  progress(`due date: ${describeCpu(before, bench.cpu(), applied - dueAt)}`);
  const signoff = await waitFor('awaiting sign-off', async () => {
    const [row] = await sql<{ status: string }[]>`select status from campaigns where id = ${due.id}`;
    return row?.status === 'awaiting_signoff';
  });
  const [defaults] = await sql<{ n: number }[]>`
    select count(*)::int as n from campaign_items
    where campaign_id = ${due.id} and decision_source = 'default_action'`;
  if (defaults?.n !== open)
    throw new Error(`${defaults?.n} items decided by the default action, wanted ${open}`);

  await sql`
    update bench_plain_items set decision = 'keep', decision_source = 'reviewer', decided_by_id = reviewer_id,
      decided_at = now()
    where id = any(array(select id from bench_plain_items order by id limit ${DECISIONS}::int))`;
  const plainMs = await timed(
    () => sql`
      update bench_plain_items set decision = 'keep', decision_source = 'default_action', decided_at = now(),
        reason = 'not reviewed by the due date; kept by the campaign default'
      where decision is null`,
  );
  report({
    name: `due date → ${thousands(open)} defaults applied (s)`,
    value: (applied - dueAt) / 1000,
    unit: 's',
    baseline: plainMs / 1000,
    baselineName: 'one UPDATE of the rows',
  });
  progress(`due date → awaiting sign-off: ${((signoff - dueAt) / 1000).toFixed(1)} s`);
  reportHistory('sign-off history', await historyOf(stack, due.workflowId));
}

/** Launch, decision ingestion and due-date figures for a campaign of ITEMS grants. */
export async function runCampaignsBench(): Promise<void> {
  if (DECISIONS >= ITEMS) throw new Error('GRANTFLOW_BENCH_CAMPAIGN_DECISIONS must be below the item count');
  const teardown = benchTeardown();

  try {
    // Other programs on the machine show in every figure: say how busy it was.
    progress(`load average ${loadAverage()}; starting PostgreSQL…`);
    const database = await benchDatabase();
    teardown.add(database.close);
    const temporal = await benchTemporal();
    teardown.add(temporal.stop);
    if (temporal.shared) {
      // A `grantflow worker` re-points the namespace's audit checkpoint schedule at its task queue.
      throw new Error('the campaigns bench runs its own worker process: unset TEMPORAL_ADDRESS');
    }
    progress(`Temporal: ${temporal.describe}`);

    progress(`seeding ${thousands(ITEMS)} active grants…`);
    const seedMs = await timed(() => seedDirectory(database, ITEMS));
    progress(`seeded in ${(seedMs / 1000).toFixed(1)} s; starting the worker process and the API…`);
    const stack = await startCampaignBenchStack({ database, temporal: temporal.target });
    teardown.add(stack.close);
    const sql = postgres(database.ownerUrl, { max: REVIEWERS, onnotice: () => {} });
    teardown.add(() => sql.end());
    const bench: Bench = {
      stack,
      sql,
      cpu: await cpuMeter(sql, { worker: stack.worker.pid, temporalAddress: temporal.target.address }),
      admin: await adminOf(sql),
    };

    progress('warming up…');
    await warmUp(bench);
    const launched = await measureLaunch(bench);
    await measureDecisions(bench, launched);
    await measureDueDate(bench, launched.campaign.ms);
    progress(`load average ${loadAverage()}`);
  } finally {
    await teardown.finish();
  }
}
