// The Slack app in Socket Mode, end to end and offline: the real Bolt app (SocketModeReceiver,
// SLACK_APP_TOKEN) inside the real API, the real worker, Temporal and PostgreSQL, against a fake
// Slack Web API and a fake Socket Mode endpoint speaking Slack's envelope and ack protocol. The
// clicks arrive as envelopes over the WebSocket, Slack's way for an app without a public URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchLedger } from '../../audit/read.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { ACTION } from '../../slack/blocks/ids.js';
import { bearer } from '../helpers/api.js';
import type { FakeSlack, SlackCall } from '../helpers/fake-slack.js';
import type { FakeSocketMode } from '../helpers/fake-socket-mode.js';
import type { RequestStack } from '../helpers/requests.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';
import { blockActionBody, eventCallbackBody, slashCommandBody } from '../helpers/slack-signing.js';
import {
  buttonsOf,
  SLACK_APP_TOKEN,
  SLACK_IDS,
  type SlackStack,
  startSlackStack,
} from '../helpers/slack-stack.js';
import { step } from '../helpers/steps.js';

describe('the Slack app in Socket Mode', () => {
  let database: TestDatabase;
  let slack: SlackStack;
  let stack: RequestStack;
  let fake: FakeSlack;
  let socket: FakeSocketMode;

  beforeAll(async () => {
    database = await createTestDatabase();
    slack = await startSlackStack(database, { socketMode: true });
    ({ stack, fake } = slack);
    if (!slack.socket) throw new Error('the stack has no Socket Mode endpoint');
    socket = slack.socket;
  });
  afterAll(async () => {
    await slack?.close();
    await database?.drop();
  });

  const cardFor = (userId: string) =>
    fake.waitForCall(
      'chat.postMessage',
      (c) =>
        c.args.channel === userId && buttonsOf(c.args.blocks).some((b) => b.action_id === ACTION.approve),
      20_000,
    );
  const approveClick = (userId: string, requestId: string, card: SlackCall) =>
    blockActionBody({
      userId,
      actionId: ACTION.approve,
      value: requestId,
      channel: card.response.body.channel,
      messageTs: card.response.body.ts,
      responseUrl: fake.responseUrl(),
    });
  const decisionsOf = async (requestId: string) => {
    const [row] = await database.runtime.sql`
      select count(*)::int as count from approval_decisions where request_id = ${requestId}`;
    return row?.count as number;
  };
  const statusOf = async (requestId: string) => {
    const [row] = await database.runtime.sql`select status from access_requests where id = ${requestId}`;
    return row?.status as string;
  };

  it('connects with the app-level token: apps.connections.open, then hello', async () => {
    const opens = fake.callsTo('apps.connections.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]?.token).toBe(SLACK_APP_TOKEN);
    expect(opens[0]?.response.body).toMatchObject({ ok: true, url: expect.stringMatching(/^ws:\/\//) });
    expect(socket.connections).toBe(1);
  });

  it('clicks over the socket are acked and decide, once each, across a dropped socket and a refresh', async () => {
    const { cast } = stack;
    const filed = await stack.api.app.inject({
      method: 'POST',
      url: '/api/v1/requests',
      headers: bearer(stack.token(cast.dev)),
      payload: { resource: 'db', entitlement: 'read', durationSeconds: 3_600, reason: 'socket mode' },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const requestId = filed.json().id as string;

    const approval = await step('the manager approves: an interactive envelope, acked, decides', async () => {
      const card = await cardFor(SLACK_IDS.manager);
      const body = approveClick(SLACK_IDS.manager, requestId, card);
      const ack = await socket.deliver(body);
      expect(ack.envelope_id).toBe(ack.envelopeId);
      await expect.poll(() => decisionsOf(requestId), { timeout: 15_000 }).toBe(1);
      return { body, envelopeId: ack.envelopeId };
    });

    await step('Slack redelivers the same envelope: acked again, not a second decision', async () => {
      // Bolt does not deduplicate envelopes: the listener runs again. The click's update id
      // (Slack user + action_ts) is what makes Temporal run the decision once.
      const again = await socket.deliver(approval.body, { envelopeId: approval.envelopeId });
      expect(again.envelope_id).toBe(approval.envelopeId);
      // A new click by the manager, by contrast, is a second attempt: refused, told, recorded.
      // Once its refusal is visible the redelivery (delivered before it) has been handled too.
      const card = fake.callsTo('chat.postMessage').find((c) => c.args.channel === SLACK_IDS.manager);
      if (!card) throw new Error('no manager card');
      await socket.deliver(approveClick(SLACK_IDS.manager, requestId, card));
      await fake.waitForCall('chat.postEphemeral', (c) => c.args.user === SLACK_IDS.manager, 15_000);
      await sequenceAll(database.runtime.sql);
      const refused = await searchLedger(
        database.runtime.sql,
        { type: 'access.decision.refused', correlation: requestId },
        10,
      );
      expect(refused).toHaveLength(1);
      expect(
        fake.callsTo('chat.postEphemeral').filter((c) => c.args.user === SLACK_IDS.manager),
      ).toHaveLength(1);
      expect(await decisionsOf(requestId)).toBe(1);
    });

    await step('the socket drops: the client opens a new connection by itself', async () => {
      socket.drop();
      await socket.waitForConnection(2);
      expect(fake.callsTo('apps.connections.open')).toHaveLength(2);
    });

    await step('the owner approves over the new connection: granted', async () => {
      const card = await cardFor(SLACK_IDS.owner);
      await socket.deliver(approveClick(SLACK_IDS.owner, requestId, card));
      await expect.poll(() => statusOf(requestId), { timeout: 30_000 }).toBe('granted');
      expect(await decisionsOf(requestId)).toBe(2);
    });

    await step('Slack asks for a refresh (disconnect, refresh_requested): a third connection', async () => {
      socket.disconnect('refresh_requested');
      await socket.waitForConnection(3);
      expect(fake.callsTo('apps.connections.open')).toHaveLength(3);
    });

    await step('a slash command and an Events API event over it: acked and answered', async () => {
      const responseUrl = fake.responseUrl();
      await socket.deliver(
        slashCommandBody({ command: '/access', text: 'help', userId: SLACK_IDS.dev, responseUrl }),
      );
      const help = await fake.waitForCall('response_url', (c) => c.url === responseUrl, 15_000);
      expect(help.args.text).toContain('/access');
      await socket.deliver(eventCallbackBody({ type: 'app_home_opened', user: SLACK_IDS.dev, tab: 'home' }));
      await fake.waitForCall('views.publish', (c) => c.args.user_id === SLACK_IDS.dev, 15_000);
    });
  });
});
