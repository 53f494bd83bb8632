// A whole request stack for integration tests: a directory with people, groups, policies and
// resources whose postgres target is a real database of this test's own; the real worker (with
// a recording notifier) on its own task queue; the real API; and tokens for everyone.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from '@temporalio/worker';
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, inject } from 'vitest';
import { parse, stringify } from 'yaml';
import { createConnectors } from '../../connectors/index.js';
import { findFreePort } from '../../core/net.js';
import { createApiToken } from '../../db/queries/api-tokens.js';
import { getPersonByEmail } from '../../db/queries/people.js';
import { importDirectory } from '../../directory/import.js';
import { parseDirectorySource } from '../../directory/parse.js';
import {
  type Deliverer,
  type DelivererDeps,
  type DeliverySettings,
  startDeliverer,
} from '../../notifications/deliverer.js';
import { createOutboxNotifier } from '../../notifications/outbox.js';
import type { Notifier } from '../../notifications/port.js';
import { createAlertPoster } from '../../slack/alerts.js';
import { createSlackClient, type SlackSettings } from '../../slack/client.js';
import { createSlackDirectory } from '../../slack/identity.js';
import { createSlackNotifier } from '../../slack/notifier.js';
import { connectClient, connectWorker } from '../../temporal/connection.js';
import { installTemporalRuntime } from '../../worker/runtime.js';
import { createWorker } from '../../worker/worker.js';
import { startTestApi, type TestApi } from './api.js';
import { testLedgerKeys } from './audit.js';
import { createRecordingNotifier, type RecordingNotifier } from './recording-notifier.js';
import { createTestDatabase, type TestDatabase, withDatabase } from './services.js';

/** People of the test directory, by role; emails carry this stack's suffix. */
export type Cast = Record<
  'ceo' | 'manager' | 'dev' | 'dev2' | 'owner' | 'sec1' | 'sec2' | 'sec3' | 'admin',
  string
>;

/** A running request stack. */
export type RequestStack = {
  api: TestApi;
  cast: Cast;
  notifier: RecordingNotifier;
  /** The target PostgreSQL database the `db` resource's roles live in (superuser connection). */
  target: postgres.Sql;
  /** The directory file the stack imported (a test may import it again with more sections). */
  directorySource: string;
  /** Role names in the target, per entitlement key. */
  roles: Record<string, string>;
  /** The target database user of a cast member. */
  databaseUser(email: string): string;
  token(email: string): string;
  /** The webhook resource's URL port (a test starts its receiver there). */
  webhookPort: number;
  webhookSecret: string;
  taskQueue: string;
  /** Starts (again) the in-process worker; the stack starts with one running. */
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  /** The environment the in-process worker's connectors read (a test may add a variable). */
  connectorEnv: Record<string, string>;
  /** Environment a `grantflow worker` child process needs to run this stack's work. */
  workerEnv(): Record<string, string>;
  close(): Promise<void>;
};

