// A request whose approval needs a passkey, through the real Slack app and notifier: the
// approver's card carries Approve as a link to the console's confirm page (publicUrl from the
// notifier's config), clicking it decides nothing, and an Approve click from an old card is
// refused (step_up_required), told privately and recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchLedger } from '../../audit/read.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { waitUntil } from '../../core/net.js';
import { ACTION } from '../../slack/blocks/ids.js';
import { bearer } from '../helpers/api.js';
import type { FakeSlack } from '../helpers/fake-slack.js';
import { addCriticalEntitlement, type RequestStack } from '../helpers/requests.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';
import { blockActionBody } from '../helpers/slack-signing.js';
import { buttonsOf, SLACK_IDS, type SlackStack, startSlackStack } from '../helpers/slack-stack.js';

describe('Slack on a request that needs a passkey', () => {
  let database: TestDatabase;
  let fake: FakeSlack;
  let stack: RequestStack;
  let slack: SlackStack;
  let adminRole = '';

  beforeAll(async () => {
    database = await createTestDatabase();
    slack = await startSlackStack(database);
    ({ stack, fake } = slack);
    adminRole = await addCriticalEntitlement(database, stack);
  });
  afterAll(async () => {
    await stack?.target.unsafe(`drop role if exists "${adminRole}"`).catch(() => undefined);
    await slack?.close();
    await database?.drop();
  });

  it('links Approve to the console; neither the link nor an old Approve button decides', async () => {
    const { cast } = stack;
    const filed = await stack.api.app.inject({
      method: 'POST',
      url: '/api/v1/requests',
      headers: bearer(stack.token(cast.dev)),
      payload: { resource: 'db', entitlement: 'admin', durationSeconds: 3_600, reason: 'incident' },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const id = filed.json().id as string;

    const card = await fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === SLACK_IDS.manager && buttonsOf(c.args.blocks).length > 0,
      20_000,
    );
    const [approve, deny] = buttonsOf(card.args.blocks) as {
      action_id: string;
      url?: string;
      value?: string;
    }[];
    expect(approve).toMatchObject({
      action_id: ACTION.approveInConsole,
      url: `http://localhost:3000/requests/${id}/confirm?decision=approve`,
    });
    expect(approve?.value).toBeUndefined();
    expect(deny).toMatchObject({ action_id: ACTION.deny, value: id });

    const where = { channel: card.response.body.channel, messageTs: card.response.body.ts };
    const linkClick = await slack.post(
      blockActionBody({ userId: SLACK_IDS.manager, actionId: ACTION.approveInConsole, value: '', ...where }),
    );
    const oldButton = await slack.post(
      blockActionBody({ userId: SLACK_IDS.manager, actionId: ACTION.approve, value: id, ...where }),
    );

    expect(linkClick.status).toBe(200);
    expect(oldButton.status).toBe(200);
    const told = await fake.waitForCall(
      'chat.postEphemeral',
      (c) => c.args.user === SLACK_IDS.manager && /needs a passkey/.test(c.args.text),
    );
    expect(told.args.text).toContain(`http://localhost:3000/requests/${id}/confirm?decision=approve`);
    await waitUntil(
      async () => {
        await sequenceAll(database.runtime.sql);
        const events = await searchLedger(database.runtime.sql, { correlation: id }, 100);
        return events.some(
          (e) => (e.event as { event_type: string }).event_type === 'access.decision.refused',
        );
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    const events = (await searchLedger(database.runtime.sql, { correlation: id }, 100)).map(
      (e) =>
        e.event as {
          event_type: string;
          details?: { code?: string };
          correlation?: { slack_action_id?: string };
        },
    );
    const refused = events.filter((e) => e.event_type === 'access.decision.refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]?.details?.code).toBe('step_up_required');
    expect(refused[0]?.correlation?.slack_action_id).toMatch(/^slack:/);
    expect(events.some((e) => e.event_type === 'access.request.approved')).toBe(false);
    const [row] = await database.runtime.sql`select status from access_requests where id = ${id}`;
    expect(row?.status).toBe('pending_approval');
  });
});
