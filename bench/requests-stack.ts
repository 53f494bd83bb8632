// The stack `npm run bench -- requests` drives, assembled as `grantflow dev` assembles it: a
// directory of requesters (each with a manager), one owner and one postgres resource behind a
// two-step policy; a target database on the same PostgreSQL with the entitlement's role and a login
// user per requester; the real worker (and its audit sequencer) on a task queue of its own; the
// real API listening on a free port.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { stringify } from 'yaml';
import { buildServer } from '../api/server.js';
import { startSequencer } from '../audit/sequencer-loop.js';
import { generateSignerKey, parseSignerKey, parseVerifierKey } from '../audit/signed-note.js';
import { createConnectors, databaseUserFor } from '../connectors/index.js';
import { loadConfig } from '../core/config.js';
import { createTeardown, reportToStderr } from '../core/teardown.js';
import { connectDatabase } from '../db/client.js';
import { createApiToken } from '../db/queries/api-tokens.js';
import { importDirectory } from '../directory/import.js';
import { parseDirectorySource } from '../directory/parse.js';
import { startDeliverer } from '../notifications/deliverer.js';
import { createOutboxNotifier } from '../notifications/outbox.js';
import type { Notifier } from '../notifications/port.js';
import { connectClient, connectWorker, type TemporalTarget } from '../temporal/connection.js';
import { deliverySettings } from '../worker/main.js';
import { createWorker } from '../worker/worker.js';
import { accessRequestWorkflowId, grantWorkflowId } from '../workflows/ids.js';
import type { benchDatabase } from './harness.js';

/** Requesters per manager, as in a mid-sized engineering org. */
const REPORTS_PER_MANAGER = 10;
const TARGET_DATABASE = 'bench_target';
const TARGET_ROLE = 'bench_read';
const TARGET_URL_ENV = 'BENCH_TARGET_DATABASE_URL';

/** One person who files a request, with the manager who approves it first. */
export type BenchRequester = { email: string; token: string; managerToken: string };

/** A running stack; `close()` stops everything it started, in reverse order. */
export type RequestBenchStack = {
  apiUrl: string;
  requesters: BenchRequester[];
  ownerToken: string;
  /** Direct members of the entitlement's role in the target: one per request granted. */
  countMembers(): Promise<number>;
  close(): Promise<void>;
};

const silent = pino({ level: 'silent' });

function directoryYaml(owner: string, managers: string[], requesters: string[]): string {
  return stringify({
    people: [
      { email: owner, name: 'Bench Owner' },
      ...managers.map((email, i) => ({ email, name: `Manager ${i + 1}` })),
      ...requesters.map((email, i) => ({
        email,
        name: `Requester ${i + 1}`,
        manager: managers[Math.floor(i / REPORTS_PER_MANAGER)],
      })),
    ],
    groups: [],
    policies: [
      {
        key: 'two-step',
        steps: [
          { name: 'Manager', approvers: ['manager'] },
          { name: 'Owner', approvers: ['resource_owner'] },
        ],
      },
    ],
    resources: [
      {
        key: 'bench-db',
        name: 'Bench DB',
        owner,
        connector: { kind: 'postgres', databaseUrlEnv: TARGET_URL_ENV },
        entitlements: [
          {
            key: 'read',
            name: 'read',
            risk: 'medium',
            maxDuration: '8h',
            policy: 'two-step',
            target: { role: TARGET_ROLE },
          },
        ],
      },
    ],
    separationOfDuties: [],
  });
}

/**
 * Builds the stack on a fresh bench database. `terminateLeftovers`: the Temporal server outlives
 * the bench (TEMPORAL_ADDRESS), so open workflows of this run are terminated on close.
 */
