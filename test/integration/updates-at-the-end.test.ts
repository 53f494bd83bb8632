// Updates that arrive as a workflow ends are answered, and what they did is on the record. A lock
// held by the test keeps a decision's recording in flight while the request expires, so the race
// is forced rather than hoped for: the workflow must wait for the handler before it completes. An
// extension racing a release is the grant's version of the same race.
import { describe, expect, it } from 'vitest';
import { searchLedger } from '../../audit/read.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { waitUntil } from '../../core/net.js';
import { bearer } from '../helpers/api.js';
import { useRequestStack } from '../helpers/requests.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('updates arriving at the end', () => {
  const fixture = useRequestStack();

  // An async wrapper, so the request starts now: inject() alone is lazy until awaited.
  const call = async (as: string, url: string, payload: object) =>
    await fixture.stack.api.app.inject({
      method: 'POST',
      url: `/api/v1${url}`,
      headers: bearer(fixture.stack.token(as)),
      payload,
    });
  const show = async (path: string) =>
    (
      await fixture.stack.api.app.inject({
        method: 'GET',
        url: `/api/v1${path}`,
        headers: bearer(fixture.stack.token(fixture.stack.cast.admin)),
      })
    ).json();
  async function ledgerOf(id: string): Promise<string[]> {
    await sequenceAll(fixture.database.runtime.sql);
    return (await searchLedger(fixture.database.runtime.sql, { correlation: id }, 100)).map(
      (e) => (e.event as { event_type: string }).event_type,
    );
  }
  /**
   * Takes `lock` (SQL taking a lock) and holds it for `ms`, so every write it covers waits; resolves
   * once taken, with `released` (wrapped: an async function would wait for a promise it returns).
   */
  async function holdLock(
    lock: string,
    params: string[],
    ms: number,
  ): Promise<{ released: Promise<unknown> }> {
    let locked = () => {};
    const taken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const held = fixture.database.owner.sql.begin(async (tx) => {
      await tx.unsafe(lock, params);
      locked();
      await sleep(ms);
    });
    await taken;
    return { released: held };
  }

  it('answers a decision still being recorded when the request expires, and records both', async () => {
    const { cast } = fixture.stack;
    const filed = await call(cast.dev2, '/requests', {
      resource: 'db',
      entitlement: 'expiring',
      durationSeconds: 3_600,
    });
    const id = filed.json().id as string;
    await waitUntil(async () => (await show(`/requests/${id}`)).status === 'pending_approval', {
      timeoutMs: 15_000,
      intervalMs: 50,
    });

    // The decision is accepted, then its recording waits on the lock while the 2-second expiry
    // fires and the request is closed: the workflow's main flow is done before the handler is.
    const lock = await holdLock('lock table approval_decisions in exclusive mode', [], 3_000);
    const decided = call(cast.sec1, `/requests/${id}/decisions`, { decision: 'approve' });
    await waitUntil(async () => (await show(`/requests/${id}`)).status === 'expired', {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    await lock.released;
    const answer = await decided;

    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json().status).toBe('expired');
    await waitUntil(async () => (await show(`/requests/${id}`)).closedAt !== null, {
      timeoutMs: 15_000,
      intervalMs: 50,
    });
    const events = await ledgerOf(id);
    expect(events).toContain('access.request.expired');
    expect(events).toContain('access.request.approved');
  });

  it('answers an extension still being recorded when the holder releases the grant, and records both', async () => {
    const { cast } = fixture.stack;
    const filed = await call(cast.dev, '/requests', {
      resource: 'db',
      entitlement: 'low',
      durationSeconds: 3_600,
    });
    const id = filed.json().id as string;
    let grantId = '';
    await waitUntil(
      async () => {
        const request = await show(`/requests/${id}`);
        grantId = request.grantId ?? '';
        return request.status === 'granted';
      },
      { timeoutMs: 15_000, intervalMs: 50 },
    );

    const lock = await holdLock('select 1 from grants where id = $1 for update', [grantId], 1_000);
    const extended = call(cast.dev, `/grants/${grantId}/extend`, { seconds: 600 });
    await sleep(200);
    const released = call(cast.dev, `/grants/${grantId}/release`, {});
    await lock.released;
    const [extendAnswer, releaseAnswer] = await Promise.all([extended, released]);

    expect(extendAnswer.statusCode, extendAnswer.body).toBe(200);
    expect(releaseAnswer.statusCode, releaseAnswer.body).toBe(200);
    await waitUntil(async () => (await show(`/grants/${grantId}`)).removalVerified === true, {
      timeoutMs: 15_000,
      intervalMs: 50,
    });
    const events = await ledgerOf(grantId);
    expect(events.indexOf('access.grant.extended')).toBeGreaterThan(-1);
    expect(events.indexOf('access.grant.released')).toBeGreaterThan(events.indexOf('access.grant.extended'));
  });
});
