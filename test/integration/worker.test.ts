import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { recordAudit } from '../../audit/intake.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { generateSignerKey, parseSignerKey, parseVerifierKey } from '../../audit/signed-note.js';
import { createConnectors } from '../../connectors/index.js';
import { connectWorker } from '../../temporal/connection.js';
import { createWorker } from '../../worker/worker.js';
import { sampleEvent } from '../helpers/audit.js';
import { createRecordingNotifier } from '../helpers/recording-notifier.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

describe('worker', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('runs the checkpoint workflow on the real Temporal server and drains on shutdown', async () => {
    const services = inject('services');
    const key = generateSignerKey('worker-test');
    const exportDir = mkdtempSync(path.join(os.tmpdir(), 'gf-checkpoints-'));
    const taskQueue = `worker-test-${randomUUID()}`;
    const connection = await connectWorker({
      address: services.temporalAddress,
      TEMPORAL_NAMESPACE: services.temporalNamespace,
    });
    const worker = await createWorker({
      connection,
      namespace: services.temporalNamespace,
      taskQueue,
      deps: {
        db: database.runtime.db,
        sql: database.runtime.sql,
        log: pino({ level: 'silent' }),
        ledger: {
          keys: {
            signer: parseSignerKey(key.signerKey),
            verifierKey: key.verifierKey,
            verifiers: [parseVerifierKey(key.verifierKey)],
          },
          origin: 'test.grantflow/audit',
          exportDir,
        },
        connectors: createConnectors({}),
        notifier: createRecordingNotifier(),
      },
    });
    await recordAudit(database.runtime.db, sampleEvent());
    await recordAudit(database.runtime.db, sampleEvent());
    await sequenceAll(database.runtime.sql);
    const client = new Client({
      connection: await Connection.connect({ address: services.temporalAddress }),
      namespace: services.temporalNamespace,
    });

    const running = worker.run();
    const result = await client.workflow.execute('auditCheckpoint', {
      taskQueue,
      workflowId: `audit-checkpoint-test-${randomUUID()}`,
    });
    worker.shutdown();
    await running;

    expect(worker.getState()).toBe('STOPPED');
    expect(result).toMatchObject({ treeSize: 2, rootHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const [file] = readdirSync(exportDir);
    expect(readFileSync(path.join(exportDir, file ?? ''), 'utf8')).toMatch(/^test\.grantflow\/audit\n2\n/);
    await client.connection.close();
    await connection.close();
  });
});
