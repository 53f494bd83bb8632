// Fuzzing the Slack door: correctly signed but malformed payloads (slack-payload-arbitrary.ts)

// posted to the real Bolt HTTP receiver at /slack/events, in the real API with the real worker,
// Temporal and PostgreSQL, against the strict fake Slack Web API. Two requests wait for approval and
// a campaign waits for its reviewer; no payload names an id its sender may really act on. Whatever
// arrives: never a 5xx, no listener fails, nothing Slack would refuse is sent, and nothing is decided.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { fc, it } from '@fast-check/vitest';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { sequenceAll } from '../../audit/sequencer.js';
import { waitUntil } from '../../core/net.js';
import { getEntitlement } from '../../db/queries/entitlements.js';
import { insertGrant } from '../../db/queries/grants.js';
import { getPersonByEmail } from '../../db/queries/people.js';
import { bearer } from '../helpers/api.js';
import { describeCalls } from '../helpers/fake-slack-http.js';
import type { RequestStack } from '../helpers/requests.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';
import { type SlackFuzzCase, slackPayloadArbitrary } from '../helpers/slack-payload-arbitrary.js';
import { SLACK_IDS, type SlackStack, startSlackStack } from '../helpers/slack-stack.js';

/** Ledger events that mean something was decided or changed for someone. */
const DECISION_EVENTS = [
  'access.request.approved',
  'access.request.denied',
  'access.request.cancelled',
  'access.fulfilment.completed',
  'access.grant.released',
  'access.grant.extended',
  'access.grant.revoked',
  'campaign.item.kept',
  'campaign.item.revoked',
  'campaign.item.delegated',
  'campaign.signed_off',
  'campaign.launched',
];

/** A Slack user no directory entry matches. */
const STRANGER = 'USTRANGER';

