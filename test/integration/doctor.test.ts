// `grantflow doctor` against a real PostgreSQL and Temporal set up as a worker leaves them: a
// migrated database with a least-privilege runtime role, a ledger with a signed checkpoint, a
// namespace of this file's own with the search attributes and schedules, Slack on a fake Web API.
// Each fault is made for real, named by the doctor with its fix, and undone (by that fix where
// it is one a test can apply).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sealCheckpoint } from '../../audit/checkpoint.js';
import { appendToIntake } from '../../audit/intake.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { type Config, loadConfig } from '../../core/config.js';
import { migrateDatabase } from '../../db/migrate.js';
import type { CheckResult } from '../../doctor/check.js';
import { type DoctorReport, runDoctor } from '../../doctor/run.js';
import { connectTemporal } from '../../temporal/connection.js';
import {
  deploymentScheduleId,
  ensureCheckpointSchedule,
  ensureLogReviewSchedule,
  ensureReconciliationSchedule,
  SCHEDULE_NAMES,
} from '../../temporal/schedules.js';
import { ensureSearchAttributes } from '../../temporal/search-attributes.js';
import { sampleEvent, testLedgerKeys } from '../helpers/audit.js';
import { grantflow } from '../helpers/cli.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { createTestDatabase, TEST_RUNTIME_ROLE, type TestDatabase } from '../helpers/services.js';

const RUNTIME = TEST_RUNTIME_ROLE.name;
const CHECK_IDS = [
  'database',
  'runtime-role',
  'ledger-triggers',
  'signing-key',
  'temporal',
  'search-attributes',
  'schedules',
  'slack-signing',
  'slack-token',
  'clock-postgres',
  'clock-temporal',
  'export-dir',
];

/** Retries `attempt` until it resolves: a new namespace takes a moment to reach every service. */
async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

const statuses = (report: DoctorReport) =>
  Object.fromEntries(report.checks.map((check) => [check.id, check.status]));
