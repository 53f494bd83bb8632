// The production topology, as docs/production.md describes it: two `grantflow api` and two
// `grantflow worker` processes of one deployment on the machine's external PostgreSQL (a database
// of its own, migrated by its owner role, used by a least-privilege runtime role) and a separately
// started Temporal server; a second deployment in the same namespace. Requests, decisions and a
// campaign go through both APIs, both workers run their tasks, one API and one worker are stopped
// mid-work (SIGTERM, and kill -9), and nothing is lost, nothing is provisioned twice, the ledger
// verifies, and each deployment keeps its own schedules.
import { randomBytes } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUserFor } from '../../connectors/index.js';
import { loadConfig } from '../../core/config.js';
import { waitUntil } from '../../core/net.js';
import { connectDatabase } from '../../db/client.js';
import { createApiToken } from '../../db/queries/api-tokens.js';
import { getPersonByEmail } from '../../db/queries/people.js';
import { connectClient } from '../../temporal/connection.js';
import { type DevServer, startConfiguredDevServer } from '../../temporal/dev-server.js';
import { deploymentScheduleId, SCHEDULE_NAMES } from '../../temporal/schedules.js';
import { accessRequestWorkflowId, campaignWorkflowId } from '../../workflows/ids.js';
import { testLedgerKeys } from '../helpers/audit.js';
import { grantflow } from '../helpers/cli.js';
import { withDatabase } from '../helpers/services.js';
import { step } from '../helpers/steps.js';
import {
  createDeployment,
  type Deployment,
  EXTERNAL_POSTGRES,
  externalPostgresReachable,
  type ServiceProcess,
  startService,
} from '../helpers/topology.js';

const reachable = await externalPostgresReachable();
if (!reachable) console.warn('topology test skipped: no PostgreSQL answers on 127.0.0.1:5432');

const REQUESTERS = 6;
const suffix = randomBytes(4).toString('hex');
const email = (who: string) => `${who}.${suffix}@acme.test`;
/** The target's login user of `who`, as the postgres connector names it. */
const dbUser = (who: string) => databaseUserFor(email(who));
const devs = Array.from({ length: REQUESTERS }, (_, i) => `dev${i + 1}`);
const readRole = `r_${suffix}_read`;
const targetDatabase = `gf_target_${suffix}`;
const TARGET_ENV = `TARGET_DB_${suffix.toUpperCase()}`;

const directory = `people:
  - { email: ${email('ceo')}, name: Cora Ceo }
  - { email: ${email('manager')}, name: Mia Manager, manager: ${email('ceo')} }
  - { email: ${email('owner')}, name: Olu Owner, manager: ${email('ceo')} }
  - { email: ${email('admin')}, name: Ada Admin, manager: ${email('ceo')} }
${devs.map((d) => `  - { email: ${email(d)}, name: Dev ${d}, manager: ${email('manager')} }`).join('\n')}
groups: []
separationOfDuties: []
policies:
  - key: two-step
    steps:
      - { name: Manager, approvers: [manager] }
      - { name: Owner, approvers: [resource_owner] }
resources:
  - key: db
    name: Target DB
    owner: ${email('owner')}
    connector: { kind: postgres, databaseUrlEnv: ${TARGET_ENV} }
    entitlements:
      - { key: read, name: Read, risk: medium, maxDuration: 8h, policy: two-step, target: { role: ${readRole} } }
`;