describe('signed but malformed Slack payloads', () => {
  let database: TestDatabase;
  let slack: SlackStack;
  let stack: RequestStack;
  /** Errors the API logged (a listener that threw, Bolt giving up on an event). */
  const errors: { msg: string; err?: { message?: string; stack?: string } }[] = [];
  const ids = { requests: [] as string[], grants: [] as string[], campaign: '', items: [] as string[] };
  let before = '';

  const call = (as: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    stack.api.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: bearer(stack.token(as)),
      ...(payload ? { payload } : {}),
    });

  /** What no malformed payload may change: decisions, statuses, what was filed and granted, and decision events. */
  async function decidedState(): Promise<string> {
    const sql = database.owner.sql;
    await sequenceAll(database.runtime.sql);
    return JSON.stringify([
      await sql`select count(*)::int as n from approval_decisions`,
      await sql`select id, status from access_requests order by id`,
      await sql`select id, decision, decided_by_id from campaign_items order by id`,
      await sql`select id, status from campaigns order by id`,
      await sql`select id, status, expires_at from grants order by id`,
      await sql`select event_type, count(*)::int as n from audit_ledger
                where event_type = any(${DECISION_EVENTS}) group by 1 order by 1`,
    ]);
  }

  beforeAll(async () => {
    const logged = new Writable({
      write(line, _encoding, done) {
        errors.push(JSON.parse(String(line)));
        done();
      },
    });
    database = await createTestDatabase();
    slack = await startSlackStack(database, { apiLog: pino({ level: 'error' }, logged) });
    stack = slack.stack;
    const { cast } = stack;

    // Two requests waiting at their first step: Dev's for Mia (manager), Olu's for Cora (CEO).
    for (const requester of [cast.dev, cast.owner]) {
      const filed = await call(requester, 'POST', '/requests', {
        resource: 'db',
        entitlement: 'read',
        durationSeconds: 3_600,
        reason: 'fuzz',
      });
      expect(filed.statusCode, filed.body).toBe(201);
      ids.requests.push(filed.json().id);
    }
    // Dee holds two grants (as an import leaves them); a campaign asks Mia, her manager, to review them.
    const dee = await getPersonByEmail(database.runtime.db, cast.dev2);
    for (const key of ['read', 'write']) {
      const entitlement = await getEntitlement(database.runtime.db, 'db', key);
      const id = randomUUID();
      await insertGrant(database.owner.db, {
        id,
        personId: dee?.id as string,
        entitlementId: entitlement?.entitlement.id as string,
        grantedAt: new Date(Date.now() - 86_400_000),
        expiresAt: new Date(Date.now() + 30 * 86_400_000),
      });
      ids.grants.push(id);
    }
    const launched = await call(cast.admin, 'POST', '/campaigns', {
      name: 'Fuzz review',
      scope: { resources: ['db'] },
      dueInSeconds: 3_600,
      reminderEverySeconds: 3_600,
      escalateAfterSeconds: 3_600,
      defaultAction: 'revoke',
    });
    expect(launched.statusCode, launched.body).toBe(201);
    ids.campaign = launched.json().campaignId;
    await waitUntil(
      async () => (await call(cast.admin, 'GET', `/campaigns/${ids.campaign}`)).json().status === 'reviewing',
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    const items = (await call(cast.manager, 'GET', `/campaigns/${ids.campaign}/items`)).json().items;
    ids.items = items.map((item: { id: number }) => String(item.id));
    expect(ids.items).toHaveLength(2);
    await waitUntil(
      async () =>
        (
          await database.owner
            .sql`select count(*)::int as n from access_requests where status = 'pending_approval'`
        )[0]?.n === 2,
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    before = await decidedState();
  }, 120_000);

  afterAll(async () => {
    await slack?.close();
    await database?.drop();
  });

  const world = () => ({
    users: [...Object.values(SLACK_IDS), STRANGER],
    ids: [...ids.requests, ...ids.grants, ids.campaign, ...ids.items],
    // Mia decides Dev's request and reviews the campaign, Cora decides Olu's, Dee may release her
    // grants, the admin may sign the campaign off: none of them is ever sent their own ids.
    ownIdsOf: (userId: string) =>
      ({
        [SLACK_IDS.manager]: [ids.requests[0] as string, ids.campaign, ...ids.items],
        [SLACK_IDS.ceo]: [ids.requests[1] as string],
        [SLACK_IDS.dev2]: ids.grants,
        [SLACK_IDS.admin]: [ids.campaign],
      })[userId] ?? [],
    responseUrl: () => slack.fake.responseUrl(),
  });

  // Each run posts a batch at once: a payload no listener acknowledges waits out Bolt's 3 s.
  it.prop(
    [
      fc
        .constant(null)
        .chain(() => fc.array(slackPayloadArbitrary(world()), { minLength: 10, maxLength: 25 })),
    ],
    {
      numRuns: 10,
      endOnFailure: true,
    },
  )('never a 5xx, never a failed listener, never a decision', async (cases: SlackFuzzCase[]) => {
    const statuses = await Promise.all(
      cases.map(async (c) => {
        const response = await slack.post(c.body, c.contentType ? { contentType: c.contentType } : {});
        await response.arrayBuffer();
        return response.status;
      }),
    );
    const failed = cases.flatMap((c, i) => ((statuses[i] ?? 0) >= 500 ? [`${statuses[i]} ${c.kind}`] : []));
    expect(failed).toEqual([]);
    expect(
      statuses.every((status) => [200, 400, 401, 404, 413].includes(status)),
      String(statuses),
    ).toBe(true);
    // Listeners run on after the ack: give them a moment before reading what they did.
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Bolt logs an event no listener acknowledged (an unknown action id) and answers 404: not a
    // failure. A listener that throws is.
    const failures = errors
      .splice(0)
      .filter((e) => !e.msg.startsWith('An incoming event was not acknowledged'));
    expect(failures.map((e) => `${e.msg}: ${e.err?.message ?? ''}`)).toEqual([]);
    // What the app sent that Slack would refuse (an oversized echo of a value, say).
    const refused = slack.fake.takeRefused();
    expect(refused.length, describeCalls(refused)).toBe(0);
    expect(await decidedState()).toBe(before);
  });
});
