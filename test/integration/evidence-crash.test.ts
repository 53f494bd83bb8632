// A worker killed (SIGKILL) in the middle of building an evidence pack: another worker builds it
// after the heartbeat times out, the pack verifies, and it is recorded once.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSequencer, startSequencer } from '../../audit/sequencer-loop.js';
import { waitUntil } from '../../core/net.js';
import { verifyPack } from '../../evidence/verify.js';
import { bearer, personWithToken } from '../helpers/api.js';
import { spawnWorker } from '../helpers/cli.js';
import { useRequestStack } from '../helpers/requests.js';
import { step } from '../helpers/steps.js';

describe('an evidence pack survives a worker crash', () => {
  const fixture = useRequestStack();
  let sequencer: RunningSequencer;
  beforeAll(async () => {
    sequencer = await startSequencer(fixture.database.runtime.sql, pino({ level: 'silent' }), { pollMs: 50 });
  });
  afterAll(async () => {
    await sequencer?.stop();
  });

  it('is built by the next worker, verifies, and is recorded once', async () => {
    const auditor = await personWithToken(
      fixture.database.runtime.db,
      { email: 'aud.crash@acme.test' },
      'auditor',
    );
    const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
      fixture.stack.api.app.inject({
        method,
        url: `/api/v1${url}`,
        headers: bearer(auditor.token),
        ...(payload ? { payload } : {}),
      });
    const status = async (id: string) => (await call('GET', `/evidence/packs/${id}`)).json();

    await fixture.stack.stopWorker();
    const child = spawnWorker(fixture.stack.workerEnv());
    // Holding the grants table makes the build wait inside its first population, where it is killed.
    const owner = await fixture.database.owner.sql.reserve();
    let packId = '';
    try {
      await owner`begin`;
      await owner`lock table grants in access exclusive mode`;
      packId = await step('a pack is asked for, and its build starts in the worker process', async () => {
        const asked = await call('POST', '/evidence/packs', {
          framework: 'soc2',
          period: '2026-Q4',
          control: 'CC6.2',
        });
        expect(asked.statusCode, asked.body).toBe(202);
        const id = asked.json().id as string;
        await waitUntil(async () => (await status(id)).progress?.step?.startsWith('population') === true, {
          timeoutMs: 45_000,
          intervalMs: 20,
        });
        return id;
      });
      await step('the worker process is killed mid-build', async () => {
        child.child.kill('SIGKILL');
        await child.exited;
        expect((await status(packId)).status).toBe('building');
      });
    } finally {
      child.child.kill('SIGKILL');
      await owner`rollback`;
      owner.release();
    }

    await step(
      'another worker builds it once the heartbeat times out; it verifies and is recorded once',
      async () => {
        await fixture.stack.startWorker();
        await waitUntil(async () => (await status(packId)).status === 'ready', {
          timeoutMs: 60_000,
          intervalMs: 250,
        });
        const [pack] = await fixture.database.runtime
          .sql`select file from evidence_packs where id = ${packId}`;
        const result = await verifyPack(String(pack?.file), [fixture.stack.api.ledger.keys.verifierKey]);
        expect(result.problems).toEqual([]);
        const generated = await fixture.database.runtime.sql`
        select 1 from audit_intake where event->>'event_type' = 'audit.evidence.generated' and event->'target'->>'id' = ${packId}`;
        expect(generated).toHaveLength(1);
      },
    );
  });
});
