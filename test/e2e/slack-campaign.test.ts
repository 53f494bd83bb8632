// Certification campaigns in Slack, end to end and offline: the real Bolt app inside the real API,
// the real worker running the campaign workflow with the Slack notifier, a real Temporal server and
// PostgreSQL, and the fake Slack Web API. An admin launches from the modal; the reviewer gets the
// digest, reviews in the modal (keep, revoke with a reason, keep all on a page, paging), sees a
// second decision refused, and finds the progress on the App Home; an admin signs off in Slack.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchLedger } from '../../audit/read.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { verifyLedger } from '../../audit/verify/index.js';
import { launchCampaign } from '../../campaigns/launch.js';
import { waitUntil } from '../../core/net.js';
import { createApiToken } from '../../db/queries/api-tokens.js';
import { getEntitlement } from '../../db/queries/entitlements.js';
import { insertGrant } from '../../db/queries/grants.js';
import { getPersonByEmail } from '../../db/queries/people.js';
import { CAMPAIGN_VIEW, LAUNCH_BLOCK, REVIEW_ACTION, REVIEW_BLOCK } from '../../slack/blocks/ids.js';
import { reviewStateMetadata } from '../../slack/blocks/review-state.js';
import { bearer } from '../helpers/api.js';
import type { FakeSlack, SlackCall } from '../helpers/fake-slack.js';
import type { RequestStack } from '../helpers/requests.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';
import {
  blockActionBody,
  eventCallbackBody,
  slashCommandBody,
  viewSubmissionBody,
} from '../helpers/slack-signing.js';
import { buttonsOf, SLACK_IDS, type SlackStack, startSlackStack } from '../helpers/slack-stack.js';
import { step } from '../helpers/steps.js';

type Json = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: a view as Slack received it
type View = { id: string; callback_id: string; private_metadata: string; blocks: any[] };
const textOf = (value: unknown) => JSON.stringify(value);

