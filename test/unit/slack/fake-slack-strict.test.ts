import { LogLevel } from '@slack/bolt';
import { retryPolicies, type WebAPIPlatformError, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../helpers/fake-slack.js';

// The fake refuses what Slack refuses, so an app that relies on leniency fails here and in every
// test that runs against the fake, instead of passing with a feature that breaks in real Slack.

const sections = (n: number, text = 'x') =>
  Array.from({ length: n }, () => ({ type: 'section', text: { type: 'mrkdwn', text } }));
const plain = (text: string) => ({ type: 'plain_text', text });
const modal = (blocks: unknown[], title = 'Request access') => ({
  type: 'modal',
  callback_id: 'request',
  title: plain(title),
  blocks,
});

describe('the strict fake Slack', () => {
  let fake: FakeSlack;
  let client: WebClient;
  const errorOf = async (call: Promise<unknown>) =>
    (
      (await call.then(
        () => undefined,
        (error) => error,
      )) as WebAPIPlatformError | undefined
    )?.data?.error;

  beforeAll(async () => {
    fake = await startFakeSlack();
    client = new WebClient('xoxb-test', {
      slackApiUrl: fake.apiUrl,
      retryConfig: retryPolicies.rapidRetryPolicy,
      logLevel: LogLevel.ERROR,
    });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('answers unknown_method for a method it does not implement, and keeps the call', async () => {
    expect(await errorOf(client.chat.delete({ channel: 'C1', ts: '1.2' }))).toBe('unknown_method');
    expect(await errorOf(client.reactions.add({ channel: 'C1', timestamp: '1.2', name: 'x' }))).toBe(
      'unknown_method',
    );

    // api.test (the worker's liveness probe) is a method it knows.
    await expect(client.api.test()).resolves.toMatchObject({ ok: true });

    expect(fake.unknownCalls.map((call) => call.method)).toEqual(['chat.delete', 'reactions.add']);
    expect(fake.takeRefused().map((call) => call.method)).toEqual(['chat.delete', 'reactions.add']);
    expect(fake.unknownCalls).toEqual([]);
  });

  it('rewrites only a message it posted, addressed by the channel it answered', async () => {
    const posted = await client.chat.postMessage({ channel: 'UADA', text: 'card' });

    const updated = await client.chat.update({ channel: posted.channel!, ts: posted.ts!, text: 'done' });
    const byUserId = errorOf(client.chat.update({ channel: 'UADA', ts: posted.ts!, text: 'done' }));
    const never = errorOf(client.chat.update({ channel: posted.channel!, ts: '1.2', text: 'done' }));

    expect(updated).toMatchObject({ ok: true, channel: 'DADA', ts: posted.ts });
    expect([await byUserId, await never]).toEqual(['message_not_found', 'message_not_found']);
    expect(fake.takeRefused()).toHaveLength(2);
  });

  it('remembers posted messages across reset()', async () => {
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'card' });
    fake.reset();

    await expect(client.chat.update({ channel: 'C1', ts: posted.ts!, text: 'x' })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('refuses message text over 40,000 characters with msg_too_long', async () => {
    await client.chat.postMessage({ channel: 'C1', text: 'x'.repeat(40_000) });

    expect(await errorOf(client.chat.postMessage({ channel: 'C1', text: 'x'.repeat(40_001) }))).toBe(
      'msg_too_long',
    );
    expect(fake.takeRefused().map((call) => call.response.body.error)).toEqual(['msg_too_long']);
  });

  it.each([
    ['a section text over 3,000 characters', sections(1, 'x'.repeat(3001)), sections(1, 'x'.repeat(3000))],
    [
      'a header over 150 characters',
      [{ type: 'header', text: plain('h'.repeat(151)) }],
      [{ type: 'header', text: plain('h'.repeat(150)) }],
    ],
    ['more than 50 blocks', sections(51), sections(50)],
    ['an empty section text', sections(1, ''), sections(1, '.')],
    [
      'a button text over 75 characters',
      [{ type: 'actions', elements: [{ type: 'button', text: plain('b'.repeat(76)), action_id: 'a' }] }],
      [{ type: 'actions', elements: [{ type: 'button', text: plain('b'.repeat(75)), action_id: 'a' }] }],
    ],
    [
      'a confirm button over 30 characters',
      [
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              text: plain('Release'),
              action_id: 'a',
              confirm: {
                title: plain('Sure?'),
                text: plain('Really'),
                confirm: plain('c'.repeat(31)),
                deny: plain('No'),
              },
            },
          ],
        },
      ],
      [
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              text: plain('Release'),
              action_id: 'a',
              confirm: {
                title: plain('Sure?'),
                text: plain('Really'),
                confirm: plain('c'.repeat(30)),
                deny: plain('No'),
              },
            },
          ],
        },
      ],
    ],
  ])('refuses %s in a message with invalid_blocks, and takes the limit itself', async (_, bad, good) => {
    await client.chat.postMessage({ channel: 'C1', text: 'fine', blocks: good as never });
    const posted = fake.callsTo('chat.postMessage')[0]!;

    const refusals = [
      await errorOf(client.chat.postMessage({ channel: 'C1', text: 'bad', blocks: bad as never })),
      await errorOf(
        client.chat.update({ channel: 'C1', ts: posted.response.body.ts, text: 'bad', blocks: bad as never }),
      ),
    ];

    expect(posted.response.body.ok).toBe(true);
    expect(refusals).toEqual(['invalid_blocks', 'invalid_blocks']);
    const [refused] = fake.takeRefused();
    expect(refused?.response.body.errors?.[0]).toMatch(/json-pointer:\/blocks/);
  });

  it('allows 100 blocks in a modal or Home tab and refuses 101 with invalid_blocks', async () => {
    const opened = await client.views.open({ trigger_id: 't', view: modal(sections(100)) as never });
    await client.views.publish({ user_id: 'UADA', view: { type: 'home', blocks: sections(100) as never } });

    const refusals = [
      await errorOf(client.views.open({ trigger_id: 't', view: modal(sections(101)) as never })),
      await errorOf(client.views.push({ trigger_id: 't', view: modal(sections(101)) as never })),
      await errorOf(client.views.update({ view_id: opened.view!.id!, view: modal(sections(101)) as never })),
      await errorOf(
        client.views.publish({ user_id: 'UADA', view: { type: 'home', blocks: sections(101) as never } }),
      ),
      await errorOf(client.views.open({ trigger_id: 't', view: modal([], 't'.repeat(25)) as never })),
    ];

    expect(refusals).toEqual(Array(5).fill('invalid_blocks'));
    expect(fake.takeRefused()).toHaveLength(5);
  });

  it('does not keep failures the test injected as refusals', async () => {
    fake.failNext('chat.postMessage', { error: 'invalid_blocks' });

    expect(await errorOf(client.chat.postMessage({ channel: 'C1', text: 'x' }))).toBe('invalid_blocks');
    expect(fake.refused).toEqual([]);
  });

  it('fails close() while a refusal is left, naming it', async () => {
    const other = await startFakeSlack();
    await new WebClient('xoxb-test', { slackApiUrl: other.apiUrl, logLevel: LogLevel.ERROR })
      .apiCall('bookmarks.add', { channel_id: 'C1' })
      .catch(() => undefined);

    await expect(other.close()).rejects.toThrow(/refused 1 call.*\n.*bookmarks\.add 200 unknown_method/);
  });
});