export async function startRequestBenchStack(input: {
  database: Awaited<ReturnType<typeof benchDatabase>>;
  temporal: TemporalTarget;
  requesters: number;
  /** Where the worker's notifications go (the bench's approvers act on them). */
  notifier: Notifier;
  terminateLeftovers: boolean;
}): Promise<RequestBenchStack> {
  const { database, temporal } = input;
  const teardown = createTeardown(reportToStderr);
  const close = () => teardown.run();
  try {
    const owner = 'owner@bench.test';
    const requesterEmails = Array.from(
      { length: input.requesters },
      (_, i) => `requester-${String(i + 1).padStart(4, '0')}@bench.test`,
    );
    const managerEmails = Array.from(
      { length: Math.ceil(input.requesters / REPORTS_PER_MANAGER) },
      (_, i) => `manager-${String(i + 1).padStart(3, '0')}@bench.test`,
    );

    // The target: a database of its own on the same server, the role to grant, a user per requester.
    await database.owner.unsafe(`create database ${TARGET_DATABASE}`);
    await database.owner.unsafe(`create role ${TARGET_ROLE} nologin`);
    for (const email of requesterEmails)
      await database.owner.unsafe(`create role ${databaseUserFor(email)} login`);
    const targetUrl = new URL(database.ownerUrl);
    targetUrl.pathname = `/${TARGET_DATABASE}`;
    const connectorEnv = { [TARGET_URL_ENV]: targetUrl.toString() };

    const worker = connectDatabase(database.runtimeUrl, { applicationName: 'grantflow-worker' });
    teardown.add(worker.close);
    const parsed = parseDirectorySource(
      directoryYaml(owner, managerEmails, requesterEmails),
      'bench-requests.yaml',
    );
    await importDirectory(worker.db, parsed, { actor: 'bench' });
    const tokens = new Map<string, string>();
    for (const person of await database.owner<
      { id: string; email: string }[]
    >`select id, email from people`) {
      tokens.set(
        person.email,
        (await createApiToken(worker.db, { personId: person.id, role: 'employee' })).token,
      );
    }
    const tokenOf = (email: string) => tokens.get(email) ?? '';

    const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
    const taskQueue = `bench-requests-${randomUUID()}`;
    const generated = generateSignerKey('grantflow-bench');
    const keys = {
      signer: parseSignerKey(generated.signerKey),
      verifierKey: generated.verifierKey,
      verifiers: [parseVerifierKey(generated.verifierKey)],
    };
    const exportDir = mkdtempSync(path.join(os.tmpdir(), 'grantflow-bench-checkpoints-'));
    teardown.add(async () => rmSync(exportDir, { recursive: true, force: true }));

    // The worker as `grantflow worker` runs it, with the bench's notifier.
    const connectors = createConnectors(connectorEnv);
    teardown.add(connectors.close);
    const connection = await connectWorker(temporal);
    teardown.add(() => connection.close());
    // Notifications go through the outbox and its deliverer, as in production; the bench's notifier
    // is the channel they are delivered to.
    const deliverer = startDeliverer({
      db: worker.db,
      notifier: input.notifier,
      channel: 'bench',
      log: silent,
      settings: deliverySettings(config),
    });
    teardown.add(deliverer.stop);
    const temporalWorker = await createWorker({
      connection,
      namespace: temporal.TEMPORAL_NAMESPACE,
      taskQueue,
      deps: {
        db: worker.db,
        sql: worker.sql,
        log: silent,
        ledger: { keys, origin: 'bench.grantflow/audit', exportDir },
        connectors,
        notifier: createOutboxNotifier(worker.db, deliverer.wake),
      },
    });
    const running = temporalWorker.run();
    teardown.add(async () => {
      if (temporalWorker.getState() === 'RUNNING') temporalWorker.shutdown();
      await running;
    });
    const sequencer = await startSequencer(worker.sql, silent);
    teardown.add(sequencer.stop);

    // The API as `grantflow api` runs it.
    const api = connectDatabase(database.runtimeUrl, { applicationName: 'grantflow-api' });
    teardown.add(api.close);
    const client = await connectClient(temporal);
    teardown.add(() => client.connection.close());
    if (input.terminateLeftovers) teardown.add(() => terminateOpenWorkflows(database.owner, client));
    const app = await buildServer(
      {
        config: { ...config, TEMPORAL_TASK_QUEUE: taskQueue },
        db: api.db,
        sql: api.sql,
        temporal: client,
        ledger: { verifiers: keys.verifiers, exportDir },
      },
      silent,
    );
    teardown.add(() => app.close());
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;

    return {
      apiUrl: `http://127.0.0.1:${port}`,
      requesters: requesterEmails.map((email, i) => ({
        email,
        token: tokenOf(email),
        managerToken: tokenOf(managerEmails[Math.floor(i / REPORTS_PER_MANAGER)] ?? ''),
      })),
      ownerToken: tokenOf(owner),
      async countMembers() {
        const [row] = await database.owner<{ n: number }[]>`
          select count(*)::int as n from pg_auth_members m join pg_roles r on r.oid = m.roleid
          where r.rolname = ${TARGET_ROLE}`;
        return row?.n ?? 0;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Grant lifetimes (and any request a failed run left open) would outlive the bench on a shared server. */
async function terminateOpenWorkflows(
  owner: Awaited<ReturnType<typeof benchDatabase>>['owner'],
  client: Client,
): Promise<void> {
  const requests = await owner<{ id: string; closed: boolean }[]>`
    select id, closed_at is not null as closed from access_requests`;
  // A granted request still starts its grant's lifetime and notifies: let it finish first.
  const settled = Promise.all(
    requests
      .filter((request) => request.closed)
      .map((request) =>
        client.workflow
          .getHandle(accessRequestWorkflowId(request.id))
          .result()
          .catch(() => undefined),
      ),
  );
  await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 60_000).unref())]);
  const grants = await owner<{ id: string }[]>`select id from grants`;
  const ids = [
    ...grants.map((grant) => grantWorkflowId(grant.id)),
    ...requests.map((request) => accessRequestWorkflowId(request.id)),
  ];
  await Promise.all(
    ids.map((id) =>
      client.workflow
        .getHandle(id)
        .terminate('grantflow bench finished')
        .catch(() => undefined),
    ),
  );
}
