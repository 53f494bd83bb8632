// The Slack app end to end, offline: the real Bolt app (HTTP receiver) inside the real API, the
// real worker with the Slack notifier, a real Temporal server and PostgreSQL, and a fake Slack Web
// API that records every call. Slack's side is played by posting correctly signed payloads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_IN_DIRECTORY } from '../../api/slack/context.js';
import { searchLedger } from '../../audit/read.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { verifyLedger } from '../../audit/verify/index.js';
import { waitUntil } from '../../core/net.js';
import { ACTION, BLOCK, VIEW } from '../../slack/blocks/ids.js';
import type { FakeSlack, SlackCall } from '../helpers/fake-slack.js';
import type { RequestStack } from '../helpers/requests.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';
import {
  blockActionBody,
  blockSuggestionBody,
  eventCallbackBody,
  slashCommandBody,
  viewSubmissionBody,
} from '../helpers/slack-signing.js';
import { buttonsOf, SLACK_IDS, type SlackStack, startSlackStack } from '../helpers/slack-stack.js';
import { step } from '../helpers/steps.js';

const textOf = (call: SlackCall) => JSON.stringify(call.args.blocks ?? call.args.view ?? call.args);

describe('the Slack app', () => {
  let database: TestDatabase;
  let fake: FakeSlack;
  let stack: RequestStack;
  let slack: SlackStack;

  beforeAll(async () => {
    database = await createTestDatabase();
    slack = await startSlackStack(database, { alertChannel: 'CALERTS' });
    ({ stack, fake } = slack);
  });

  afterAll(async () => {
    await slack?.close();
    await database?.drop();
  });

  const post = (body: string, options?: Parameters<SlackStack['post']>[1]) => slack.post(body, options);
  const click = (
    userId: string,
    actionId: string,
    value: string,
    where: { channel?: string; ts?: string } = {},
  ) =>
    blockActionBody({
      userId,
      actionId,
      value,
      responseUrl: fake.responseUrl(),
      ...(where.channel ? { channel: where.channel } : {}),
      ...(where.ts ? { messageTs: where.ts } : {}),
    });
  const dmTo = (userId: string, match: (call: SlackCall) => boolean, timeoutMs = 15_000) =>
    fake.waitForCall('chat.postMessage', (c) => c.args.channel === userId && match(c), timeoutMs);
  const ephemeralTo = (userId: string, text: RegExp) =>
    fake.waitForCall('chat.postEphemeral', (c) => c.args.user === userId && text.test(c.args.text));
  async function ledger(requestId: string) {
    await sequenceAll(database.runtime.sql);
    return searchLedger(database.runtime.sql, { correlation: requestId }, 1_000);
  }
  async function requestStatus(id: string): Promise<string> {
    const [row] = await database.runtime.sql`select status from access_requests where id = ${id}`;
    return row?.status as string;
  }
  async function fileThroughModal(userId: string, entitlement: string, seconds: number, reason?: string) {
    const submitted = await post(
      viewSubmissionBody({
        userId,
        callbackId: VIEW.request,
        values: {
          [BLOCK.entitlement]: { [ACTION.entitlement]: { selected_option: { value: entitlement } } },
          [BLOCK.duration]: { [ACTION.duration]: { selected_option: { value: String(seconds) } } },
          [BLOCK.reason]: { [ACTION.reason]: { value: reason ?? null } },
        },
      }),
    );
    return { status: submitted.status, body: await submitted.text() };
  }

  it('request → two approvals → provisioned → expiry reminder → release, all in Slack', async () => {
    const { cast } = stack;
    /** The message a card was posted as, to click on and to see updated. */
    const messageOf = (card: SlackCall) => ({
      channel: card.response.body.channel,
      ts: card.response.body.ts,
    });
    /** Waits for `message` to be updated without its buttons. */
    const buttonsGone = (message: { ts?: string }) =>
      fake.waitForCall(
        'chat.update',
        (c) => c.args.ts === message.ts && buttonsOf(c.args.blocks).length === 0,
      );

    await step('/access opens the modal; typing searches the catalog', async () => {
      const command = await post(
        slashCommandBody({ command: '/access', userId: SLACK_IDS.dev, responseUrl: fake.responseUrl() }),
      );
      expect(command.status).toBe(200);
      const modal = await fake.waitForCall('views.open', (c) => c.args.view?.callback_id === VIEW.request);
      expect(modal.args.trigger_id).toEqual(expect.any(String));
      const suggestion = await post(
        blockSuggestionBody({
          userId: SLACK_IDS.dev,
          actionId: ACTION.entitlement,
          blockId: BLOCK.entitlement,
          value: 'target',
          callbackId: VIEW.request,
        }),
      );
      const options = (await suggestion.json()) as { options: { value: string }[] };
      expect(options.options.map((o) => o.value)).toContain('db/read');
    });

    await step(
      "a duration past the entitlement's maximum is refused in the modal, nothing filed",
      async () => {
        const tooLong = await fileThroughModal(SLACK_IDS.dev, 'db/read', 86_400);
        expect(tooLong.status).toBe(200);
        expect(JSON.parse(tooLong.body)).toMatchObject({
          response_action: 'errors',
          errors: { [BLOCK.duration]: expect.any(String) },
        });
        const [filedBefore] = await database.runtime.sql`select count(*)::int as count from access_requests`;
        expect(filedBefore?.count).toBe(0);
      },
    );

    await step('request: filed for 25 s, the requester is told who approves', async () => {
      // 25 s: the expiry reminder comes a fifth before the end, with time to click Release.
      const filed = await fileThroughModal(SLACK_IDS.dev, 'db/read', 25, 'on-call fix');
      expect(filed).toEqual({ status: 200, body: '' });
      const submittedDm = await dmTo(SLACK_IDS.dev, (c) => /waiting for approval/.test(c.args.text));
      expect(textOf(submittedDm)).toContain(
        'needs: your manager (Mia Manager), then the owner of Target DB (Olu Owner)',
      );
    });

    const { requestId, managerMessage } = await step(
      "the manager's card: who, what, risk, reason, and the buttons",
      async () => {
        const managerCard = await dmTo(SLACK_IDS.manager, (c) => buttonsOf(c.args.blocks).length > 0);
        const [approve, deny] = buttonsOf(managerCard.args.blocks);
        expect([approve?.action_id, deny?.action_id]).toEqual([ACTION.approve, ACTION.deny]);
        const id = approve?.value ?? '';
        expect(textOf(managerCard)).toContain('on-call fix');
        expect(textOf(managerCard)).toContain('Dev Eloper');
        return { requestId: id, managerMessage: messageOf(managerCard) };
      },
    );

    const approveBody = await step(
      'a forged signature and a stale timestamp: 401, recorded, nothing decided',
      async () => {
        const body = click(SLACK_IDS.manager, ACTION.approve, requestId, managerMessage);
        const forged = await post(body, { signature: `v0=${'0'.repeat(64)}` });
        const stale = await post(body, { timestamp: Math.floor(Date.now() / 1000) - 301 });
        expect([forged.status, stale.status]).toEqual([401, 401]);
        await sequenceAll(database.runtime.sql);
        const rejected = await searchLedger(
          database.runtime.sql,
          { type: 'security.slack.signature_rejected' },
          10,
        );
        expect(rejected.map((e) => (e.event as { reason: string }).reason).sort()).toEqual([
          'signature does not match',
          'timestamp older than five minutes',
        ]);
        return body;
      },
    );

    await step(
      'the requester approving their own request, and a non-approver: told and recorded',
      async () => {
        await post(click(SLACK_IDS.dev, ACTION.approve, requestId));
        await ephemeralTo(SLACK_IDS.dev, /nobody may approve their own request/);
        await post(click(SLACK_IDS.dev2, ACTION.approve, requestId));
        await ephemeralTo(SLACK_IDS.dev2, /is not an approver of step 1/);
      },
    );

    const ownerCard = await step(
      'first approval: the manager approves; a Slack retry is processed once',
      async () => {
        expect((await post(approveBody)).status).toBe(200);
        expect((await post(approveBody)).status).toBe(200);
        const updated = await buttonsGone(managerMessage);
        expect(textOf(updated)).toContain('Mia Manager');
        const card = await dmTo(SLACK_IDS.owner, (c) => buttonsOf(c.args.blocks).length > 0);
        const [decisions] = await database.runtime
          .sql`select count(*)::int as count from approval_decisions where request_id = ${requestId}`;
        expect(decisions?.count).toBe(1);
        return card;
      },
    );

    await step(
      'second approval: the owner (found by email) approves; provisioned at the real target',
      async () => {
        const ownerMessage = messageOf(ownerCard);
        await post(click(SLACK_IDS.owner, ACTION.approve, requestId, ownerMessage));
        await waitUntil(async () => (await requestStatus(requestId)) === 'granted', {
          timeoutMs: 20_000,
          intervalMs: 100,
        });
        const [member] = await stack.target`
        select 1 from pg_auth_members m join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member
        where r.rolname = ${stack.roles.read ?? ''} and u.rolname = ${stack.databaseUser(cast.dev)}`;
        expect(member).toBeDefined();
        await dmTo(SLACK_IDS.dev, (c) => /You now have Target DB \/ read/.test(c.args.text));
        await buttonsGone(ownerMessage);
      },
    );

    await step('a late click on the decided request: explained, recorded, nothing changes', async () => {
      await post(click(SLACK_IDS.manager, ACTION.approve, requestId, managerMessage));
      // Refused whether the workflow is still finishing or already closed.
      await ephemeralTo(
        SLACK_IDS.manager,
        /not waiting for approval \(it is granted\)|the request is closed/,
      );
    });

    const grantId = await step('App Home: the new access, with Release', async () => {
      await post(
        eventCallbackBody({ type: 'app_home_opened', user: SLACK_IDS.dev, tab: 'home', channel: 'DUDEV' }),
      );
      const home = await fake.waitForCall('views.publish', (c) => c.args.user_id === SLACK_IDS.dev);
      expect(JSON.stringify(home.args.view)).toContain('read');
      const id = buttonsOf(home.args.view.blocks).find((b) => b.action_id === ACTION.release)?.value ?? '';
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      return id;
    });

    await step(
      "expiry reminder → release: someone else's Release is refused, the holder's releases",
      async () => {
        // Before it expires the holder gets Extend / Release; someone else's Release is refused.
        const expiring = await dmTo(
          SLACK_IDS.dev,
          (c) => buttonsOf(c.args.blocks).some((b) => b.action_id === ACTION.release),
          25_000,
        );
        await post(click(SLACK_IDS.dev2, ACTION.release, grantId));
        await ephemeralTo(SLACK_IDS.dev2, /you hold no grant/);
        const expiringMessage = messageOf(expiring);
        await post(click(SLACK_IDS.dev, ACTION.release, grantId, expiringMessage));
        await buttonsGone(expiringMessage);
        await waitUntil(
          async () => {
            const [row] = await database.runtime.sql`select status from grants where id = ${grantId}`;
            return row?.status === 'released';
          },
          { timeoutMs: 10_000, intervalMs: 100 },
        );
      },
    );

    await step(
      'the ledger: each decision once, every refusal with the Slack id of who clicked, intact',
      async () => {
        const entries = await ledger(requestId);
        const events = entries.map((e) => e.event as { event_type: string; actor: { slack_id?: string } });
        const slackIdsOf = (type: string) =>
          events.filter((e) => e.event_type === type).map((e) => e.actor.slack_id);
        const types = events.map((e) => e.event_type);
        expect(types.filter((t) => t === 'access.request.approved')).toHaveLength(2);
        const refused = slackIdsOf('access.decision.refused');
        expect(refused.sort()).toEqual([SLACK_IDS.dev, SLACK_IDS.dev2, SLACK_IDS.manager].sort());
        expect(slackIdsOf('access.request.approved')).toEqual([SLACK_IDS.manager, SLACK_IDS.owner]);
        const [released] = (await ledger(grantId)).filter(
          (e) => (e.event as { event_type: string }).event_type === 'access.grant.released',
        );
        expect(released?.event).toMatchObject({ actor: { slack_id: SLACK_IDS.dev } });
        // Authorizing needs no Slack round trip per click.
        expect(fake.callsTo('auth.test')).toEqual([]);
        // The refused clicks were also raised in the alert channel.
        expect(
          fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'CALERTS').length,
        ).toBeGreaterThan(0);
        const report = await verifyLedger(database.runtime.sql, {
          verifiers: stack.api.ledger.keys.verifiers,
        });
        expect(report.status).toBe('intact');
      },
    );
  }, 90_000);

  it('deny asks for a reason in a modal; the requester hears the outcome', async () => {
    const filed = await fileThroughModal(SLACK_IDS.dev2, 'db/write', 3_600, 'migration');
    expect(filed.status).toBe(200);
    const card = await dmTo(SLACK_IDS.sec1, (c) =>
      buttonsOf(c.args.blocks).some((b) => b.action_id === ACTION.deny),
    );
    const requestId = buttonsOf(card.args.blocks)[0]?.value ?? '';

    await post(
      click(SLACK_IDS.sec1, ACTION.deny, requestId, {
        channel: card.response.body.channel,
        ts: card.response.body.ts,
      }),
    );
    const reasonModal = await fake.waitForCall(
      'views.open',
      (c) => c.args.view?.callback_id === VIEW.denyReason,
    );
    const blank = await post(
      viewSubmissionBody({
        userId: SLACK_IDS.sec1,
        callbackId: VIEW.denyReason,
        privateMetadata: reasonModal.args.view.private_metadata,
        values: { [BLOCK.reason]: { [ACTION.reason]: { value: '  ' } } },
      }),
    );
    expect(await blank.json()).toMatchObject({
      response_action: 'errors',
      errors: { [BLOCK.reason]: 'Say why' },
    });
    await post(
      viewSubmissionBody({
        userId: SLACK_IDS.sec1,
        callbackId: VIEW.denyReason,
        privateMetadata: reasonModal.args.view.private_metadata,
        values: { [BLOCK.reason]: { [ACTION.reason]: { value: 'use the read replica' } } },
      }),
    );

    const outcome = await dmTo(SLACK_IDS.dev2, (c) => /was denied/.test(c.args.text));
    expect(textOf(outcome)).toContain('use the read replica');
    expect(await requestStatus(requestId)).toBe('denied');
    // Every Security approver's card loses its buttons.
    const cards = fake
      .callsTo('chat.postMessage')
      .filter((c) => buttonsOf(c.args.blocks).some((b) => b.value === requestId))
      .map((c) => c.response.body.ts as string);
    expect(cards).toHaveLength(3);
    await waitUntil(
      async () =>
        cards.every((ts) =>
          fake.callsTo('chat.update').some((c) => c.args.ts === ts && /denied/.test(c.args.text)),
        ),
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    for (const ts of cards) {
      const last = fake
        .callsTo('chat.update')
        .filter((c) => c.args.ts === ts)
        .at(-1);
      expect(buttonsOf(last?.args.blocks)).toEqual([]);
    }
  });

  it('manual fulfilment: the owner presses Done in Slack, through a rate limit', async () => {
    // Slack rate-limits the first DM: the client waits Retry-After and delivers it.
    fake.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    const filed = await fileThroughModal(SLACK_IDS.dev, 'paper/cabinet', 3_600, 'archive audit');
    expect(filed.status).toBe(200);
    const task = await dmTo(SLACK_IDS.owner, (c) =>
      buttonsOf(c.args.blocks).some((b) => b.action_id === ACTION.fulfilDone),
    );
    const requestId = buttonsOf(task.args.blocks)[0]?.value ?? '';
    const where = { channel: task.response.body.channel, ts: task.response.body.ts };

    await post(click(SLACK_IDS.dev, ACTION.fulfilDone, requestId));
    await ephemeralTo(SLACK_IDS.dev, /only the resource's owner or an admin may report fulfilment/);
    await post(click(SLACK_IDS.owner, ACTION.fulfilDone, requestId, where));

    await waitUntil(async () => (await requestStatus(requestId)) === 'granted', {
      timeoutMs: 15_000,
      intervalMs: 100,
    });
    await fake.waitForCall(
      'chat.update',
      (c) => c.args.ts === where.ts && buttonsOf(c.args.blocks).length === 0,
    );
    expect(
      fake.calls.filter((c) => c.method === 'chat.postMessage' && c.response.status === 429),
    ).toHaveLength(1);
    const refused = (await ledger(requestId)).filter(
      (e) => (e.event as { event_type: string }).event_type === 'access.action.refused',
    );
    expect(refused.map((e) => (e.event as { actor: { slack_id?: string } }).actor.slack_id)).toEqual([
      SLACK_IDS.dev,
    ]);
  });

  it('/access list, help, and someone outside the directory', async () => {
    const listUrl = fake.responseUrl();
    await post(
      slashCommandBody({ command: '/access', text: 'list', userId: SLACK_IDS.dev, responseUrl: listUrl }),
    );
    const list = await fake.waitForCall('response_url', (c) => c.url === listUrl);
    expect(list.args).toMatchObject({ response_type: 'ephemeral' });

    const helpUrl = fake.responseUrl();
    await post(
      slashCommandBody({ command: '/access', text: 'help', userId: SLACK_IDS.dev, responseUrl: helpUrl }),
    );
    expect((await fake.waitForCall('response_url', (c) => c.url === helpUrl)).args.text).toContain(
      '/access release',
    );

    const strangerUrl = fake.responseUrl();
    const before = fake.callsTo('views.open').length;
    await post(slashCommandBody({ command: '/access', userId: 'USTRANGER', responseUrl: strangerUrl }));
    const told = await fake.waitForCall('response_url', (c) => c.url === strangerUrl);
    expect(told.args).toMatchObject({ response_type: 'ephemeral', text: NOT_IN_DIRECTORY });
    expect(fake.callsTo('views.open').length).toBe(before);
  });
});
