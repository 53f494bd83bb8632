// Part 2 of `npm run bench -- lifecycle`: a leaver. One person holds `grants` imported grants (the
// directory file's `access` section, handed to their lifetime workflows as the worker's loop does)
// spread over three real targets (lifecycle-targets.ts); the access is really there. A re-import of
// the file marks them inactive, the worker's leaver sweep (startPendingLeavers) starts the leaver
// workflow on the real worker, and the clock stops when it completes with every removal read back.
//
// Baseline: the same revokes and read-backs through the same connector objects, as the lifetimes do
// them (revoke, then check, per grant), as many at once as the worker runs activities (100).
import { randomBytes, randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type postgres from 'postgres';
import { stringify } from 'yaml';
import {
  type Connector,
  type Connectors,
  createConnectors,
  type ProvisionInput,
} from '../connectors/index.js';
import type { Teardown } from '../core/teardown.js';
import { listLeaversHoldingAccess } from '../db/queries/people.js';
import { importDirectory } from '../directory/import.js';
import { parseDirectorySource } from '../directory/parse.js';
import { startImportedGrantLifetimes } from '../grants/start-lifetimes.js';
import { startPendingLeavers } from '../identity/leaver.js';
import { grantWorkflowId, leaverWorkflowId } from '../workflows/ids.js';
import { grantStateQuery, type LeaverResult, type LeaverWorkflow } from '../workflows/messages.js';
import { benchDatabase, progress, report, timed } from './harness.js';
import {
  inLanes,
  type LifecycleTemporal,
  startLifecycleWorker,
  TimeoutError,
  waitAtMost,
} from './lifecycle-stack.js';
import { type Holder, type LeaverTarget, startTargets } from './lifecycle-targets.js';

/** The worker's activity slots (the SDK default): how many removals its lifetimes run at once. */
const ACTIVITY_SLOTS = 100;
/** Concurrency of the untimed set-up grants. */
const SETUP_LANES = 8;
const OWNER = 'owner@bench.test';
const MANAGER = 'manager@bench.test';
/** Removals retry without a cap: a leaver this slow is stuck (a target refusing), not slow. */
const LEAVER_TIMEOUT_MS = 300_000;

type Held = { connector: Connector; input: ProvisionInput };

function directoryYaml(holder: Holder, targets: LeaverTarget[], status: 'active' | 'inactive'): string {
  return stringify({
    people: [
      { email: OWNER, name: 'Bench Owner' },
      { email: MANAGER, name: 'Bench Manager' },
      { email: holder.email, name: holder.name, manager: MANAGER, status },
    ],
    groups: [],
    policies: [{ key: 'owner', steps: [{ name: 'Owner', approvers: ['resource_owner'] }] }],
    resources: targets.map((target) => ({
      key: target.resourceKey,
      name: target.resourceKey,
      owner: OWNER,
      connector: target.connector,
      entitlements: target.entitlements.map((e) => ({
        key: e.key,
        name: e.key,
        risk: 'medium',
        maxDuration: '8h',
        policy: 'owner',
        target: e.target,
      })),
    })),
    separationOfDuties: [],
    access: targets.flatMap((target) =>
      target.entitlements.map((e) => ({
        person: holder.email,
        entitlement: `${target.resourceKey}/${e.key}`,
        since: '2024-01-15',
      })),
    ),
  });
}

/** Every grant's revoke then read-back, `lanes` at once; fails unless each reads back absent. */
async function revokeAndCheck(held: Held[], lanes: number): Promise<void> {
  await inLanes(held, lanes, async ({ connector, input }) => {
    await connector.revoke(input);
    const seen = await connector.check?.(input);
    if (seen !== 'absent') throw new Error(`${input.resourceKey}/${input.entitlementKey} reads back ${seen}`);
  });
}

async function grantAll(held: Held[]): Promise<void> {
  await inLanes(held, SETUP_LANES, async ({ connector, input }) => {
    const result = await connector.grant(input);
    if (result.outcome !== 'done') throw new Error(`set-up grant: ${result.detail}`);
  });
}

/** Waits until every grant's lifetime workflow answers that it is active (its first task ran). */
async function lifetimesRunning(
  temporal: Awaited<ReturnType<typeof startLifecycleWorker>>['temporal'],
  grantIds: string[],
): Promise<void> {
  await inLanes(grantIds, 16, async (id) => {
    const state = await temporal.workflow.getHandle(grantWorkflowId(id)).query(grantStateQuery);
    if (state.status !== 'active') throw new Error(`grant ${id} is ${state.status} before the leaver`);
  });
}

/** Where the leaver's time went, from the grant rows and the leaver's ledger events, on stderr. */
async function timeline(sql: postgres.Sql, grantIds: string[], since: number): Promise<void> {
  const [row] = await sql<Record<string, number | null>[]>`
    select
      (select extract(epoch from (event->>'occurred_at')::timestamptz) * 1000 from audit_intake
       where event->>'event_type' = 'identity.leaver.started') as started,
      min(ended_at_ms) as first_revoked, max(ended_at_ms) as last_revoked,
      max(verified_ms) as last_verified,
      (select extract(epoch from (event->>'occurred_at')::timestamptz) * 1000 from audit_intake
       where event->>'event_type' = 'identity.leaver.completed') as completed
    from (
      select extract(epoch from ended_at) * 1000 as ended_at_ms, extract(epoch from updated_at) * 1000 as verified_ms
      from grants where id = any(${grantIds}::uuid[])
    ) g`;
  const at = (key: string) =>
    row?.[key] == null ? '?' : `${((Number(row[key]) - since) / 1000).toFixed(2)} s`;
  progress(
    `leaver timeline from the deactivation: started ${at('started')}, first grant revoked ${at('first_revoked')}, ` +
      `last revoked ${at('last_revoked')}, last removal verified ${at('last_verified')}, completed ${at('completed')}`,
  );
}

/** The leaver's result; after LEAVER_TIMEOUT_MS, a failure naming what a lifetime still retries. */
async function leaverResult(
  worker: Awaited<ReturnType<typeof startLifecycleWorker>>,
  teardown: Teardown,
  handle: WorkflowHandle<LeaverWorkflow>,
  grantIds: string[],
): Promise<LeaverResult> {
  try {
    return await waitAtMost(worker.temporal, teardown, LEAVER_TIMEOUT_MS, () => handle.result());
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    for (const id of grantIds) {
      const described = await worker.temporal.workflow.getHandle(grantWorkflowId(id)).describe();
      const stuck = described.raw.pendingActivities?.[0];
      if (!stuck) continue;
      throw new Error(
        `the leaver did not complete in ${error.ms / 1000} s; grant ${id} still retries ` +
          `${stuck.activityType?.name} (attempt ${stuck.attempt}): ${stuck.lastFailure?.message ?? '?'}`,
      );
    }
    throw new Error(`the leaver did not complete in ${error.ms / 1000} s`);
  }
}

/** Leaver time from deactivation to every removal verified, beside direct revokes and read-backs. */
export async function runLeaverPart(
  temporal: LifecycleTemporal,
  teardown: Teardown,
  sizes: { grants: number },
): Promise<void> {
  progress('starting PostgreSQL…');
  const database = await benchDatabase();
  teardown.add(database.close, 'PostgreSQL');
  const suffix = randomBytes(4).toString('hex');
  const holder: Holder = {
    email: `leaver.${suffix}@bench.test`,
    name: 'Lee Leaver',
    uid: `leaver.${suffix}`,
  };
  const targets = await startTargets(database, holder, sizes.grants, teardown);
  const connectors: Connectors = createConnectors(Object.assign({}, ...targets.map((t) => t.env)));
  teardown.add(connectors.close, 'connectors');
  const held: Held[] = targets.flatMap((target) => {
    const connector = connectors.forResource({ key: target.resourceKey, connector: target.connector });
    return target.entitlements.map((e) => ({
      connector,
      input: {
        grantId: randomUUID(),
        person: { email: holder.email, name: holder.name },
        resourceKey: target.resourceKey,
        entitlementKey: e.key,
        target: e.target,
      },
    }));
  });
  const where = targets.map((t) => t.connector.kind).join('/');

  // Baselines first: grant everything, take it away directly; sequentially too, for scale.
  progress(`granting ${held.length} entitlements at the targets…`);
  await grantAll(held);
  const directMs = await timed(() => revokeAndCheck(held, ACTIVITY_SLOTS));
  await grantAll(held);
  const sequentialMs = await timed(() => revokeAndCheck(held, 1));
  progress(
    `direct revoke + read-back: ${(directMs / 1000).toFixed(2)} s ${ACTIVITY_SLOTS} at once, ` +
      `${(sequentialMs / 1000).toFixed(2)} s one at a time`,
  );
  await grantAll(held);

  // The access becomes grantflow's: imported, each grant handed to its lifetime workflow.
  const worker = await startLifecycleWorker({
    runtimeUrl: database.runtimeUrl,
    temporal: temporal.target,
    connectors,
    teardown,
  });
  const { db } = worker.runtime;
  await importDirectory(db, parseDirectorySource(directoryYaml(holder, targets, 'active'), 'leaver.yaml'), {
    actor: 'bench',
  });
  const grantIds = (
    await database.owner<{ id: string }[]>`
      select g.id from grants g join people p on p.id = g.person_id where p.email = ${holder.email}`
  ).map((row) => row.id);
  const provisioningRetry = {
    maximumAttempts: worker.config.GRANTFLOW_PROVISION_ATTEMPTS,
    initialIntervalMs: worker.config.GRANTFLOW_PROVISION_RETRY_MS,
    maximumIntervalMs: worker.config.GRANTFLOW_PROVISION_RETRY_MAX_MS,
    attemptTimeoutMs: worker.config.GRANTFLOW_PROVISION_ATTEMPT_TIMEOUT_MS,
  };
  const deps = { db, temporal: worker.temporal, taskQueue: worker.taskQueue };
  let started = 0;
  for (let batch = -1; batch !== 0; started += batch) {
    batch = await startImportedGrantLifetimes({ ...deps, provisioningRetry });
  }
  if (started !== held.length || grantIds.length !== held.length) {
    throw new Error(
      `${grantIds.length} grants imported, ${started} lifetimes started; wanted ${held.length}`,
    );
  }
  await lifetimesRunning(worker.temporal, grantIds);

  // The person leaves: the file says so, the sweep starts the leaver, the clock runs to its end.
  progress(`${holder.email} leaves, holding ${held.length} grants on ${where}…`);
  const wallStart = Date.now();
  const t0 = performance.now();
  await importDirectory(db, parseDirectorySource(directoryYaml(holder, targets, 'inactive'), 'leaver.yaml'), {
    actor: 'bench',
  });
  const tImported = performance.now();
  const [pending] = await listLeaversHoldingAccess(db, 1);
  if (
    (await startPendingLeavers({ ...deps, slaSeconds: worker.config.GRANTFLOW_LEAVER_SLA_SECONDS })) !== 1
  ) {
    throw new Error('the leaver sweep started no leaver workflow');
  }
  const tStarted = performance.now();
  const handle = worker.temporal.workflow.getHandle<LeaverWorkflow>(
    leaverWorkflowId(pending?.id ?? '', pending?.deactivatedAt.getTime() ?? 0),
  );
  const result = await leaverResult(worker, teardown, handle, grantIds);
  const leaverMs = performance.now() - t0;
  progress(
    `leaver: re-import ${(tImported - t0).toFixed(0)} ms, sweep start ${(tStarted - tImported).toFixed(0)} ms, ` +
      `workflow ${((performance.now() - tStarted) / 1000).toFixed(2)} s; ${JSON.stringify(result)}`,
  );

  await timeline(database.owner, grantIds, wallStart);

  // Every removal verified: by the workflow, in the ledger, in the grants and at the targets.
  const n = held.length;
  if (result.grants !== n || result.verified !== n || result.failed !== 0 || result.unverified !== 0) {
    throw new Error(`the leaver ended ${JSON.stringify(result)}; wanted ${n} grants, all verified`);
  }
  const [state] = await database.owner<{ completed: number; verified: number }[]>`
    select
      (select count(*)::int from audit_intake where event->>'event_type' = 'identity.leaver.completed'
         and (event->'details'->>'verified')::int = ${n}) as completed,
      (select count(*)::int from grants where id = any(${grantIds}::uuid[])
         and status = 'revoked' and removal_verified) as verified`;
  if (state?.completed !== 1 || state.verified !== n) {
    throw new Error(
      `identity.leaver.completed ×${state?.completed}, ${state?.verified}/${n} grants verified`,
    );
  }
  for (const { connector, input } of held) {
    if ((await connector.check?.(input)) !== 'absent') {
      throw new Error(`${input.resourceKey}/${input.entitlementKey} is still held after the leaver`);
    }
  }

  report({
    name: `leaver, ${n} grants on ${where} (s)`,
    value: leaverMs / 1000,
    unit: 's',
    baseline: directMs / 1000,
    baselineName: `revoke + read-back, ${ACTIVITY_SLOTS} at once`,
  });
}
