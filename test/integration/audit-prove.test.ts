import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealCheckpoint } from '../../audit/checkpoint.js';
import { recordAudit } from '../../audit/intake.js';
import { checkProofBundle } from '../../audit/proof-verify.js';
import { NotYetCheckpointedError, proveEvent } from '../../audit/prove.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { generateSignerKey, parseSignerKey, parseVerifierKey } from '../../audit/signed-note.js';
import { sampleEvent } from '../helpers/audit.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

describe('inclusion proofs', () => {
  let database: TestDatabase;
  const key = generateSignerKey('prove-test');
  const keys = {
    signer: parseSignerKey(key.signerKey),
    verifierKey: key.verifierKey,
    verifiers: [parseVerifierKey(key.verifierKey)],
  };
  const eventIds: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    for (let i = 0; i < 37; i++)
      eventIds.push((await recordAudit(database.runtime.db, sampleEvent())).event_id);
    await sequenceAll(database.runtime.sql);
  });
  afterAll(() => database.drop());

  it('refuses to prove an event no checkpoint covers yet', async () => {
    await expect(proveEvent(database.runtime.sql, eventIds[0] ?? '')).rejects.toBeInstanceOf(
      NotYetCheckpointedError,
    );
  });

  it('proves every event under the checkpoint, checkable offline with only the public key', async () => {
    await sealCheckpoint(database.runtime.sql, keys, { origin: 'test.grantflow/audit' });

    for (const eventId of eventIds) {
      const bundle = await proveEvent(database.runtime.sql, eventId);
      const result = checkProofBundle(JSON.parse(JSON.stringify(bundle)), [key.verifierKey]);
      expect(result).toEqual({ ok: true, problems: [] });
    }
  });

  it('fails offline when the event in the bundle is altered or the key is wrong', async () => {
    const bundle = await proveEvent(database.runtime.sql, eventIds[5] ?? '');
    const altered = structuredClone(bundle);
    (altered.event.event as { action: string }).action = 'something else';

    expect(checkProofBundle(altered, [key.verifierKey]).ok).toBe(false);
    expect(checkProofBundle(bundle, [generateSignerKey('prove-test').verifierKey]).ok).toBe(false);
  });
});
