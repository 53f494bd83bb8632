// Consistency proofs between two sealed checkpoints, through GET /api/v1/audit/consistency and
// `grantflow audit prove-consistency`, each checked offline with only the public key: who may
// ask, what a missing checkpoint or a reversed range answers, that the read is recorded, and that
// a rewritten entry under the older checkpoint gives a proof that no longer verifies.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sealCheckpoint } from '../../audit/checkpoint.js';
import { recordAudit } from '../../audit/intake.js';
import { checkConsistencyBundle } from '../../audit/proof-verify.js';
import { proveConsistency } from '../../audit/prove.js';
import { searchLedger } from '../../audit/read.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { bearer, personWithToken, startTestApi, type TestApi } from '../helpers/api.js';
import { sampleEvent, tamperAsSuperuser } from '../helpers/audit.js';
import { grantflow } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

describe('consistency proofs', () => {
  let database: TestDatabase;
  let api: TestApi;
  let auditor: { id: string; token: string };
  let admin: { id: string; token: string };
  let employee: { id: string; token: string };

  /** Records `count` events and moves them into the ledger. */
  async function recordEvents(count: number) {
    for (let i = 0; i < count; i++) await recordAudit(database.runtime.db, sampleEvent());
    await sequenceAll(database.runtime.sql);
  }
  const seal = () =>
    sealCheckpoint(database.runtime.sql, api.ledger.keys, { origin: 'grantflow.test/audit' });
  const consistency = (query: string, token: string) =>
    api.app.inject({ method: 'GET', url: `/api/v1/audit/consistency${query}`, headers: bearer(token) });
  /** Proofs recorded as ledger reads so far. */
  async function recordedProofs() {
    await sequenceAll(database.runtime.sql);
    return searchLedger(database.runtime.sql, { type: 'audit.proof.created' }, 100);
  }

  // Two checkpoints with events between them, and a third of the same size as the second (the
  // schedule seals even when nothing happened).
  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApi(database);
    auditor = await personWithToken(database.runtime.db, { email: 'aud@acme.test' }, 'auditor');
    admin = await personWithToken(database.runtime.db, { email: 'ada@acme.test' }, 'admin');
    employee = await personWithToken(database.runtime.db, { email: 'bob@acme.test' }, 'employee');
    await recordEvents(5);
    expect((await seal()).treeSize).toBe(5);
    await recordEvents(7);
    expect((await seal()).treeSize).toBe(12);
    await seal();
  });
  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('proves that the newer checkpoint extends the older, checkable offline, and records who asked', async () => {
    const response = await consistency('?from=5&to=12', auditor.token);
    const toNewest = await consistency('?from=5', admin.token);

    expect(response.statusCode, response.body).toBe(200);
    const bundle = response.json();
    expect(bundle).toMatchObject({ oldSize: 5, newSize: 12, proof: expect.any(Array) });
    expect(
      checkConsistencyBundle(bundle, [api.ledger.keys.verifierKey], { origin: 'grantflow.test/audit' }),
    ).toEqual({ ok: true, problems: [] });
    expect(toNewest.json()).toMatchObject({ oldSize: 5, newSize: 12, proof: bundle.proof });
    const proofs = await recordedProofs();
    expect(proofs.map((entry) => entry.event)).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ type: 'person', id: 'aud@acme.test' }),
        action: 'prove-consistency',
        details: { oldSize: 5, newSize: 12 },
      }),
      expect.objectContaining({ actor: expect.objectContaining({ id: 'ada@acme.test' }) }),
    ]);
  });

  it('proves a checkpoint consistent with itself; a size never sealed (here 0) is not found', async () => {
    const same = await consistency('?from=12&to=12', auditor.token);

    expect(same.json()).toMatchObject({ oldSize: 12, newSize: 12, proof: [] });
    expect(checkConsistencyBundle(same.json(), [api.ledger.keys.verifierKey]).ok).toBe(true);
    expect((await consistency('?from=0', auditor.token)).statusCode).toBe(404);
  });

  it('answers 404 for a size no checkpoint has, 400 for a reversed range or a bad size; records none', async () => {
    const before = (await recordedProofs()).length;

    const missing = await consistency('?from=6', auditor.token);
    const missingTo = await consistency('?from=5&to=13', auditor.token);
    const reversed = await consistency('?from=12&to=5', auditor.token);
    const negative = await consistency('?from=-1', auditor.token);
    const words = await consistency('?from=five', auditor.token);
    const none = await consistency('', auditor.token);

    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({
      code: 'not_found',
      message: 'checkpoint of tree size 6 does not exist',
    });
    expect(missingTo.statusCode).toBe(404);
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error).toMatchObject({ code: 'validation_failed', details: { from: 12, to: 5 } });
    expect(reversed.json().error.message).toContain('from (12) is larger than to (5)');
    for (const bad of [negative, words, none]) {
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('validation_failed');
    }
    expect(await recordedProofs()).toHaveLength(before);
  });

  it('refuses employees and callers without a token', async () => {
    const asEmployee = await consistency('?from=5', employee.token);
    const anonymous = await api.app.inject({ method: 'GET', url: '/api/v1/audit/consistency?from=5' });

    expect(asEmployee.statusCode).toBe(403);
    expect(asEmployee.json().error).toMatchObject({
      code: 'forbidden',
      details: { required: ['admin', 'auditor'], actual: 'employee' },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('lists the route in the OpenAPI document with its operationId and error answers', async () => {
    const document = (await api.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();

    const operation = document.paths['/api/v1/audit/consistency'].get;
    expect(operation.operationId).toBe('proveAuditConsistency');
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '401', '403', '404', '429']);
  });

  it('gives a proof that fails offline once an entry under the older checkpoint is rewritten', async () => {
    const [entry] = await database.owner.sql<{ leaf_hash: Buffer }[]>`
      select leaf_hash from audit_ledger where seq = 3`;
    const original = entry?.leaf_hash as Buffer;
    await tamperAsSuperuser(
      database.owner.sql,
      (tx) => tx`update audit_ledger set leaf_hash = sha256(leaf_hash) where seq = 3`,
    );
    try {
      const bundle = await proveConsistency(database.runtime.sql, 5, 12);

      expect(checkConsistencyBundle(bundle, [api.ledger.keys.verifierKey]).problems).toEqual([
        'the proof does not show that the tree of 12 extends the tree of 5',
      ]);
    } finally {
      await tamperAsSuperuser(
        database.owner.sql,
        (tx) => tx`update audit_ledger set leaf_hash = ${original} where seq = 3`,
      );
    }
  });

  it('grantflow audit prove-consistency writes the bundle, and check-proof verifies it offline', async () => {
    const services = inject('services');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gf-consistency-'));
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      GRANTFLOW_DATA_DIR: dir,
      DATABASE_URL: database.ownerUrl,
      DATABASE_RUNTIME_URL: database.runtimeUrl,
      TEMPORAL_ADDRESS: services.temporalAddress,
      TEMPORAL_NAMESPACE: services.temporalNamespace,
    };
    const file = path.join(dir, 'consistency.json');
    const key = api.ledger.keys.verifierKey;

    const proved = await grantflow(['audit', 'prove-consistency', '5', '--out', file], env);
    const checked = await grantflow(['audit', 'check-proof', file, '--key', key], env);
    const bundle = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...bundle, oldSize: 4 }));
    const altered = await grantflow(['audit', 'check-proof', file, '--key', key], env);
    const badSize = await grantflow(['audit', 'prove-consistency', 'latest'], env);

    expect(proved.stderr).toBe('');
    expect(proved.code).toBe(0);
    expect(bundle).toMatchObject({ oldSize: 5, newSize: 12 });
    expect(checked.stdout).toBe(
      'OK: the signed checkpoint of 12 entries extends the one of 5; nothing under it was removed or rewritten.\n',
    );
    expect(checked.code).toBe(0);
    expect(altered.code).toBe(1);
    expect(altered.stdout).toContain("bundle.oldSize 4 differs from oldCheckpoint's size 5");
    expect(badSize.code).toBe(1);
    expect(badSize.stderr).toContain("<from> must be a checkpoint's tree size");
    expect((await recordedProofs()).at(-1)?.event).toMatchObject({
      actor: { type: 'system', id: expect.stringMatching(/^cli:/) },
      details: { oldSize: 5, newSize: 12 },
    });
  });
});