describe.skipIf(!reachable)('the production topology', () => {
  const keys = testLedgerKeys('grantflow-topology');
  const namespace = `topology-${suffix}`;
  let temporal: DevServer;
  let client: Client;
  let target: postgres.Sql;
  let main: Deployment;
  let other: Deployment;
  const tokens = new Map<string, string>();
  const apis: ServiceProcess[] = [];
  const workers: ServiceProcess[] = [];
  const everyProcess: ServiceProcess[] = [];
  const deploymentOf = new Map<ServiceProcess, Deployment>();
  const served = new Map<string, number>();

  /** Calls the `i`-th API (alternating), and the next one when that one is gone, as a load balancer does. */
  async function call(i: number, as: string, method: 'GET' | 'POST', url: string, body?: object) {
    const live = apis.filter((api) => api.url);
    for (let attempt = 0; attempt < live.length; attempt++) {
      const api = live[(i + attempt) % live.length] as ServiceProcess;
      try {
        const response = await fetch(`${api.url}/api/v1${url}`, {
          method,
          headers: {
            authorization: `Bearer ${tokens.get(as)}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        if (method === 'POST') served.set(String(api.url), (served.get(String(api.url)) ?? 0) + 1);
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      } catch {
        // Refused: that API is stopping or gone; the next one takes the call.
      }
    }
    throw new Error(`no API answered ${method} ${url}`);
  }
  const start = async (kind: 'api' | 'worker', deployment: Deployment, port?: number) => {
    const service = await startService(kind, deployment.env, port);
    everyProcess.push(service);
    deploymentOf.set(service, deployment);
    return service;
  };
  const requestStatus = async (id: string) =>
    String((await main.owner`select status from access_requests where id = ${id}`)[0]?.status);
  const isMember = async (who: string) =>
    (
      await target`select 1 from pg_auth_members m join pg_roles r on r.oid = m.roleid
        join pg_roles u on u.oid = m.member where r.rolname = ${readRole} and u.rolname = ${dbUser(who)}`
    ).length === 1;
  /** The identities of the workers that started activities or completed workflow tasks of `workflowId`. */
  async function workersOf(workflowId: string): Promise<Set<string>> {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    return new Set(
      (history.events ?? [])
        .map(
          (event) =>
            event.activityTaskStartedEventAttributes?.identity ??
            event.workflowTaskCompletedEventAttributes?.identity,
        )
        .filter((identity): identity is string => Boolean(identity)),
    );
  }

  beforeAll(async () => {
    const log = pino({ level: 'warn' });
    temporal = await startConfiguredDevServer(
      loadConfig({ ...process.env, TEMPORAL_NAMESPACE: namespace }),
      log,
      { logFile: path.join(os.tmpdir(), `gf-topology-temporal-${suffix}.log`), preferredPort: 0 },
    );
    client = await connectClient({ address: temporal.address, TEMPORAL_NAMESPACE: namespace });
    const admin = postgres(EXTERNAL_POSTGRES, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${targetDatabase}"`);
    await admin.unsafe(`create role "${readRole}" nologin`);
    for (const who of devs) await admin.unsafe(`create role "${dbUser(who)}" login`);
    await admin.end();
    const targetUrl = withDatabase(EXTERNAL_POSTGRES, targetDatabase);
    target = postgres(targetUrl, { max: 2, onnotice: () => {} });
    const shared = {
      GRANTFLOW_AUDIT_SIGNING_KEY: keys.signerKey,
      GRANTFLOW_AUDIT_CHECKPOINT_SECONDS: '5',
      GRANTFLOW_PROVISION_ATTEMPT_TIMEOUT_MS: '5000',
      GRANTFLOW_PROVISION_RETRY_MS: '500',
      GRANTFLOW_RECONCILE_EVERY_SECONDS: '0',
      [TARGET_ENV]: targetUrl,
    };
    const connection = { address: temporal.address, namespace };
    main = await createDeployment('main', connection, shared);
    other = await createDeployment('other', connection, {
      ...shared,
      GRANTFLOW_AUDIT_CHECKPOINT_SECONDS: '7',
    });

    const file = path.join(main.env.GRANTFLOW_DATA_DIR ?? '', 'directory.yaml');
    writeFileSync(file, directory);
    const imported = await grantflow(['directory', 'import', file], main.env);
    if (imported.code !== 0) throw new Error(`directory import failed: ${imported.stderr}`);
    // The admin's token as an operator makes it; the others straight in, as the runtime role.
    const made = await grantflow(['token', 'create', '--user', email('admin'), '--role', 'admin'], main.env);
    tokens.set('admin', made.stdout.trim());
    const runtime = connectDatabase(main.runtimeUrl, { max: 1 });
    for (const who of ['manager', 'owner', ...devs]) {
      const person = await getPersonByEmail(runtime.db, email(who));
      tokens.set(
        who,
        (await createApiToken(runtime.db, { personId: person?.id ?? '', role: 'employee' })).token,
      );
    }
    await runtime.close();

    workers.push(...(await Promise.all([start('worker', main), start('worker', main)])));
    apis.push(...(await Promise.all([start('api', main), start('api', main)])));
  }, 300_000);

  afterAll(async () => {
    await Promise.allSettled(everyProcess.map((service) => service.stop('SIGKILL')));
    await client?.connection.close();
    await target?.end();
    await main?.drop();
    await other?.drop();
    const admin = postgres(EXTERNAL_POSTGRES, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${targetDatabase}" with (force)`);
    for (const who of devs) await admin.unsafe(`drop role if exists "${dbUser(who)}"`);
    await admin.unsafe(`drop role if exists "${readRole}"`);
    await admin.end();
    await temporal?.stop();
  }, 120_000);

  it('serves, processes and survives losing one API and one worker; each deployment keeps its schedules', async () => {
    const requests = new Map<string, string>();

    await step('requests filed and approved by the manager through both APIs', async () => {
      for (const [i, who] of devs.entries()) {
        const filed = await call(i, who, 'POST', '/requests', {
          resource: 'db',
          entitlement: 'read',
          durationSeconds: 3_600,
          reason: 'on call',
        });
        expect(filed.status, JSON.stringify(filed.body)).toBe(201);
        requests.set(who, String(filed.body.id));
      }
      for (const [i, who] of devs.entries()) {
        const id = requests.get(who) ?? '';
        await waitUntil(async () => (await requestStatus(id)) === 'pending_approval', {
          timeoutMs: 60_000,
          intervalMs: 200,
        });
        const decided = await call(i + 1, 'manager', 'POST', `/requests/${id}/decisions`, {
          decision: 'approve',
        });
        expect(decided.status, JSON.stringify(decided.body)).toBe(200);
        expect(decided.body).toMatchObject({ currentStep: 1 });
      }
    });

    await step(
      'half approved by the owner; then one API stopped (SIGTERM) and one worker killed (-9) mid-work',
      async () => {
        const half = devs.slice(0, REQUESTERS / 2);
        for (const [i, who] of half.entries()) {
          const decided = await call(i, 'owner', 'POST', `/requests/${requests.get(who)}/decisions`, {
            decision: 'approve',
          });
          expect(decided.status).toBe(200);
        }
        // Both in flight: the rest of the owner's approvals go out while the two are stopped.
        const rest = devs
          .slice(REQUESTERS / 2)
          .map((who, i) =>
            call(i, 'owner', 'POST', `/requests/${requests.get(who)}/decisions`, { decision: 'approve' }),
          );
        const [stoppedApi, killedWorker] = [apis[0] as ServiceProcess, workers[0] as ServiceProcess];
        await Promise.all([stoppedApi.stop('SIGTERM'), killedWorker.stop('SIGKILL')]);
        stoppedApi.url = undefined;
        for (const decided of await Promise.all(rest)) expect(decided.status).toBe(200);
      },
    );

    await step('every request granted, each provisioned once, by both workers', async () => {
      for (const id of requests.values())
        await waitUntil(async () => (await requestStatus(id)) === 'granted', {
          timeoutMs: 120_000,
          intervalMs: 250,
        });
      for (const who of devs) expect(await isMember(who)).toBe(true);
      const [grants] =
        await main.owner`select count(*)::int as n, count(distinct request_id)::int as requests from grants`;
      expect(grants).toEqual({ n: REQUESTERS, requests: REQUESTERS });
      const identities = new Set<string>();
      for (const id of requests.values())
        for (const identity of await workersOf(accessRequestWorkflowId(id))) identities.add(identity);
      expect(identities).toContain(workers[0]?.identity);
      expect(identities).toContain(workers[1]?.identity);
    });

    const campaignId = await step(
      'a campaign launched, reviewed and decided through both APIs (one restarted)',
      async () => {
        apis[0] = await start('api', main);
        workers[0] = await start('worker', main);
        const launched = await call(0, 'admin', 'POST', '/campaigns', {
          name: 'Topology review',
          scope: { resources: ['db'] },
          dueInSeconds: 3_600,
          defaultAction: 'keep',
        });
        expect(launched.status, JSON.stringify(launched.body)).toBe(201);
        const id = String(launched.body.campaignId);
        await waitUntil(
          async () => (await call(1, 'admin', 'GET', `/campaigns/${id}`)).body.status === 'reviewing',
          {
            timeoutMs: 60_000,
            intervalMs: 250,
          },
        );
        const items = (await call(1, 'manager', 'GET', `/campaigns/${id}/items`)).body.items as {
          id: number;
        }[];
        expect(items).toHaveLength(REQUESTERS);
        for (const [i, item] of items.entries()) {
          const revoke = i < 2;
          const decided = await call(i, 'manager', 'POST', `/campaigns/${id}/decisions`, {
            items: [item.id],
            decision: revoke ? 'revoke' : 'keep',
            ...(revoke ? { reason: 'no longer needed' } : {}),
          });
          expect(decided.body).toEqual({ applied: [item.id], refused: [] });
        }
        return id;
      },
    );

    await step(
      'the other worker stopped (SIGTERM) while revocations run; the campaign completes',
      async () => {
        await (workers[1] as ServiceProcess).stop('SIGTERM');
        await waitUntil(
          async () =>
            (await call(0, 'admin', 'GET', `/campaigns/${campaignId}`)).body.status === 'awaiting_signoff',
          { timeoutMs: 120_000, intervalMs: 250 },
        );
        const signed = await call(1, 'admin', 'POST', `/campaigns/${campaignId}/signoff`, {
          reason: 'reviewed',
        });
        expect(signed.status, JSON.stringify(signed.body)).toBe(200);
        expect(signed.body).toMatchObject({ status: 'closed' });
        const members = await Promise.all(devs.map(isMember));
        expect(members.filter(Boolean)).toHaveLength(REQUESTERS - 2);
        expect((await workersOf(campaignWorkflowId(campaignId))).size).toBeGreaterThan(0);
      },
    );

    await step('both APIs served writes', () => {
      expect([...served.keys()].length).toBeGreaterThanOrEqual(2);
      for (const count of served.values()) expect(count).toBeGreaterThan(0);
    });

    await step(
      'the ledger: every write once, no gap, verified as the runtime role against exported checkpoints',
      async () => {
        await waitUntil(
          async () => (await main.owner`select 1 from audit_intake where seq is null limit 1`).length === 0,
          {
            timeoutMs: 30_000,
            intervalMs: 200,
          },
        );
        const [ledger] =
          await main.owner`select count(*)::int as n, max(seq)::int as last, count(distinct event_id)::int as events from audit_ledger`;
        expect(ledger?.n).toBe(ledger?.last);
        expect(ledger?.events).toBe(ledger?.n);
        const perRequest = await main.owner<{ type: string; n: number }[]>`
        select event->>'event_type' as type, count(*)::int as n from audit_ledger
        where event->>'event_type' in ('access.request.created', 'access.request.approved', 'access.grant.provisioned')
        group by 1 order by 1`;
        expect(perRequest).toEqual([
          { type: 'access.grant.provisioned', n: REQUESTERS },
          { type: 'access.request.approved', n: 2 * REQUESTERS },
          { type: 'access.request.created', n: REQUESTERS },
        ]);
        const [revoked] =
          await main.owner`select count(*)::int as n from audit_ledger where event->>'event_type' = 'campaign.item.revoked'`;
        expect(revoked?.n).toBe(2);
        expect(readdirSync(main.exportDir).length).toBeGreaterThan(0);
        const verified = await grantflow(['audit', 'verify'], main.env);
        expect(verified.stdout, verified.stderr).toMatch(/^INTACT: /);
        expect(verified.code).toBe(0);
      },
    );

    await step(
      'verify checks the runtime role it connects as; the next migrate takes a widened grant back',
      async () => {
        await main.owner.unsafe(`grant update on audit_ledger to "${main.runtimeRole}"`);
        const widened = await grantflow(['audit', 'verify', '--json'], main.env);
        expect(widened.code).toBe(1);
        expect(JSON.parse(widened.stdout).findings).toEqual([
          expect.objectContaining({
            code: 'privileges_widened',
            message: expect.stringContaining(main.runtimeRole),
          }),
        ]);
        const migrated = await grantflow(['migrate'], { ...main.env, DATABASE_URL: main.ownerUrl });
        expect(migrated.code, migrated.stderr).toBe(0);
        expect((await grantflow(['audit', 'verify'], main.env)).stdout).toMatch(/^INTACT: /);
      },
    );

    await step(
      'a second deployment in the namespace: its own schedules, each pointing at its own queue, stable',
      async () => {
        const lone = await start('worker', other);
        for (const deployment of [main, other]) {
          const checkpoint = await client.schedule
            .getHandle(deploymentScheduleId(SCHEDULE_NAMES.checkpoint, deployment.taskQueue))
            .describe();
          expect(checkpoint.action).toMatchObject({
            workflowType: 'auditCheckpoint',
            taskQueue: deployment.taskQueue,
          });
          // Three starts of the main deployment's workers, none updated it.
          expect(checkpoint.info.lastUpdatedAt).toBeUndefined();
        }
        await lone.stop('SIGTERM');
        await start('worker', other);
        // Each deployment's schedule seals checkpoints in its own database.
        await waitUntil(async () => (await other.owner`select 1 from audit_checkpoint limit 1`).length > 0, {
          timeoutMs: 30_000,
          intervalMs: 500,
        });
        const [before] = await main.owner`select count(*)::int as n from audit_checkpoint`;
        await waitUntil(
          async () =>
            ((await main.owner`select count(*)::int as n from audit_checkpoint`)[0]?.n ?? 0) >
            (before?.n ?? 0),
          { timeoutMs: 30_000, intervalMs: 500 },
        );
        // What each worker's start did to its checkpoint schedule, as it logged it: one created it.
        for (const deployment of [main, other]) {
          const said = everyProcess
            .filter((service) => service.kind === 'worker' && deploymentOf.get(service) === deployment)
            .map((service) => /"checkpoint":"(\w+)"/.exec(service.output())?.[1]);
          expect(said.filter((outcome) => outcome === 'created')).toHaveLength(1);
          expect(
            said.filter((outcome) => outcome !== 'created').every((outcome) => outcome === 'unchanged'),
          ).toBe(true);
        }
        const ids: string[] = [];
        for await (const schedule of client.schedule.list()) ids.push(schedule.scheduleId);
        expect(ids.filter((id) => id.startsWith(SCHEDULE_NAMES.checkpoint)).sort()).toEqual(
          [main, other].map((d) => deploymentScheduleId(SCHEDULE_NAMES.checkpoint, d.taskQueue)).sort(),
        );
      },
    );
  }, 600_000);
});
