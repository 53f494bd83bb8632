import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseAuditEvent } from '../../../audit/events.js';
import type { AuditWrite } from '../../../audit/intake.js';
import { createRefusalAggregator, type Refusal } from '../../../audit/refusal-aggregator.js';

const forged = (ip: string, kind = 'slack.signature_mismatch'): Refusal => ({
  kind,
  source: { service: 'grantflow-slack', ip },
  event: {
    event_type: 'security.slack.signature_rejected',
    actor: { type: 'system', id: 'unverified-slack-caller' },
    target: { type: 'endpoint', id: '/slack/events' },
    action: 'verify_signature',
    result: 'denied',
    reason: 'signature does not match',
    details: { bytes: 10 },
  },
});

describe('the refusal aggregator', () => {
  let written: AuditWrite[];
  const write = async (writes: AuditWrite[]) => {
    written.push(...writes);
  };
  const types = () => written.map((w) => w.event.event_type);

  beforeEach(() => {
    written = [];
    vi.useFakeTimers({ now: new Date('2026-12-04T10:00:10.000Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes the first refusal at once and the rest as one count when the window ends', async () => {
    const aggregator = createRefusalAggregator({ write, windowSeconds: 60 });
    for (let i = 0; i < 1_000; i += 1) await aggregator.record(forged('192.0.2.1'));
    expect(types()).toEqual(['security.slack.signature_rejected']);
    expect(written[0]?.event.details).toMatchObject({ bytes: 10, refusal_kind: 'slack.signature_mismatch' });

    await vi.advanceTimersByTimeAsync(50_000); // 10:01:00 + one tick
    expect(types()).toEqual(['security.slack.signature_rejected', 'security.requests.refused']);
    const summary = written[1]?.event;
    expect(summary?.details).toMatchObject({
      count: 1_000,
      refusal_kind: 'slack.signature_mismatch',
      window_start: '2026-12-04T10:00:00.000Z',
      window_end: '2026-12-04T10:01:00.000Z',
      first_event_type: 'security.slack.signature_rejected',
    });
    expect(summary?.source.ip).toBe('192.0.2.1');
    // Both are valid ledger events, as the intake will check.
    for (const w of written) expect(() => parseAuditEvent(w.event)).not.toThrow();
    await aggregator.close();
    expect(written).toHaveLength(2);
  });

  it('keys by source and kind; a single refusal needs no summary', async () => {
    const aggregator = createRefusalAggregator({ write, windowSeconds: 60 });
    await aggregator.record(forged('192.0.2.1'));
    await aggregator.record(forged('192.0.2.2'));
    await aggregator.record(forged('192.0.2.2'));
    await aggregator.record(forged('192.0.2.2', 'slack.timestamp_stale'));
    expect(written.map((w) => [w.event.source.ip, w.event.details?.refusal_kind])).toEqual([
      ['192.0.2.1', 'slack.signature_mismatch'],
      ['192.0.2.2', 'slack.signature_mismatch'],
      ['192.0.2.2', 'slack.timestamp_stale'],
    ]);
    await vi.advanceTimersByTimeAsync(51_000);
    expect(written.slice(3).map((w) => [w.event.source.ip, w.event.details?.count])).toEqual([
      ['192.0.2.2', 2],
    ]);
    await aggregator.close();
  });

  it('starts a new window on the clock: a first refusal again, and its own summary', async () => {
    const aggregator = createRefusalAggregator({ write, windowSeconds: 60 });
    await aggregator.record(forged('192.0.2.1'));
    await aggregator.record(forged('192.0.2.1'));
    await vi.advanceTimersByTimeAsync(60_000); // 10:01:10
    await aggregator.record(forged('192.0.2.1'));
    expect(types()).toEqual([
      'security.slack.signature_rejected',
      'security.requests.refused',
      'security.slack.signature_rejected',
    ]);
    const keys = written.map((w) => w.idempotencyKey);
    expect(new Set(keys).size).toBe(3);
    expect(keys[2]).toContain('2026-12-04T10:01:00.000Z');
  });

  it('writes open windows on close, up to now, and retries a summary that failed', async () => {
    let failing = true;
    const errors: unknown[] = [];
    const aggregator = createRefusalAggregator({
      write: async (writes) => {
        if (failing && writes.some((w) => w.event.event_type === 'security.requests.refused')) {
          throw new Error('database down');
        }
        await write(writes);
      },
      windowSeconds: 60,
      onError: (error) => errors.push(error),
    });
    for (let i = 0; i < 5; i += 1) await aggregator.record(forged('192.0.2.9'));
    await vi.advanceTimersByTimeAsync(50_500); // the tick at 10:01:00, not the next

    expect(errors).toHaveLength(1);
    expect(types()).toEqual(['security.slack.signature_rejected']);
    failing = false;
    await aggregator.close();
    expect(written[1]?.event.details).toMatchObject({ count: 5, window_end: '2026-12-04T10:01:00.000Z' });
  });

  it('folds sources past its bound into one bucket, recorded only as a count', async () => {
    const aggregator = createRefusalAggregator({ write, windowSeconds: 60, maxSources: 2 });
    for (let i = 1; i <= 10; i += 1) await aggregator.record(forged(`192.0.2.${i}`));
    expect(written).toHaveLength(2);
    vi.setSystemTime(new Date('2026-12-04T10:00:30.000Z'));
    await aggregator.close();
    const summary = written[2]?.event;
    expect(summary?.source.ip).toBeUndefined();
    expect(summary?.details).toMatchObject({ count: 8, window_end: '2026-12-04T10:00:30.000Z' });
    expect(summary?.reason).toContain('from other');
  });
});
