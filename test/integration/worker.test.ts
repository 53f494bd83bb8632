import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectWorker } from '../../temporal/connection.js';
import { createWorker } from '../../worker/worker.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

describe('worker', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('connects to the real Temporal server, polls, and drains on shutdown', async () => {
    const services = inject('services');
    const connection = await connectWorker({
      address: services.temporalAddress,
      TEMPORAL_NAMESPACE: services.temporalNamespace,
    });
    const worker = await createWorker({
      connection,
      namespace: services.temporalNamespace,
      taskQueue: `worker-test-${randomUUID()}`,
      deps: { db: database.runtime.db, log: pino({ level: 'silent' }) },
    });

    const running = worker.run();
    await expect.poll(() => worker.getState(), { timeout: 10_000 }).toBe('RUNNING');
    worker.shutdown();
    await running;

    expect(worker.getState()).toBe('STOPPED');
    await connection.close();
  });
});
