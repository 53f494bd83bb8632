// The outbox and its deliverer on a real PostgreSQL, with a scripted channel standing in for Slack:
// order per recipient, Retry-After, refusals, moot cards, retried activities, two deliverers at
// once, and one outage record however many messages wait.
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../core/net.js';
import { enqueueOutboxRows } from '../../db/queries/notification-outbox.js';
import { type Deliverer, deliveryHealth, startDeliverer } from '../../notifications/deliverer.js';
import { createOutboxNotifier, outboxRowsFor } from '../../notifications/outbox.js';
import {
  DeliveryDeferred,
  DeliveryRefused,
  type Notification,
  type Notifier,
} from '../../notifications/port.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

const note = (to: string, text: string, extra: Partial<Notification> = {}): Notification => ({
  kind: 'request_decided',
  to: [to],
  text,
  ...extra,
});

/** A channel that records what it delivered and fails as the test scripts it, per message text or for all. */
function scriptedChannel() {
  const delivered: { to: string; text: string; part: string | undefined; at: number }[] = [];
  const attempts: { text: string; at: number }[] = [];
  let failures: (() => Error)[] = [];
  const failuresOf = new Map<string, (() => Error)[]>();
  const channel: Notifier = {
    async send(notification, part) {
      attempts.push({ text: notification.text, at: Date.now() });
      const failure = failuresOf.get(notification.text)?.shift() ?? failures.shift();
      if (failure) throw failure();
      delivered.push({ to: notification.to.join(','), text: notification.text, part, at: Date.now() });
    },
  };
  return {
    channel,
    delivered,
    attempts,
    /** The next calls fail like this, whatever they carry. */
    failWith(...next: (() => Error)[]) {
      failures = next;
    },
    /** The next attempts at the message with this text fail like this. */
    failText(text: string, ...next: (() => Error)[]) {
      failuresOf.set(text, next);
    },
  };
}