function directoryYaml(
  cast: Cast,
  roles: Record<string, string>,
  env: { db: string; hook: string; secret: string },
  webhookPort: number,
  slackIds: Partial<Cast>,
) {
  const person = (key: keyof Cast, name: string, manager?: keyof Cast) =>
    `  - email: ${cast[key]}\n    name: ${name}\n${manager ? `    manager: ${cast[manager]}\n` : ''}` +
    (slackIds[key] ? `    slackUserId: ${slackIds[key]}\n` : '');
  const entitlement = (key: string, risk: string, policy: string, role = true) =>
    `      - key: ${key}\n        name: ${key}\n        risk: ${risk}\n        maxDuration: 8h\n        policy: ${policy}\n` +
    (role ? `        target: { role: ${roles[key]} }\n` : '');
  return `people:
${person('ceo', 'Cora Ceo')}${person('manager', 'Mia Manager', 'ceo')}${person('dev', 'Dev Eloper', 'manager')}${person('dev2', 'Dee Two', 'manager')}${person('owner', 'Olu Owner', 'ceo')}${person('sec1', 'Sec One', 'ceo')}${person('sec2', 'Sec Two', 'ceo')}${person('sec3', 'Sec Three', 'ceo')}${person('admin', 'Ada Admin', 'ceo')}
groups:
  - key: security
    name: Security
    members: [${cast.sec1}, ${cast.sec2}, ${cast.sec3}]
  - key: engineering
    name: Engineering
    members: [${cast.dev}, ${cast.dev2}]
policies:
  - key: two-step
    steps:
      - { name: Manager, approvers: [manager] }
      - { name: Owner, approvers: [resource_owner] }
  - key: quorum
    steps:
      - { name: Security, approvers: ["group:security"], require: 2 }
    # db/write is high risk, which needs a passkey by default; the tests on this stack are about
    # quorums, provisioning and crashes, so it says no explicitly (step-up.test.ts tests step-up).
    stepUp: none
  - key: auto-low
    autoApprove:
      - { maxRisk: low, requesterInGroups: [engineering] }
    steps:
      - { approvers: [manager] }
  - key: timed
    steps:
      - { approvers: ["user:${cast.sec1}"] }
    remindAfter: 1s
    escalateAfter: 3s
    escalateTo: "user:${cast.owner}"
    expireAfter: 1h
  - key: expiring
    steps:
      - { approvers: ["user:${cast.sec1}"] }
    expireAfter: 2s
resources:
  - key: db
    name: Target DB
    owner: ${cast.owner}
    connector: { kind: postgres, databaseUrlEnv: ${env.db} }
    entitlements:
${entitlement('read', 'medium', 'two-step')}${entitlement('write', 'high', 'quorum')}${entitlement('low', 'low', 'auto-low')}${entitlement('timed', 'medium', 'timed')}${entitlement('expiring', 'medium', 'expiring')}${entitlement('maker', 'low', 'auto-low')}${entitlement('checker', 'low', 'auto-low')}
  - key: hook
    name: Hook App
    owner: ${cast.owner}
    connector: { kind: webhook, url: "http://127.0.0.1:${webhookPort}/hook", secretEnv: ${env.hook} }
    entitlements:
${entitlement('user', 'low', 'auto-low', false)}
  - key: paper
    name: Paper Files
    owner: ${cast.owner}
    connector: { kind: manual }
    entitlements:
${entitlement('cabinet', 'low', 'auto-low', false)}
separationOfDuties:
  - key: maker-checker
    entitlements: [db/maker, db/checker]
    action: deny
`;
}

function slackChannelFor(
  database: TestDatabase,
  settings: SlackSettings,
): {
  notifier: Notifier;
  alert: NonNullable<DelivererDeps['alert']>;
  probe: NonNullable<DelivererDeps['probe']>;
} {
  const log = pino({ level: 'silent' });
  // As in the worker: the outbox retries, so Slack calls fail fast.
  const client = createSlackClient(settings, log, { failFast: true });
  const alert = createAlertPoster(client, settings.alertChannel, log, { retryable: true });
  return {
    notifier: createSlackNotifier({
      db: database.runtime.db,
      client,
      directory: createSlackDirectory(database.runtime.db, client, log),
      alert,
      log,
      config: { publicUrl: 'http://localhost:3000' },
    }),
    alert: (a) => alert({ ...a, severity: 'warning' }),
    probe: async () => {
      await client.api.test();
    },
  };
}

