// Campaigns through the HTTP API on real Temporal and PostgreSQL: who may launch, field errors,
// one campaign per period, reviewers deciding and delegating, enforcement verified at the real
// target, the burn-down, the report, sign-off, the quarterly schedule launching once per quarter
// and listed, and the directory's groups.
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchLedger } from '../../audit/read.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { verifyLedger } from '../../audit/verify/index.js';
import { quarterOf } from '../../campaigns/launch-input.js';
import { findFreePort, waitUntil } from '../../core/net.js';
import { deploymentScheduleId, SCHEDULE_NAMES } from '../../temporal/schedules.js';
import { bearer } from '../helpers/api.js';
import { type RequestStack, startRequestStack } from '../helpers/requests.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';
import { step } from '../helpers/steps.js';

describe('campaigns over the API', () => {
  let database: TestDatabase;
  let stack: RequestStack;

  beforeAll(async () => {
    database = await createTestDatabase();
    stack = await startRequestStack(database, { webhookPort: await findFreePort() });
  });
  afterAll(async () => {
    await stack.api.temporal.schedule
      .getHandle(deploymentScheduleId(SCHEDULE_NAMES.quarterlyCampaign, stack.taskQueue))
      .delete()
      .catch(() => undefined);
    await stack?.close();
    await database?.drop();
  });

  const call = async (as: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    stack.api.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: bearer(stack.token(as)),
      ...(payload ? { payload } : {}),
    });

  /** Files an auto-approved request for `holder` and waits for the grant. */
  async function autoGrant(holder: string, entitlement: string): Promise<string> {
    const filed = await call(holder, 'POST', '/requests', {
      resource: 'db',
      entitlement,
      durationSeconds: 3_600,
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const id = filed.json().id as string;
    let grantId = '';
    await waitUntil(
      async () => {
        const shown = (await call(holder, 'GET', `/requests/${id}`)).json();
        grantId = shown.grantId ?? '';
        return shown.status === 'granted';
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    return grantId;
  }
  const campaignIn = (id: string) => call(stack.cast.admin, 'GET', `/campaigns/${id}`);

  it('runs a campaign: launch, review, delegate, enforce, report, sign off', async () => {
    const { cast } = stack;
    const { kept, revoked, delegated } = await step('setup: three auto-approved grants', async () => ({
      kept: await autoGrant(cast.dev, 'low'),
      revoked: await autoGrant(cast.dev2, 'low'),
      delegated: await autoGrant(cast.dev, 'maker'),
    }));
    const launch = {
      name: 'Q1 DB review',
      scope: { resources: ['db'] },
      dueInSeconds: 600,
      reminderEverySeconds: 3_600,
      escalateAfterSeconds: 3_600,
      defaultAction: 'revoke',
      period: '2032-Q1',
    };

    await step('only admins launch; bad input names the field and creates nothing', async () => {
      expect((await call(cast.dev, 'POST', '/campaigns', launch)).statusCode).toBe(403);
      const bad = await call(cast.admin, 'POST', '/campaigns', {
        ...launch,
        scope: { resources: ['nope'] },
        defaultAction: undefined,
      });
      expect(bad.statusCode).toBe(400);
      const fields = bad.json().error.details.fields.map((f: { field: string }) => f.field);
      expect(fields).toContain('defaultAction');
      expect((await call(cast.admin, 'GET', '/campaigns')).json().items).toEqual([]);
    });

    const campaignId = await step('launch: the same period twice yields one campaign', async () => {
      const first = await call(cast.admin, 'POST', '/campaigns', launch);
      const again = await call(cast.admin, 'POST', '/campaigns', launch);
      expect([first.statusCode, again.statusCode]).toEqual([201, 200]);
      const id = first.json().campaignId as string;
      expect(again.json().campaignId).toBe(id);
      await waitUntil(async () => (await campaignIn(id)).json().status === 'reviewing', {
        timeoutMs: 20_000,
        intervalMs: 100,
      });
      expect((await campaignIn(id)).json().population).toMatchObject({
        count: 3,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      return id;
    });

    const items = await step(
      'review: the manager reviews all three; the holder reviews nothing',
      async () => {
        const listed = (await call(cast.manager, 'GET', `/campaigns/${campaignId}/items`)).json().items as {
          id: number;
          grantId: string;
        }[];
        expect(listed.map((i) => i.grantId).sort()).toEqual([kept, revoked, delegated].sort());
        expect((await call(cast.dev, 'GET', `/campaigns/${campaignId}/items`)).json().items).toEqual([]);
        return listed;
      },
    );
    const item = (grantId: string) => items.find((i) => i.grantId === grantId)?.id as number;
    /** `as` decides the item of `grantId`. */
    const decide = (as: string, grantId: string, decision: 'keep' | 'revoke', reason?: string) =>
      call(as, 'POST', `/campaigns/${campaignId}/decisions`, {
        items: [item(grantId)],
        decision,
        ...(reason ? { reason } : {}),
      });
    /** The manager hands the item of `grantId` to `to`. */
    const delegate = (to: string, grantId: string) =>
      call(cast.manager, 'POST', `/campaigns/${campaignId}/delegations`, { to, items: [item(grantId)] });

    await step(
      'review: keep; revoke needs a reason; a second decision and a stranger are refused',
      async () => {
        const keep = await decide(cast.manager, kept, 'keep');
        expect(keep.json()).toEqual({ applied: [item(kept)], refused: [] });
        const noReason = await decide(cast.manager, revoked, 'revoke');
        expect(noReason.statusCode).toBe(400);
        expect(noReason.json().error.details.fields).toEqual([
          { field: 'body.reason', message: 'is required to revoke' },
        ]);
        const twice = await decide(cast.manager, kept, 'revoke', 'changed my mind');
        expect(twice.json()).toEqual({ applied: [], refused: [item(kept)] });
        const notTheirs = await decide(cast.dev, delegated, 'keep');
        expect(notTheirs.json()).toEqual({ applied: [], refused: [item(delegated)] });
      },
    );

    await step('delegate: not to the holder; to the CEO, who then decides', async () => {
      const toHolder = await delegate(cast.dev, delegated);
      expect(toHolder.json()).toEqual({ moved: [] });
      const toCeo = await delegate(cast.ceo, delegated);
      expect(toCeo.json()).toEqual({ moved: [item(delegated)] });
      expect((await decide(cast.ceo, delegated, 'keep')).json()).toEqual({
        applied: [item(delegated)],
        refused: [],
      });
    });

    await step('review: the manager revokes, with a reason', async () => {
      const revoke = await decide(cast.manager, revoked, 'revoke', 'left the project');
      expect(revoke.json()).toEqual({ applied: [item(revoked)], refused: [] });
    });

    await step('enforce: everything decided, revoked at the real target and verified', async () => {
      expect((await call(cast.admin, 'POST', `/campaigns/${campaignId}/signoff`, {})).statusCode).toBe(409);
      await waitUntil(async () => (await campaignIn(campaignId)).json().status === 'awaiting_signoff', {
        timeoutMs: 30_000,
        intervalMs: 200,
      });
      const [member] = await stack.target`
        select 1 from pg_auth_members m join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member
        where r.rolname = ${stack.roles.low ?? ''} and u.rolname = ${stack.databaseUser(cast.dev2)}`;
      expect(member).toBeUndefined();
    });

    await step(
      'report: every item with its reviewer, decision and revocation status, and a summary',
      async () => {
        const csv = await call(cast.admin, 'GET', `/campaigns/${campaignId}/report?format=csv`);
        expect(csv.headers['content-type']).toMatch(/^text\/csv/);
        const [header, ...lines] = csv.body.trim().split('\n');
        expect(header?.split(',')).toContain('revocationStatus');
        expect(lines).toHaveLength(3);
        expect(lines.find((line) => line.includes(revoked))).toMatch(
          /revoke,reviewer,.*left the project.*verified/,
        );
        const json = (await call(cast.admin, 'GET', `/campaigns/${campaignId}/report?format=json`)).json();
        expect(json.summary).toMatchObject({
          completionPercent: 100,
          items: { total: 3, kept: 2, revoked: 1, revocationVerified: 1 },
          exceptions: { delegated: 1, decidedByDefault: 0 },
        });
        expect(json.items).toHaveLength(3);
        expect((await call(cast.dev, 'GET', `/campaigns/${campaignId}/report`)).statusCode).toBe(403);
      },
    );

    await step('burn-down: from every item open at launch to all three decided', async () => {
      const { burnDown, items } = (await campaignIn(campaignId)).json();
      expect(items.total).toBe(3);
      // A campaign minutes old is counted per minute.
      expect(burnDown.bucketSeconds).toBe(60);
      expect(burnDown.points[0]).toMatchObject({ decided: 0, open: 3 });
      expect(burnDown.points.at(-1)).toMatchObject({ decided: 3, open: 0 });
      const times = burnDown.points.map((point: { at: string }) => Date.parse(point.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    await step('sign off: admins only; then the campaign is closed', async () => {
      expect((await call(cast.manager, 'POST', `/campaigns/${campaignId}/signoff`, {})).statusCode).toBe(403);
      const signed = await call(cast.admin, 'POST', `/campaigns/${campaignId}/signoff`, {
        reason: 'reviewed',
      });
      expect(signed.statusCode, signed.body).toBe(200);
      expect(signed.json()).toMatchObject({ status: 'closed', signedOff: { by: cast.admin } });
    });

    await step('the ledger: each decision, refusal and delegation, the sign-off; intact', async () => {
      await sequenceAll(database.runtime.sql);
      const ledger = await searchLedger(database.runtime.sql, { correlation: campaignId }, 1_000);
      const types = ledger.map((entry) => (entry.event as { event_type: string }).event_type);
      expect(types.filter((t) => t === 'campaign.item.kept')).toHaveLength(2);
      expect(types.filter((t) => t === 'campaign.item.revoked')).toHaveLength(1);
      expect(types.filter((t) => t === 'campaign.decision.refused')).toHaveLength(2);
      expect(types.filter((t) => t === 'campaign.item.delegated')).toHaveLength(1);
      expect(types).toContain('campaign.signed_off');
      const report = await verifyLedger(database.runtime.sql, { verifiers: stack.api.ledger.keys.verifiers });
      expect(report.status).toBe('intact');
    });
  }, 90_000);

  it('lists the groups with their sizes, to admins and auditors only', async () => {
    const groups = await call(stack.cast.admin, 'GET', '/groups');
    expect(groups.statusCode, groups.body).toBe(200);
    expect(groups.json().items).toEqual(
      expect.arrayContaining([
        { key: 'engineering', name: 'Engineering', description: null, source: 'file', memberCount: 2 },
        { key: 'security', name: 'Security', description: null, source: 'file', memberCount: 3 },
      ]),
    );
    expect((await call(stack.cast.dev, 'GET', '/groups')).statusCode).toBe(403);
  });

  it('schedules a quarterly campaign; two runs of one quarter make one campaign', async () => {
    const template = {
      name: 'Paper review',
      scope: { resources: ['paper'] },
      dueInSeconds: 3_600,
      defaultAction: 'keep',
    };
    const withDueAt = await call(stack.cast.admin, 'POST', '/campaigns/schedules', {
      ...template,
      dueAt: '2030-01-01T00:00:00Z',
    });
    expect(withDueAt.statusCode).toBe(400);
    expect((await call(stack.cast.dev, 'POST', '/campaigns/schedules', template)).statusCode).toBe(403);

    expect((await call(stack.cast.admin, 'GET', '/campaigns/schedules')).json()).toEqual({ items: [] });
    const scheduled = await call(stack.cast.admin, 'POST', '/campaigns/schedules', template);
    expect(scheduled.statusCode, scheduled.body).toBe(201);
    const listed = await call(stack.cast.admin, 'GET', '/campaigns/schedules');
    expect(listed.json().items).toEqual([
      expect.objectContaining({
        scheduleId: deploymentScheduleId(SCHEDULE_NAMES.quarterlyCampaign, stack.taskQueue),
        name: 'Paper review',
        defaultAction: 'keep',
        dueInSeconds: 3_600,
        launchedBy: stack.cast.admin,
        paused: false,
        lastRunAt: null,
      }),
    ]);
    expect((await call(stack.cast.dev, 'GET', '/campaigns/schedules')).statusCode).toBe(403);
    const nextRuns = scheduled.json().nextRuns as string[];
    expect(nextRuns.length).toBeGreaterThan(0);
    for (const at of nextRuns) expect(at).toMatch(/^\d{4}-(01|04|07|10)-01T09:00:00\.000Z$/);

    // A second run in the same quarter (a retry, a catch-up) launches nothing new. Runs started in
    // the same second share a workflow id, so the second waits for the first.
    const handle = stack.api.temporal.schedule.getHandle(
      deploymentScheduleId(SCHEDULE_NAMES.quarterlyCampaign, stack.taskQueue),
    );
    const runs = async (count: number) => {
      await waitUntil(async () => (await handle.describe()).info.recentActions.length >= count, {
        timeoutMs: 15_000,
        intervalMs: 200,
      });
      const { recentActions } = (await handle.describe()).info;
      return Promise.all(
        recentActions.map((a) =>
          stack.api.temporal.workflow.getHandle(a.action.workflow.workflowId).result(),
        ),
      );
    };
    await handle.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
    await runs(1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await handle.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
    const launched = await runs(2);
    expect(launched).toHaveLength(2);
    expect(launched[1]).toBe(launched[0]);
    const period = quarterOf(new Date());
    const rows = await database.runtime.sql`select name from campaigns where period_key = ${period}`;
    expect(rows.map((row) => row.name)).toEqual([`Paper review ${period}`]);
  }, 60_000);
});
