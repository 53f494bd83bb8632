import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appendToIntake } from '../../audit/intake.js';
import { verifyLedger } from '../../audit/verify/index.js';
import { waitUntil } from '../../core/net.js';
import { sampleEvent, testLedgerKeys } from '../helpers/audit.js';
import { bin, root } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

// Enough that sequencing takes a few seconds on a 2-core machine, so the kill lands mid-way.
const EVENTS = 40_000;
const BATCH = 1_000;

describe('the worker killed in the middle of sequencing', () => {
  let database: TestDatabase;
  let dataDir: string;
  const keys = testLedgerKeys('crash-test');

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'gf-crash-'));
  });
  afterAll(async () => {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A real `grantflow worker` process on this test's database and its own task queue. */
  function startWorkerProcess(): ChildProcess {
    const services = inject('services');
    return spawn(process.execPath, [bin, 'worker'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
        GRANTFLOW_DATA_DIR: dataDir,
        GRANTFLOW_AUDIT_SIGNING_KEY: keys.signerKey,
        DATABASE_URL: database.ownerUrl,
        DATABASE_RUNTIME_URL: database.runtimeUrl,
        TEMPORAL_ADDRESS: services.temporalAddress,
        TEMPORAL_NAMESPACE: services.temporalNamespace,
        TEMPORAL_TASK_QUEUE: `crash-test-${randomUUID()}`,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }

  async function ledgerState() {
    const [row] = await database.owner.sql<{ count: string; max: string | null; distinct: string }[]>`
      select count(*) as count, max(seq) as max, count(distinct event_id) as distinct from audit_ledger`;
    return {
      count: Number(row?.count),
      maxSeq: Number(row?.max ?? 0),
      distinctEvents: Number(row?.distinct),
    };
  }

  /** Appends `count` events in batches, every batch sent twice, as a retrying writer would. */
  async function appendTwice(prefix: string, count: number) {
    for (let start = 0; start < count; start += BATCH) {
      const writes = Array.from({ length: Math.min(BATCH, count - start) }, (_, i) => ({
        idempotencyKey: `${prefix}-${start + i}`,
        event: sampleEvent({ action: `${prefix} ${start + i}` }),
      }));
      await appendToIntake(database.runtime.db, writes);
      await appendToIntake(database.runtime.db, writes);
    }
  }

  it('loses nothing and duplicates nothing once another worker takes over', async () => {
    await appendTwice('before', EVENTS);
    const first = startWorkerProcess();
    const firstExit = new Promise((resolve) => first.once('exit', resolve));
    try {
      await waitUntil(async () => (await ledgerState()).count > 0, { timeoutMs: 45_000, intervalMs: 20 });
    } finally {
      first.kill('SIGKILL');
    }
    await firstExit;
    const atKill = await ledgerState();
    // Writers keep writing while no worker runs; their events must wait, not vanish.
    await appendTwice('during', 5_000);

    const second = startWorkerProcess();
    const secondExit = new Promise((resolve) => second.once('exit', resolve));
    try {
      await waitUntil(async () => (await ledgerState()).count >= EVENTS + 5_000, {
        timeoutMs: 60_000,
        intervalMs: 200,
      });
    } finally {
      second.kill('SIGTERM');
    }
    await secondExit;

    expect(atKill.count).toBeGreaterThan(0);
    expect(atKill.count).toBeLessThan(EVENTS);
    expect(atKill.maxSeq).toBe(atKill.count);
    expect(await ledgerState()).toEqual({
      count: EVENTS + 5_000,
      maxSeq: EVENTS + 5_000,
      distinctEvents: EVENTS + 5_000,
    });
    const [unsequenced] = await database.owner.sql<{ count: string }[]>`
      select count(*) as count from audit_intake where seq is null`;
    expect(Number(unsequenced?.count)).toBe(0);
    const report = await verifyLedger(database.owner.sql, { verifiers: keys.verifiers });
    expect(report.findings).toEqual([]);
    expect(report.status).toBe('intact');
  });
});