describe('the notification outbox', () => {
  let database: TestDatabase;
  const running: Deliverer[] = [];
  const start = (channel: Notifier, alertAfterMs = 60_000, probe?: () => Promise<void>) => {
    const deliverer = startDeliverer({
      db: database.runtime.db,
      notifier: channel,
      channel: 'Slack',
      ...(probe ? { probe } : {}),
      log: pino({ level: 'silent' }),
      settings: { pollMs: 50, retryMaxMs: 400, alertAfterMs, batch: 4 },
    });
    running.push(deliverer);
    return deliverer;
  };
  const statuses = async () =>
    (
      await database.runtime.sql<
        { status: string }[]
      >`select status::text from notification_outbox order by id`
    ).map((r) => r.status);
  const settled = async () => (await statuses()).every((s) => s !== 'pending' && s !== 'sending');

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    for (const deliverer of running.splice(0)) await deliverer.stop();
    await database.truncate();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('writes one row per recipient, plus one for alerts; a retried activity adds nothing', async () => {
    const notification: Notification = {
      kind: 'access_provisioned',
      to: ['a@acme.test', 'b@acme.test', 'a@acme.test'],
      text: 'granted',
      requestId: '00000000-0000-4000-8000-000000000001',
    };
    const rows = outboxRowsFor(notification, 'wf/run/1');
    expect(rows.map((r) => [r.recipient, r.part])).toEqual([
      ['a@acme.test', 'messages'],
      ['b@acme.test', 'messages'],
      ['#alerts', 'alerts'],
    ]);
    expect(await enqueueOutboxRows(database.runtime.db, rows)).toBe(3);
    expect(await enqueueOutboxRows(database.runtime.db, outboxRowsFor(notification, 'wf/run/1'))).toBe(0);
    expect(await enqueueOutboxRows(database.runtime.db, outboxRowsFor(notification, 'wf/run/2'))).toBe(3);
  });

  it('delivers in order per recipient, waits out Retry-After, and drops what Slack refuses', async () => {
    const outbox = createOutboxNotifier(database.runtime.db);
    for (const text of ['a1', 'a2', 'a3']) await outbox.send(note('a@acme.test', text));
    for (const text of ['b1', 'b2']) await outbox.send(note('b@acme.test', text));
    const script = scriptedChannel();
    script.failText(
      'a1',
      () => new DeliveryDeferred('rate limited', 300),
      () => new DeliveryRefused('channel_not_found'),
    );
    start(script.channel);

    await waitUntil(settled, { timeoutMs: 10_000, intervalMs: 50 });

    // a1's first attempt was answered with Retry-After 300 ms: neither a1 again nor the next batch
    // (b1 went out beside a1, so b2 is in it) was tried sooner.
    const at = (text: string) => script.attempts.filter((a) => a.text === text).map((a) => a.at);
    const [firstFailure = 0, retried = 0] = at('a1');
    expect(retried - firstFailure).toBeGreaterThanOrEqual(290);
    expect((at('b2')[0] ?? 0) - firstFailure).toBeGreaterThanOrEqual(290);
    // a1 was rate limited, then refused for good; the rest went out in order per person.
    const to = (email: string) => script.delivered.filter((d) => d.to === email).map((d) => d.text);
    expect(to('a@acme.test')).toEqual(['a2', 'a3']);
    expect(to('b@acme.test')).toEqual(['b1', 'b2']);
    expect(await statuses()).toEqual(['refused', 'delivered', 'delivered', 'delivered', 'delivered']);
  });

  it('drops a card whose decision was made meanwhile', async () => {
    const outbox = createOutboxNotifier(database.runtime.db);
    // A campaign digest for a campaign that does not exist (any more): nothing to review.
    await outbox.send(
      note('a@acme.test', 'You have items to review', {
        kind: 'review_assigned',
        campaignId: '00000000-0000-4000-8000-000000000002',
      }),
    );
    await outbox.send(note('a@acme.test', 'news'));
    const script = scriptedChannel();
    start(script.channel);
    await waitUntil(settled, { timeoutMs: 10_000, intervalMs: 50 });
    expect(await statuses()).toEqual(['moot', 'delivered']);
    expect(script.delivered.map((d) => d.text)).toEqual(['news']);
  });

  it('two deliverers at once deliver each message exactly once, in order per recipient', async () => {
    const outbox = createOutboxNotifier(database.runtime.db);
    const people = ['a', 'b', 'c', 'd', 'e'].map((p) => `${p}@acme.test`);
    for (let i = 0; i < 8; i++)
      for (const person of people) await outbox.send(note(person, `${person} ${i}`));
    const script = scriptedChannel();
    start(script.channel);
    start(script.channel);

    await waitUntil(settled, { timeoutMs: 15_000, intervalMs: 50 });

    expect(script.delivered).toHaveLength(40);
    expect(new Set(script.delivered.map((d) => d.text)).size).toBe(40);
    for (const person of people) {
      expect(script.delivered.filter((d) => d.to === person).map((d) => d.text)).toEqual(
        [...Array(8).keys()].map((i) => `${person} ${i}`),
      );
    }
  });

  it('records one outage however many messages wait, announces it once, and closes it on recovery', async () => {
    const outbox = createOutboxNotifier(database.runtime.db);
    for (const person of ['a', 'b', 'c']) await outbox.send(note(`${person}@acme.test`, `hello ${person}`));
    const script = scriptedChannel();
    const down = () => new DeliveryDeferred('Slack unreachable: fetch failed');
    script.failWith(...Array.from({ length: 8 }, () => down));
    start(script.channel, 300);

    await waitUntil(async () => (await deliveryHealth(database.runtime.db)).failingSince !== null, {
      timeoutMs: 5_000,
      intervalMs: 20,
    });
    const failing = await deliveryHealth(database.runtime.db);
    expect(failing).toMatchObject({ waiting: 3, lastError: 'Slack unreachable: fetch failed' });
    await waitUntil(settled, { timeoutMs: 15_000, intervalMs: 50 });

    expect(script.delivered.map((d) => d.text).sort()).toEqual(['hello a', 'hello b', 'hello c']);
    await waitUntil(async () => (await deliveryHealth(database.runtime.db)).failingSince === null, {
      timeoutMs: 5_000,
      intervalMs: 20,
    });
    const outages = await database.runtime.sql`select alerted_at, ended_at from notification_outages`;
    expect(outages).toHaveLength(1);
    expect(outages[0]?.alerted_at).not.toBeNull();
    expect(outages[0]?.ended_at).not.toBeNull();
    const events = await database.runtime.sql<{ type: string }[]>`
      select event->>'event_type' as type from audit_intake order by id`;
    expect(events.map((e) => e.type)).toEqual([
      'notification.delivery.degraded',
      'notification.delivery.recovered',
    ]);
    expect(await deliveryHealth(database.runtime.db)).toEqual({
      failingSince: null,
      waiting: 0,
      lastError: null,
    });
  });

  it('keeps an outage open while the probe fails, even when a message needed no call to the channel', async () => {
    const outbox = createOutboxNotifier(database.runtime.db);
    await outbox.send(note('a@acme.test', 'needs Slack'));
    await outbox.send(note('b@acme.test', 'needs nothing'));
    const script = scriptedChannel();
    script.failText('needs Slack', ...Array.from({ length: 50 }, () => () => new DeliveryDeferred('down')));
    let slackUp = false;
    start(script.channel, 60_000, async () => {
      if (!slackUp) throw new Error('probe: still down');
    });

    await waitUntil(async () => script.delivered.some((d) => d.text === 'needs nothing'), {
      timeoutMs: 5_000,
      intervalMs: 20,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await deliveryHealth(database.runtime.db)).failingSince).not.toBeNull();

    slackUp = true;
    script.failText('needs Slack');
    await waitUntil(settled, { timeoutMs: 10_000, intervalMs: 50 });
    // The outage ends just after the message that proved the channel back is marked delivered.
    await waitUntil(async () => (await deliveryHealth(database.runtime.db)).failingSince === null, {
      timeoutMs: 5_000,
      intervalMs: 20,
    });
    expect(await deliveryHealth(database.runtime.db)).toMatchObject({ failingSince: null, waiting: 0 });
    expect(await database.runtime.sql`select 1 from notification_outages`).toHaveLength(1);
  });
});
