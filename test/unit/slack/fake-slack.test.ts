import type { AddressInfo } from 'node:net';
import {
  App,
  type BlockAction,
  type ButtonAction,
  HTTPReceiver,
  LogLevel,
  type SlashCommand,
  type ViewOutput,
} from '@slack/bolt';
import { ErrorCode, retryPolicies, type WebAPIPlatformError, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../helpers/fake-slack.js';
import {
  blockActionBody,
  blockSuggestionBody,
  eventCallbackBody,
  postToSlackApp,
  slashCommandBody,
  viewSubmissionBody,
} from '../../helpers/slack-signing.js';

// These tests pin the helpers to the real @slack/web-api and @slack/bolt: if a library upgrade
// changes how requests are encoded or which payload fields Bolt routes on, they fail here first.

const ADA = { id: 'UADA', email: 'ada@acme.test', name: 'ada' };

describe('fake Slack Web API with the real WebClient', () => {
  let fake: FakeSlack;
  let client: WebClient;

  beforeAll(async () => {
    fake = await startFakeSlack({ users: [ADA] });
    // rapidRetryPolicy removes p-retry's own backoff, so a retry waits only for Retry-After.
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

  it('records chat.postMessage with its blocks parsed and the bearer token', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Approve?*' } }];

    const result = await client.chat.postMessage({ channel: 'UADA', text: 'Approve?', blocks });

    expect(result).toMatchObject({ ok: true, channel: 'DADA', ts: expect.stringMatching(/^\d{10}\.\d{6}$/) });
    const [call] = fake.callsTo('chat.postMessage');
    expect(call?.args).toMatchObject({ channel: 'UADA', text: 'Approve?', blocks });
    expect(call?.token).toBe('xoxb-test');
    expect(call?.response.body.ts).toBe(result.ts);
  });

  it('answers increasing message timestamps', async () => {
    const first = await client.chat.postMessage({ channel: 'C1', text: 'one' });
    const second = await client.chat.postMessage({ channel: 'C1', text: 'two' });

    expect(first.channel).toBe('C1');
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
  });

  it('opens a DM channel for a user', async () => {
    const result = await client.conversations.open({ users: 'UADA' });

    expect(result.channel?.id).toBe('DADA');
    expect(fake.callsTo('conversations.open')[0]?.args.users).toBe('UADA');
  });

  it('looks users up by email, and says users_not_found for strangers', async () => {
    const found = await client.users.lookupByEmail({ email: 'ADA@acme.test' });
    const missing = await client.users.lookupByEmail({ email: 'nobody@acme.test' }).catch((error) => error);

    expect(found.user).toMatchObject({ id: 'UADA', profile: { email: 'ada@acme.test' } });
    expect(missing.code).toBe(ErrorCode.PlatformError);
    expect((missing as WebAPIPlatformError).data.error).toBe('users_not_found');
  });

  it('fails the next call with a Slack error when asked', async () => {
    const { ts } = await client.chat.postMessage({ channel: 'C1', text: 'to update' });
    fake.failNext('chat.update', { error: 'message_not_found' });

    const failed = await client.chat.update({ channel: 'C1', ts: ts!, text: 'x' }).catch((error) => error);
    const retried = await client.chat.update({ channel: 'C1', ts: ts!, text: 'x' });

    expect((failed as WebAPIPlatformError).data.error).toBe('message_not_found');
    expect(retried).toMatchObject({ ok: true, channel: 'C1', ts });
  });

  it('rate-limits with Retry-After, which the client waits out and retries', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    const started = Date.now();

    const result = await client.chat.postMessage({ channel: 'C1', text: 'after the limit' });

    expect(result.ok).toBe(true);
    const attempts = fake.callsTo('chat.postMessage');
    expect(attempts.map((call) => call.response.status)).toEqual([429, 200]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(990);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('waits for a call that comes later, and names the calls seen when none does', async () => {
    const waiting = fake.waitForCall('views.publish', (call) => call.args.user_id === 'UADA');

    await client.views.publish({ user_id: 'UADA', view: { type: 'home', blocks: [] } });

    expect((await waiting).args.view).toEqual({ type: 'home', blocks: [] });
    await expect(fake.waitForCall('chat.delete', undefined, 50)).rejects.toThrow(/views\.publish/);
  });
});

// biome-ignore lint/suspicious/noExplicitAny: listener arguments differ per kind; each test narrows
type Seen = Record<string, any>;

describe('signed payloads through the real Bolt HTTP receiver', () => {
  const signingSecret = 'test-signing-secret';
  let fake: FakeSlack;
  let receiver: HTTPReceiver;
  let eventsUrl: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    fake = await startFakeSlack({ users: [ADA] });
    receiver = new HTTPReceiver({ signingSecret, logLevel: LogLevel.ERROR });
    // Bolt calls auth.test on the fake as soon as the app is built.
    const app = new App({
      receiver,
      token: 'xoxb-test',
      clientOptions: { slackApiUrl: fake.apiUrl },
      logLevel: LogLevel.ERROR,
    });
    app.command('/access', async ({ command, ack, respond }) => {
      seen.push({ kind: 'command', command });
      await ack();
      await respond({ text: `you asked for ${command.text}`, response_type: 'ephemeral' });
    });
    app.action<BlockAction<ButtonAction>>('approve', async ({ action, body, ack, client }) => {
      seen.push({ kind: 'action', action, body });
      await ack();
      if (body.container.type === 'message') {
        await client.chat.update({
          channel: body.channel!.id,
          ts: body.container.message_ts,
          text: 'Approved',
        });
      }
    });
    app.view('request_access', async ({ view, ack }) => {
      seen.push({ kind: 'view', view });
      await ack({ response_action: 'clear' });
    });
    app.options('entitlement', async ({ options, ack }) => {
      seen.push({ kind: 'options', options });
      await ack({ options: [{ text: { type: 'plain_text', text: 'db: read' }, value: 'db:read' }] });
    });
    app.event('app_home_opened', async ({ event, client }) => {
      seen.push({ kind: 'event', event });
      await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [] } });
    });
    const server = await receiver.start({ port: 0, host: '127.0.0.1' });
    eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(async () => {
    await receiver?.stop();
    await fake?.close();
  });
  beforeEach(() => {
    seen.length = 0;
    fake.reset();
  });

  it('routes a slash command to app.command and its respond() to the response_url', async () => {
    const responseUrl = fake.responseUrl();

    const response = await postToSlackApp(
      eventsUrl,
      signingSecret,
      slashCommandBody({ command: '/access', text: 'list', userId: 'UADA', responseUrl }),
    );

    expect(response.status).toBe(200);
    const reply = await fake.waitForCall('response_url', (call) => call.url === responseUrl);
    expect(reply.args).toEqual({ text: 'you asked for list', response_type: 'ephemeral' });
    const command = seen.find((s) => s.kind === 'command')?.command as SlashCommand;
    expect(command).toMatchObject({ command: '/access', text: 'list', user_id: 'UADA', team_id: 'TGF' });
    expect(command.trigger_id).toBeTruthy();
  });

  it('routes a button click to app.action, whose client calls the fake with the bot token', async () => {
    const posted = await new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl }).chat.postMessage({
      channel: 'UADA',
      text: 'Approve?',
    });

    await postToSlackApp(
      eventsUrl,
      signingSecret,
      blockActionBody({
        userId: 'UADA',
        actionId: 'approve',
        value: 'request-42',
        channel: posted.channel!,
        messageTs: posted.ts!,
        responseUrl: fake.responseUrl(),
      }),
    );

    const update = await fake.waitForCall('chat.update');
    expect(update.args).toMatchObject({ channel: 'DADA', ts: posted.ts, text: 'Approved' });
    expect(update.token).toBe('xoxb-test');
    const { action, body } = seen.find((s) => s.kind === 'action')!;
    expect(action).toMatchObject({ action_id: 'approve', value: 'request-42', type: 'button' });
    expect(body.user).toMatchObject({ id: 'UADA', team_id: 'TGF' });
  });

  it('routes a view submission to app.view with its state values', async () => {
    const values = {
      reason: { reason_input: { type: 'plain_text_input', value: 'on call this week' } },
      entitlement: {
        entitlement: {
          type: 'external_select',
          selected_option: { value: 'db:read', text: { type: 'plain_text', text: 'db: read' } },
        },
      },
    };

    const response = await postToSlackApp(
      eventsUrl,
      signingSecret,
      viewSubmissionBody({
        userId: 'UADA',
        callbackId: 'request_access',
        privateMetadata: '{"from":"home"}',
        values,
      }),
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ response_action: 'clear' });
    const view = seen.find((s) => s.kind === 'view')?.view as ViewOutput;
    expect(view.state.values).toEqual(values);
    expect(view.private_metadata).toBe('{"from":"home"}');
  });

  it('routes a block suggestion to app.options and returns its options in the HTTP response', async () => {
    const response = await postToSlackApp(
      eventsUrl,
      signingSecret,
      blockSuggestionBody({
        userId: 'UADA',
        actionId: 'entitlement',
        blockId: 'entitlement',
        value: 'db',
        callbackId: 'request_access',
      }),
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      options: [{ text: { type: 'plain_text', text: 'db: read' }, value: 'db:read' }],
    });
    expect(seen.find((s) => s.kind === 'options')?.options).toMatchObject({
      value: 'db',
      action_id: 'entitlement',
    });
  });

  it('routes app_home_opened to app.event', async () => {
    const response = await postToSlackApp(
      eventsUrl,
      signingSecret,
      eventCallbackBody({ type: 'app_home_opened', user: 'UADA', channel: 'DADA', tab: 'home' }),
    );

    expect(response.status).toBe(200);
    const publish = await fake.waitForCall('views.publish');
    expect(publish.args).toMatchObject({ user_id: 'UADA', view: { type: 'home' } });
    expect(seen.find((s) => s.kind === 'event')?.event).toMatchObject({
      type: 'app_home_opened',
      user: 'UADA',
    });
  });

  it('refuses a forged signature, a stale timestamp and an unsigned body with 401, firing no listener', async () => {
    const body = () =>
      slashCommandBody({ command: '/access', text: 'list', userId: 'UADA', responseUrl: fake.responseUrl() });

    const forged = await postToSlackApp(eventsUrl, 'not-the-secret', body());
    const tampered = await postToSlackApp(eventsUrl, signingSecret, body(), {
      signature: `v0=${'0'.repeat(64)}`,
    });
    const stale = await postToSlackApp(eventsUrl, signingSecret, body(), {
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    const unsigned = await postToSlackApp(eventsUrl, signingSecret, body(), { unsigned: true });

    expect([forged.status, tampered.status, stale.status, unsigned.status]).toEqual([401, 401, 401, 401]);
    expect(seen).toEqual([]);
    expect(fake.callsTo('response_url')).toEqual([]);
  });
});