/** Builds the stack on `database`. */
export async function startRequestStack(
  database: TestDatabase,
  options: {
    webhookPort: number;
    /** Slack on: the worker DMs through the Slack notifier, the API serves /slack/events. */
    slack?: { settings: SlackSettings; directoryIds?: (cast: Cast) => Partial<Cast> };
    /** The deliverer's pacing (tests of an outage shorten the alert threshold). */
    delivery?: Partial<DeliverySettings>;
    /** Evidence packs' rubber-stamping threshold, as the API records it in a pack request. */
    rubberStamp?: { items: number; seconds: number };
    /** The API's refusal limits (test/helpers/api.ts). */
    refusals?: { perMinute?: number; windowSeconds?: number };
  },
): Promise<RequestStack> {
  const services = inject('services');
  const suffix = randomBytes(4).toString('hex');
  const names = ['ceo', 'manager', 'dev', 'dev2', 'owner', 'sec1', 'sec2', 'sec3', 'admin'] as const;
  const cast = Object.fromEntries(names.map((name) => [name, `${name}.${suffix}@acme.test`])) as Cast;
  const entitlementKeys = ['read', 'write', 'low', 'timed', 'expiring', 'maker', 'checker'];
  const roles = Object.fromEntries(entitlementKeys.map((key) => [key, `r_${suffix}_${key}`]));
  const databaseUser = (email: string) => (email.split('@')[0] ?? '').replaceAll(/[^a-z0-9_]/g, '_');

  // The target: a database of its own, the roles to grant, and a login user per person.
  const targetName = `target_${suffix}`;
  const admin = postgres(services.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${targetName}"`);
  for (const role of Object.values(roles)) await admin.unsafe(`create role "${role}" nologin`);
  for (const email of Object.values(cast)) await admin.unsafe(`create role "${databaseUser(email)}" login`);
  await admin.end();
  const targetUrl = withDatabase(services.adminUrl, targetName);
  const target = postgres(targetUrl, { max: 2, onnotice: () => {} });

  const env = { db: `TARGET_DB_${suffix.toUpperCase()}`, hook: `HOOK_SECRET_${suffix.toUpperCase()}` };
  const webhookSecret = randomBytes(16).toString('hex');
  const connectorEnv: Record<string, string> = { [env.db]: targetUrl, [env.hook]: webhookSecret };
  const directorySource = directoryYaml(
    cast,
    roles,
    { ...env, secret: webhookSecret },
    options.webhookPort,
    options.slack?.directoryIds?.(cast) ?? {},
  );
  const parsed = parseDirectorySource(directorySource, 'requests.yaml');
  await importDirectory(database.runtime.db, parsed, { actor: 'test' });

  const tokens = new Map<string, string>();
  for (const email of Object.values(cast)) {
    const person = await getPersonByEmail(database.runtime.db, email);
    if (!person) throw new Error(`${email} was not imported`);
    const role = email === cast.admin ? 'admin' : 'employee';
    tokens.set(email, (await createApiToken(database.runtime.db, { personId: person.id, role })).token);
  }

  const taskQueue = `requests-${randomUUID()}`;
  const notifier = createRecordingNotifier();
  const slack = options.slack?.settings;
  // With Slack on, notifications go both to Slack and to the recording (tests read either), once
  // delivered from the outbox as in production: the recording sees what was delivered.
  const slackChannel = slack ? slackChannelFor(database, slack) : undefined;
  const deliveredTo: Notifier = {
    async send(notification, part) {
      await slackChannel?.notifier.send(notification, part);
      if (part !== 'alerts') await notifier.send(notification);
    },
  };
  const connectors = createConnectors(connectorEnv);
  const keys = testLedgerKeys();
  const exportDir = mkdtempSync(path.join(os.tmpdir(), 'gf-requests-'));
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  // The SDK's own logs (worker state changes, activity retries) would flood the test output.
  installTemporalRuntime(pino({ level: 'error' }));
  const connection = await connectWorker({
    address: services.temporalAddress,
    TEMPORAL_NAMESPACE: services.temporalNamespace,
  });
  // The worker's own client, as in production (campaign activities update grant workflows).
  const client = await connectClient({
    address: services.temporalAddress,
    TEMPORAL_NAMESPACE: services.temporalNamespace,
  });

  let deliverer: Deliverer | undefined;
  async function startWorker() {
    deliverer = startDeliverer({
      db: database.runtime.db,
      notifier: deliveredTo,
      channel: 'Slack',
      ...(slackChannel ? { alert: slackChannel.alert, probe: slackChannel.probe } : {}),
      log: pino({ level: 'silent' }),
      settings: { pollMs: 200, retryMaxMs: 1_000, alertAfterMs: 15 * 60_000, ...options.delivery },
    });
    const wake = deliverer.wake;
    worker = await createWorker({
      connection,
      namespace: services.temporalNamespace,
      taskQueue,
      deps: {
        db: database.runtime.db,
        sql: database.runtime.sql,
        log: pino({ level: 'silent' }),
        ledger: { keys, origin: 'test.grantflow/audit', exportDir },
        evidenceDir: path.join(exportDir, 'evidence'),
        connectors,
        notifier: createOutboxNotifier(database.runtime.db, wake),
        temporal: client,
      },
    });
    running = worker.run();
  }
  async function stopWorker() {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await deliverer?.stop();
    worker = undefined;
    deliverer = undefined;
  }
  await startWorker();
  const api = await startTestApi(database, {
    taskQueue,
    ledgerKeys: keys,
    ...(slack ? { slack } : {}),
    ...(options.rubberStamp ? { rubberStamp: options.rubberStamp } : {}),
    ...(options.refusals ? { refusals: options.refusals } : {}),
  });

  return {
    api,
    directorySource,
    cast,
    notifier,
    target,
    roles,
    databaseUser,
    token: (email) => tokens.get(email) ?? '',
    webhookPort: options.webhookPort,
    webhookSecret,
    taskQueue,
    startWorker,
    stopWorker,
    connectorEnv,
    workerEnv: () => ({
      ...connectorEnv,
      GRANTFLOW_AUDIT_SIGNING_KEY: keys.signerKey,
      DATABASE_URL: database.ownerUrl,
      DATABASE_RUNTIME_URL: database.runtimeUrl,
      TEMPORAL_ADDRESS: services.temporalAddress,
      TEMPORAL_NAMESPACE: services.temporalNamespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
    }),
    async close() {
      await stopWorker();
      await api.close();
      await connectors.close();
      await client.connection.close();
      await connection.close();
      await target.end();
      const cleanup = postgres(services.adminUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists "${targetName}" with (force)`);
      for (const email of Object.values(cast))
        await cleanup.unsafe(`drop role if exists "${databaseUser(email)}"`);
      for (const role of Object.values(roles)) await cleanup.unsafe(`drop role if exists "${role}"`);
      await cleanup.end();
    },
  };
}

/** A test database and a request stack on it, for the tests of one `describe`. */
export type RequestStackFixture = { readonly database: TestDatabase; readonly stack: RequestStack };

/**
 * Creates a database and starts a request stack on it before the describe's tests, and closes
 * both after them. Read `database` and `stack` inside tests and hooks, not at collection time.
 */
export function useRequestStack(
  options: Omit<Parameters<typeof startRequestStack>[1], 'webhookPort'> = {},
): RequestStackFixture {
  let database: TestDatabase | undefined;
  let stack: RequestStack | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    stack = await startRequestStack(database, { ...options, webhookPort: await findFreePort() });
  });
  afterAll(async () => {
    await stack?.close();
    await database?.drop();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the ${what} is read before beforeAll started it`);
    return value;
  };
  return {
    get database() {
      return ready(database, 'test database');
    },
    get stack() {
      return ready(stack, 'request stack');
    },
  };
}

/** Activity retries short enough for a test to see a failure quickly. */
export const QUICK_RETRY = {
  maximumAttempts: 3,
  initialIntervalMs: 200,
  maximumIntervalMs: 1_000,
  attemptTimeoutMs: 10_000,
};

/**
 * Adds `db/admin`: a critical entitlement (a role of its own at the stack's target) approved by
 * the manager alone, under a policy that says nothing about step-up, so the risk decides that
 * approving needs a passkey. Returns the target role, for the caller to drop.
 */
export async function addCriticalEntitlement(database: TestDatabase, stack: RequestStack): Promise<string> {
  const role = `r_${stack.roles.read}_admin`;
  await stack.target.unsafe(`create role "${role}" nologin`);
  const file = parse(stack.directorySource);
  file.policies.push({ key: 'manager-only', steps: [{ approvers: ['manager'] }] });
  file.resources
    .find((r: { key: string }) => r.key === 'db')
    .entitlements.push({
      key: 'admin',
      name: 'Admin',
      risk: 'critical',
      maxDuration: '8h',
      policy: 'manager-only',
      target: { role },
    });
  await importDirectory(database.runtime.db, parseDirectorySource(stringify(file), 'step-up.yaml'), {
    actor: 'test',
  });
  return role;
}