describe('campaigns in Slack', () => {
  let database: TestDatabase;
  let fake: FakeSlack;
  let stack: RequestStack;
  let slack: SlackStack;

  beforeAll(async () => {
    database = await createTestDatabase();
    slack = await startSlackStack(database);
    ({ stack, fake } = slack);
  });

  afterAll(async () => {
    await slack?.close();
    await database?.drop();
  });

  const post = (body: string) => slack.post(body);
  const idOf = async (email: string) => (await getPersonByEmail(database.runtime.db, email))?.id as string;
  const dmTo = (userId: string, match: (call: SlackCall) => boolean, timeoutMs = 30_000) =>
    fake.waitForCall('chat.postMessage', (c) => c.args.channel === userId && match(c), timeoutMs);
  const command = (userId: string, text: string) => {
    const responseUrl = fake.responseUrl();
    return {
      responseUrl,
      sent: post(slashCommandBody({ command: '/access', text, userId, responseUrl })),
      answer: () => fake.waitForCall('response_url', (c) => c.url === responseUrl, 30_000),
    };
  };

  /** A click inside a modal, as Slack sends it: with the view's id, callback id and metadata. */
  function clickInView(userId: string, actionId: string, value: string, view: View): string {
    const body = blockActionBody({ userId, actionId, value, view: { id: view.id, type: 'modal' } });
    const payload = JSON.parse(new URLSearchParams(body).get('payload') ?? '{}') as { view: Json };
    payload.view = {
      ...payload.view,
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
    };
    return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  }

  /** Posts `body` and returns the next views.update of `viewId` it causes. */
  async function updated(viewId: string, body: string): Promise<View> {
    const before = fake.callsTo('views.update').length;
    expect((await post(body)).status).toBe(200);
    const call = await fake.waitForCall(
      'views.update',
      (c) => c.args.view_id === viewId && fake.callsTo('views.update').indexOf(c) >= before,
      15_000,
    );
    return { ...call.args.view, id: viewId } as View;
  }

  const itemButtons = (view: View) =>
    buttonsOf(view.blocks)
      .filter((b) => b.action_id === REVIEW_ACTION.keep)
      .map((b) => Number(b.value));

  async function itemRow(itemId: number) {
    const [row] = await database.runtime.sql`
      select decision, reason, decided_by_id from campaign_items where id = ${itemId}`;
    return row as { decision: string | null; reason: string | null; decided_by_id: string | null };
  }

  /** Files an auto-approved request through the API: a grant with a request behind it. */
  async function grantThroughRequest(holder: string, entitlement: string): Promise<string> {
    const filed = await stack.api.app.inject({
      method: 'POST',
      url: '/api/v1/requests',
      headers: bearer(stack.token(holder)),
      payload: { resource: 'db', entitlement, durationSeconds: 3_600, reason: 'on call' },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const id = filed.json().id as string;
    await waitUntil(
      async () => {
        const [row] = await database.runtime.sql`select status from access_requests where id = ${id}`;
        return row?.status === 'granted';
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    return id;
  }

  /** Grants as an import would leave them: rows with no request. */
  async function importGrants(holder: string, entitlements: string[]) {
    const personId = await idOf(holder);
    for (const key of entitlements) {
      const found = await getEntitlement(database.runtime.db, 'db', key);
      await insertGrant(database.owner.db, {
        id: randomUUID(),
        personId,
        entitlementId: found?.entitlement.id as string,
        grantedAt: new Date(Date.now() - 86_400_000),
        expiresAt: new Date(Date.now() + 30 * 86_400_000),
      });
    }
  }

  const launchValues = (overrides: Record<string, Json> = {}) => {
    const field = (block: string, value: Json) => ({ [block]: { [block]: value } });
    return {
      ...field(LAUNCH_BLOCK.name, { type: 'plain_text_input', value: 'Q1 DB review' }),
      ...field(LAUNCH_BLOCK.resources, { type: 'multi_static_select', selected_options: [{ value: 'db' }] }),
      ...field(LAUNCH_BLOCK.entitlements, { type: 'plain_text_input', value: null }),
      ...field(LAUNCH_BLOCK.riskLevels, { type: 'checkboxes', selected_options: [] }),
      ...field(LAUNCH_BLOCK.departments, { type: 'plain_text_input', value: null }),
      ...field(LAUNCH_BLOCK.reviewerRule, { type: 'radio_buttons', selected_option: { value: 'manager' } }),
      ...field(LAUNCH_BLOCK.reviewerPerson, { type: 'email_text_input', value: null }),
      ...field(LAUNCH_BLOCK.dueDays, { type: 'number_input', value: '7' }),
      ...field(LAUNCH_BLOCK.reminderHours, { type: 'number_input', value: '48' }),
      ...field(LAUNCH_BLOCK.escalationHours, { type: 'number_input', value: '120' }),
      ...field(LAUNCH_BLOCK.defaultAction, { type: 'radio_buttons', selected_option: { value: 'revoke' } }),
      ...field(LAUNCH_BLOCK.allowChanges, { type: 'checkboxes', selected_options: [] }),
      ...Object.fromEntries(Object.entries(overrides).map(([block, value]) => [block, { [block]: value }])),
    };
  };
  const submitLaunch = async (userId: string, values: Record<string, Json>) => {
    const response = await post(viewSubmissionBody({ userId, callbackId: CAMPAIGN_VIEW.launch, values }));
    expect(response.status).toBe(200);
    const text = await response.text();
    return text ? (JSON.parse(text) as Json) : {};
  };

  async function ledger(campaignId: string) {
    await sequenceAll(database.runtime.sql);
    return (await searchLedger(database.runtime.sql, { correlation: campaignId }, 1_000)).map(
      (entry) =>
        entry.event as {
          event_type: string;
          actor: { id: string; slack_id?: string };
          reason?: string;
          source: { service: string };
        },
    );
  }

  it('launch in a modal → digest → review: keep, revoke with a reason, keep all, paging, refusals, App Home', async () => {
    const { cast } = stack;
    /** What a refused submission answers: the errors, on the fields they concern. */
    const fieldErrors = (errors: Json) => ({ response_action: 'errors', errors });

    const requestId = await step('setup: Dev and Dee hold 14 db grants, one through a request', async () => {
      // Dev and Dee (both managed by Mia) hold 14 grants on the db resource; one came from a request.
      const id = await grantThroughRequest(cast.dev, 'low');
      await importGrants(cast.dev, ['read', 'write', 'timed', 'expiring', 'maker', 'checker']);
      await importGrants(cast.dev2, ['read', 'write', 'low', 'timed', 'expiring', 'maker', 'checker']);
      return id;
    });

    await step('a non-admin gets no launch form, whatever lapsed admin tokens they hold', async () => {
      // Someone who is no admin gets no launch form, and the attempt is on the record. Admin tokens
      // that expired or were revoked do not make an admin.
      const devId = await idOf(cast.dev);
      await createApiToken(database.runtime.db, {
        personId: devId,
        role: 'admin',
        expiresAt: new Date(Date.now() - 1_000),
      });
      const revokedToken = await createApiToken(database.runtime.db, { personId: devId, role: 'admin' });
      await database.owner.sql`update api_tokens set revoked_at = now() where id = ${revokedToken.row.id}`;
      const refused = command(SLACK_IDS.dev, 'campaign launch');
      expect((await refused.sent).status).toBe(200);
      expect((await refused.answer()).args).toMatchObject({
        response_type: 'ephemeral',
        text: expect.stringMatching(/only admins may launch/),
      });
      expect(
        fake.callsTo('views.open').filter((c) => c.args.view?.callback_id === CAMPAIGN_VIEW.launch),
      ).toEqual([]);
    });

    await step("the admin opens the launch form, offered the catalog's resources", async () => {
      await command(SLACK_IDS.admin, 'campaign launch').sent;
      const form = await fake.waitForCall(
        'views.open',
        (c) => c.args.view?.callback_id === CAMPAIGN_VIEW.launch,
      );
      expect(textOf(form.args.view)).toContain('"value":"db"');
    });

    await step('bad input shows on the field it concerns, and launches nothing', async () => {
      const noDefault = await submitLaunch(
        SLACK_IDS.admin,
        launchValues({ [LAUNCH_BLOCK.defaultAction]: { type: 'radio_buttons', selected_option: null } }),
      );
      expect(noDefault).toMatchObject(
        fieldErrors({ [LAUNCH_BLOCK.defaultAction]: expect.stringMatching(/required/) }),
      );
      const unknown = await submitLaunch(
        SLACK_IDS.admin,
        launchValues({ [LAUNCH_BLOCK.entitlements]: { type: 'plain_text_input', value: 'db/nope' } }),
      );
      expect(unknown).toMatchObject(
        fieldErrors({
          [LAUNCH_BLOCK.entitlements]: expect.stringMatching(/names no entitlement in the catalog/),
        }),
      );
      const notAdmin = await submitLaunch(SLACK_IDS.dev, launchValues());
      expect(notAdmin).toMatchObject(fieldErrors({ [LAUNCH_BLOCK.name]: expect.any(String) }));
      const [none] = await database.runtime.sql`select count(*)::int as count from campaigns`;
      expect(none?.count).toBe(0);
    });

    const campaignId = await step('launch', async () => {
      const launched = await submitLaunch(SLACK_IDS.admin, launchValues());
      expect(launched).toMatchObject({
        response_action: 'update',
        view: { callback_id: CAMPAIGN_VIEW.launched },
      });
      const [campaign] = await database.runtime.sql`select id, name from campaigns`;
      const id = campaign?.id as string;
      expect(textOf(launched)).toContain(id);
      return id;
    });

    const digest = await step("Mia's digest: how many, when, and the Review button", async () => {
      const dm = await dmTo(SLACK_IDS.manager, (c) =>
        buttonsOf(c.args.blocks).some((b) => b.action_id === REVIEW_ACTION.open),
      );
      expect(buttonsOf(dm.args.blocks)).toEqual([
        expect.objectContaining({ action_id: REVIEW_ACTION.open, value: campaignId }),
      ]);
      expect(textOf(dm.args.blocks)).toContain('14 (14 open)');
      expect(textOf(dm.args.blocks)).toContain('Q1 DB review');
      expect(textOf(dm.args.blocks)).toContain('<!date^');
      return dm;
    });

    const firstPage = await step(
      'review opens on the first page: ten items with Keep / Revoke, and Next',
      async () => {
        await post(
          blockActionBody({
            userId: SLACK_IDS.manager,
            actionId: REVIEW_ACTION.open,
            value: campaignId,
            channel: digest.response.body.channel,
            messageTs: digest.response.body.ts,
          }),
        );
        const opened = await fake.waitForCall(
          'views.open',
          (c) => c.args.view?.callback_id === CAMPAIGN_VIEW.review,
        );
        const view: View = { ...opened.args.view, id: opened.response.body.view.id };
        const items = itemButtons(view);
        expect(items).toHaveLength(10);
        expect(buttonsOf(view.blocks).map((b) => b.action_id)).toContain(REVIEW_ACTION.next);
        const text = textOf(view.blocks);
        expect(textOf(view.blocks)).toContain('0 of 14 decided');
        return { view, items, text };
      },
    );
    let review = firstPage.view;
    const { items: pageOne, text: pageOneText } = firstPage;
    const [kept, revoked] = pageOne as [number, number];
    const reviewShows = (text: string) => expect(textOf(review.blocks)).toContain(text);
    const miaClicks = (actionId: string, value: string) =>
      clickInView(SLACK_IDS.manager, actionId, value, review);

    const keepClick = await step('keep one: recorded, and the same page shows it', async () => {
      const click = miaClicks(REVIEW_ACTION.keep, String(kept));
      review = await updated(review.id, click);
      reviewShows('Kept 1 item.');
      reviewShows(':white_check_mark: *Kept*');
      expect(itemButtons(review)).not.toContain(kept);
      expect(itemButtons(review)).toHaveLength(9);
      expect(await itemRow(kept)).toMatchObject({
        decision: 'keep',
        decided_by_id: await idOf(cast.manager),
      });
      return click;
    });

    await step(
      'revoke one: a reason is asked for in a modal pushed over the review; blank is refused',
      async () => {
        await post(miaClicks(REVIEW_ACTION.revoke, String(revoked)));
        const reasonModal = await fake.waitForCall(
          'views.push',
          (c) => c.args.view?.callback_id === CAMPAIGN_VIEW.revokeReason,
        );
        const submitReason = (value: string) =>
          viewSubmissionBody({
            userId: SLACK_IDS.manager,
            callbackId: CAMPAIGN_VIEW.revokeReason,
            privateMetadata: reasonModal.args.view.private_metadata,
            values: { [REVIEW_BLOCK.reason]: { [REVIEW_ACTION.reason]: { value } } },
          });
        const blank = await post(submitReason('   '));
        expect(await blank.json()).toMatchObject(fieldErrors({ [REVIEW_BLOCK.reason]: 'Say why' }));
        expect((await itemRow(revoked)).decision).toBeNull();
        review = await updated(review.id, submitReason('moved to the <!channel> sales team'));
        reviewShows('Revocation recorded for 1 item.');
        reviewShows(':no_entry: *Revoke*: moved to the &lt;!channel&gt; sales team');
        expect(await itemRow(revoked)).toMatchObject({
          decision: 'revoke',
          reason: 'moved to the <!channel> sales team',
        });
      },
    );

    await step('the same Keep again (a stale view, a double click): refused, said so', async () => {
      review = await updated(review.id, keepClick);
      reviewShows('Not recorded for 1 item');
    });

    await step("someone else keeping Mia's item through a forged view: refused, recorded", async () => {
      const other = pageOne[2] as number;
      await post(clickInView(SLACK_IDS.dev2, REVIEW_ACTION.keep, String(other), review));
      await waitUntil(
        async () =>
          (await ledger(campaignId)).some(
            (e) => e.event_type === 'campaign.decision.refused' && e.actor.slack_id === SLACK_IDS.dev2,
          ),
        { timeoutMs: 10_000, intervalMs: 100 },
      );
      expect((await itemRow(other)).decision).toBeNull();
    });

    await step('keep all on this page: the eight still open', async () => {
      review = await updated(review.id, miaClicks(REVIEW_ACTION.keepPage, campaignId));
      reviewShows('Kept 8 items.');
      expect(itemButtons(review)).toEqual([]);
      reviewShows('10 of 14 decided');
      for (const id of pageOne) expect((await itemRow(id)).decision).not.toBeNull();
    });

    await step("next: the four left, none of the first page's; each says where it came from", async () => {
      review = await updated(review.id, miaClicks(REVIEW_ACTION.next, 'next'));
      const pageTwo = itemButtons(review);
      expect(pageTwo).toHaveLength(4);
      expect(pageTwo.filter((id) => pageOne.includes(id))).toEqual([]);
      reviewShows('page 2');
      // Each item says where it came from: the request behind the one grant that had one.
      expect(`${pageOneText}${textOf(review.blocks)}`).toContain(`request \`${requestId}\``);
      expect(pageOneText).toContain('no request (imported)');
      expect(buttonsOf(review.blocks).map((b) => b.action_id)).toContain(REVIEW_ACTION.previous);
    });

    await step('the App Home: progress, and the way back into the review', async () => {
      await post(
        eventCallbackBody({ type: 'app_home_opened', user: SLACK_IDS.manager, tab: 'home', channel: 'DMGR' }),
      );
      const home = await fake.waitForCall(
        'views.publish',
        (c) => c.args.user_id === SLACK_IDS.manager && textOf(c.args.view).includes('Q1 DB review'),
      );
      expect(textOf(home.args.view)).toContain('10 of 14 decided · 4 to review');
      expect(buttonsOf(home.args.view.blocks)).toContainEqual(
        expect.objectContaining({ action_id: REVIEW_ACTION.open, value: campaignId }),
      );
    });

    await step('closing the review refreshes the Home with the progress as it is then', async () => {
      const closeBody = new URLSearchParams(
        viewSubmissionBody({ userId: SLACK_IDS.manager, callbackId: CAMPAIGN_VIEW.review, values: {} }),
      );
      const closed = JSON.parse(closeBody.get('payload') ?? '{}');
      const publishes = fake.callsTo('views.publish').length;
      await post(
        new URLSearchParams({
          payload: JSON.stringify({
            ...closed,
            type: 'view_closed',
            is_cleared: false,
            trigger_id: undefined,
          }),
        }).toString(),
      );
      await waitUntil(async () => fake.callsTo('views.publish').length > publishes, {
        timeoutMs: 10_000,
        intervalMs: 50,
      });
    });

    await step(
      "the ledger: each decision with Mia's Slack id, the refusals, the non-admin's attempts; intact",
      async () => {
        const entries = await ledger(campaignId);
        const byType = (type: string) => entries.filter((e) => e.event_type === type);
        expect(byType('campaign.item.kept')).toHaveLength(9);
        expect(byType('campaign.item.kept').every((e) => e.actor.slack_id === SLACK_IDS.manager)).toBe(true);
        expect(byType('campaign.item.revoked')).toEqual([
          expect.objectContaining({
            actor: expect.objectContaining({ slack_id: SLACK_IDS.manager }),
            reason: 'moved to the <!channel> sales team',
            source: expect.objectContaining({ service: 'grantflow-slack' }),
          }),
        ]);
        expect(
          byType('campaign.decision.refused')
            .map((e) => e.actor.slack_id)
            .sort(),
        ).toEqual([SLACK_IDS.dev2, SLACK_IDS.manager].sort());
        await sequenceAll(database.runtime.sql);
        const denied = await searchLedger(database.runtime.sql, { type: 'security.auth.denied' }, 10);
        expect(denied.map((e) => (e.event as { actor: { slack_id?: string } }).actor.slack_id)).toEqual([
          SLACK_IDS.dev,
          SLACK_IDS.dev,
        ]);
        const report = await verifyLedger(database.runtime.sql, {
          verifiers: stack.api.ledger.keys.verifiers,
        });
        expect(report.status).toBe('intact');
      },
    );
  }, 120_000);

  it('reminder and escalation DMs with Review; sign-off in Slack: told when ready, refused for non-admins and too early', async () => {
    // Setup: a short campaign over Dev's and Dee's low access (Mia reviews); what nobody answers is kept.
    const { cast } = stack;
    const launched = await launchCampaign(
      { db: database.runtime.db, temporal: stack.api.temporal, taskQueue: stack.taskQueue },
      {
        name: 'Quick low review',
        scope: { entitlements: ['db/low'] },
        dueInSeconds: 6,
        reminderEverySeconds: 1,
        escalateAfterSeconds: 2,
        defaultAction: 'keep',
      },
      { id: await idOf(cast.admin), email: cast.admin, name: 'Ada Admin' },
    );
    const campaignId = launched.campaign.id;
    const reviewButton = (c: SlackCall) =>
      buttonsOf(c.args.blocks).some((b) => b.action_id === REVIEW_ACTION.open && b.value === campaignId);

    // Too early: the workflow refuses, and says why.
    const early = command(SLACK_IDS.admin, `campaign signoff ${campaignId}`);
    expect((await early.answer()).args.text).toMatch(
      /Could not sign off "Quick low review": .*not awaiting sign-off/,
    );

    // Mia is reminded, then her open items go up to her manager, Cora: each DM leads into the review.
    const reminder = await dmTo(SLACK_IDS.manager, (c) => reviewButton(c) && /^Reminder/.test(c.args.text));
    expect(textOf(reminder.args.blocks)).toContain('Quick low review');
    const escalated = await dmTo(
      SLACK_IDS.ceo,
      (c) => reviewButton(c) && /are now yours to review/.test(c.args.text),
    );
    expect(textOf(escalated.args.blocks)).toContain('2 (2 open)');

    // Told when it is ready, with the command to use.
    const ready = await dmTo(
      SLACK_IDS.admin,
      (c) => /Ready for sign-off/.test(textOf(c.args.blocks)),
      40_000,
    );
    expect(textOf(ready.args.blocks)).toContain(`/access campaign signoff ${campaignId}`);

    // Someone who is no admin: refused on the record.
    const stranger = command(SLACK_IDS.dev, `campaign signoff ${campaignId}`);
    expect((await stranger.answer()).args.text).toMatch(/only admins/);

    // Act: the admin signs off.
    const signed = command(SLACK_IDS.admin, `campaign signoff ${campaignId}`);
    expect((await signed.answer()).args.text).toMatch(
      /Signed off "Quick low review": 2\/2 decided, 2 kept.*closed/,
    );
    const [row] = await database.runtime
      .sql`select status, signed_off_by_id from campaigns where id = ${campaignId}`;
    expect(row).toMatchObject({ status: 'closed', signed_off_by_id: await idOf(cast.admin) });
    const again = command(SLACK_IDS.admin, `campaign signoff ${campaignId}`);
    expect((await again.answer()).args.text).toMatch(/Could not sign off/);

    // A Keep from a review left open on a closed campaign: refused in the modal, and recorded.
    const [item] = await database.runtime
      .sql`select id from campaign_items where campaign_id = ${campaignId} limit 1`;
    const itemId = Number(item?.id);
    const stale: View = {
      id: 'VSTALEREVIEW',
      callback_id: CAMPAIGN_VIEW.review,
      private_metadata: reviewStateMetadata({ campaignId, afterId: 0, itemIds: [itemId], back: [] }),
      blocks: [],
    };
    const refusedView = await updated(
      stale.id,
      clickInView(SLACK_IDS.ceo, REVIEW_ACTION.keep, String(itemId), stale),
    );
    expect(textOf(refusedView.blocks)).toContain('Not recorded: the campaign is no longer taking decisions');
    expect(textOf(refusedView.blocks)).toContain('This campaign no longer takes decisions (it is closed)');

    const entries = await ledger(campaignId);
    expect(entries.find((e) => e.event_type === 'campaign.decision.refused')?.actor).toMatchObject({
      slack_id: SLACK_IDS.ceo,
    });
    expect(entries.find((e) => e.event_type === 'campaign.signed_off')?.actor).toMatchObject({
      slack_id: SLACK_IDS.admin,
    });
    expect(entries.some((e) => e.event_type === 'campaign.closed')).toBe(true);
  }, 90_000);
});