const check = (report: DoctorReport, id: string): CheckResult => {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in the report`);
  return found;
};
/** Every check passes but `failing`, which fails. */
const allPassBut = (...failing: string[]) =>
  Object.fromEntries(CHECK_IDS.map((id) => [id, failing.includes(id) ? 'fail' : 'pass']));

describe('grantflow doctor', () => {
  let database: TestDatabase;
  let connection: Connection;
  let fakeSlack: FakeSlack;
  let scratch: string;
  let env: Record<string, string>;
  let config: Config;
  const keys = testLedgerKeys('grantflow-doctor-test');
  const namespace = `doctor-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    const services = inject('services');
    database = await createTestDatabase();
    scratch = mkdtempSync(path.join(os.tmpdir(), 'grantflow-doctor-'));
    fakeSlack = await startFakeSlack();
    env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LOG_LEVEL: 'error',
      GRANTFLOW_DATA_DIR: path.join(scratch, 'data'),
      DATABASE_URL: database.ownerUrl,
      DATABASE_RUNTIME_URL: database.runtimeUrl,
      TEMPORAL_ADDRESS: services.temporalAddress,
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: `doctor-${namespace}`,
      GRANTFLOW_AUDIT_SIGNING_KEY: keys.signerKey,
      GRANTFLOW_AUDIT_EXPORT_DIR: path.join(scratch, 'checkpoints'),
      SLACK_BOT_TOKEN: 'xoxb-doctor-test',
      SLACK_SIGNING_SECRET: randomBytes(16).toString('hex'),
      SLACK_API_URL: fakeSlack.apiUrl,
    };
    config = loadConfig(env);

    // A ledger with a checkpoint, written as the services write it.
    const writes = [1, 2, 3].map(() => {
      const event = sampleEvent();
      return { idempotencyKey: event.event_id, event };
    });
    await appendToIntake(database.runtime.db, writes);
    await sequenceAll(database.runtime.sql);
    await sealCheckpoint(database.runtime.sql, keys, {
      origin: config.GRANTFLOW_AUDIT_ORIGIN,
      exportDir: config.GRANTFLOW_AUDIT_EXPORT_DIR,
    });

    // The namespace as `grantflow dev` and a worker leave it.
    connection = await connectTemporal({ ...config, address: services.temporalAddress });
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    await eventually(() => ensureSearchAttributes(connection, namespace));
    const client = new Client({ connection, namespace });
    const taskQueue = config.TEMPORAL_TASK_QUEUE;
    await eventually(() =>
      ensureCheckpointSchedule(client, {
        taskQueue,
        everySeconds: config.GRANTFLOW_AUDIT_CHECKPOINT_SECONDS,
      }),
    );
    await ensureReconciliationSchedule(client, {
      taskQueue,
      everySeconds: config.GRANTFLOW_RECONCILE_EVERY_SECONDS,
    });
    await ensureLogReviewSchedule(client, {
      taskQueue,
      cron: config.GRANTFLOW_LOG_REVIEW_CRON,
      template: { reviewerGroup: 'security', dueDays: 10 },
    });
  }, 90_000);

  afterAll(async () => {
    const client = new Client({ connection, namespace });
    for (const name of [SCHEDULE_NAMES.checkpoint, SCHEDULE_NAMES.reconciliation, SCHEDULE_NAMES.logReview]) {
      await client.schedule
        .getHandle(deploymentScheduleId(name, config.TEMPORAL_TASK_QUEUE))
        .delete()
        .catch(() => undefined);
    }
    await connection?.operatorService.deleteNamespace({ namespace }).catch(() => undefined);
    await connection?.close();
    await fakeSlack?.close();
    await database?.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('passes every check on a healthy stack', async () => {
    const report = await runDoctor(config);

    expect(statuses(report)).toEqual(allPassBut());
    expect(report.ok).toBe(true);
    expect(check(report, 'signing-key').detail).toContain(`${keys.signer.name}+${keys.signer.keyId}`);
    expect(check(report, 'slack-token').detail).toContain('auth.test');
    expect(fakeSlack.callsTo('auth.test')).toHaveLength(1);
  });

  it('names UPDATE on the ledger granted to the runtime role, and `grantflow migrate` (its fix) undoes it', async () => {
    await database.owner.sql.unsafe(`grant update on audit_ledger to ${RUNTIME}`);
    try {
      const report = await runDoctor(config);

      expect(statuses(report)).toEqual(allPassBut('runtime-role'));
      expect(report.ok).toBe(false);
      const role = check(report, 'runtime-role');
      expect(role.detail).toContain(`runtime role ${RUNTIME} may UPDATE on audit_ledger`);
      expect(role.fix).toContain('grantflow migrate');

      await migrateDatabase(database.ownerUrl, TEST_RUNTIME_ROLE);
      expect(statuses(await runDoctor(config))).toEqual(allPassBut());
    } finally {
      await database.owner.sql.unsafe(`revoke update on audit_ledger from ${RUNTIME}`);
    }
  });

  it('names a disabled ledger trigger, and the statement it prints re-enables it', async () => {
    await database.owner.sql`alter table audit_ledger disable trigger audit_ledger_no_update_delete`;
    try {
      const report = await runDoctor(config);

      expect(statuses(report)).toEqual(allPassBut('ledger-triggers'));
      const triggers = check(report, 'ledger-triggers');
      expect(triggers.detail).toContain(
        'trigger audit_ledger_no_update_delete on audit_ledger is disabled, not ENABLE ALWAYS',
      );
      const statement = /ALTER TABLE audit_ledger ENABLE ALWAYS TRIGGER audit_ledger_no_update_delete;/.exec(
        triggers.fix ?? '',
      );
      expect(statement).not.toBeNull();

      await database.owner.sql.unsafe(statement![0]);
      expect(statuses(await runDoctor(config))).toEqual(allPassBut());
    } finally {
      await database.owner.sql`alter table audit_ledger enable always trigger audit_ledger_no_update_delete`;
    }
  });

  it('names a signing key that did not sign the latest checkpoint, and accepts it as a rotation', async () => {
    const other = testLedgerKeys('grantflow-doctor-test');
    const swapped = loadConfig({ ...env, GRANTFLOW_AUDIT_SIGNING_KEY: other.signerKey });

    const report = await runDoctor(swapped);

    expect(statuses(report)).toEqual(allPassBut('signing-key'));
    const key = check(report, 'signing-key');
    expect(key.detail).toContain(`${other.signer.name}+${other.signer.keyId}`);
    expect(key.detail).toContain(`signed by ${keys.signer.name}+${keys.signer.keyId}`);
    expect(key.fix).toContain('GRANTFLOW_AUDIT_VERIFIER_KEYS');

    const rotated = await runDoctor(
      loadConfig({
        ...env,
        GRANTFLOW_AUDIT_SIGNING_KEY: other.signerKey,
        GRANTFLOW_AUDIT_VERIFIER_KEYS: keys.verifierKey,
      }),
    );
    expect(check(rotated, 'signing-key')).toMatchObject({ status: 'pass' });
    expect(check(rotated, 'signing-key').detail).toContain('rotated-out key');
  });

  it('names a namespace that does not exist, and skips what depends on it', async () => {
    const report = await runDoctor(loadConfig({ ...env, TEMPORAL_NAMESPACE: `${namespace}-missing` }));

    expect(check(report, 'temporal')).toMatchObject({ status: 'fail' });
    expect(check(report, 'temporal').fix).toContain('temporal operator namespace create');
    for (const id of ['search-attributes', 'schedules', 'clock-temporal']) {
      expect(check(report, id).status).toBe('skip');
    }
  });

  it('names a malformed Slack signing secret, and skips Slack when it is off', async () => {
    const token = await runDoctor(loadConfig({ ...env, SLACK_SIGNING_SECRET: 'abcdefghijklmnopqrstuvwx' }));
    expect(check(token, 'slack-signing')).toMatchObject({ status: 'fail' });
    expect(check(token, 'slack-signing').detail).toContain('24 characters');

    const { SLACK_BOT_TOKEN: _bot, SLACK_SIGNING_SECRET: _secret, ...withoutSlack } = env;
    const off = await runDoctor(loadConfig(withoutSlack));
    expect(check(off, 'slack-signing').status).toBe('skip');
    expect(check(off, 'slack-token').detail).toContain('Slack is not configured');
    expect(off.ok).toBe(true);
  });

  it('is wired into the real CLI: JSON and exit 0 when healthy, ✗ with the fix and exit 1 otherwise', async () => {
    const healthy = await grantflow(['doctor', '--json'], env);
    expect(healthy.stderr).toBe('');
    expect(healthy.code).toBe(0);
    const report = JSON.parse(healthy.stdout) as DoctorReport;
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.id)).toEqual(CHECK_IDS);

    const swapped = await grantflow(['doctor'], {
      ...env,
      GRANTFLOW_AUDIT_SIGNING_KEY: testLedgerKeys('grantflow-doctor-test').signerKey,
    });
    expect(swapped.code).toBe(1);
    expect(swapped.stdout).toMatch(
      /^✗ signing key and latest checkpoint .*did not sign the latest checkpoint/m,
    );
    expect(swapped.stdout).toMatch(/^ +fix: set GRANTFLOW_AUDIT_SIGNING_KEY back to the key/m);
    expect(swapped.stdout).toMatch(/^✓ ledger triggers ENABLE ALWAYS/m);
    expect(swapped.stdout).toContain('12 checks: 11 passed, 1 failed, 0 skipped');
  }, 60_000);
});
