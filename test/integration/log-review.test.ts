// The monthly log review on real Temporal and PostgreSQL: a month's security events become the
// items of one review, outsiders are refused (and that is recorded), nothing is signed off while an
// event is unreviewed, action taken needs a note, and every step is in the ledger; the monthly
// schedule's run opens the month just ended, once.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../audit/intake.js';
import { type RunningSequencer, startSequencer } from '../../audit/sequencer-loop.js';
import { waitUntil } from '../../core/net.js';
import { chainQuery } from '../../evidence/chains.js';
import { CHECKS } from '../../evidence/checks.js';
import { parsePeriod } from '../../evidence/period.js';
import { bindParams } from '../../evidence/query-params.js';
import { previousMonth } from '../../logreview/open.js';
import { deploymentScheduleId, ensureLogReviewSchedule, SCHEDULE_NAMES } from '../../temporal/schedules.js';
import { bearer, personWithToken } from '../helpers/api.js';
import { grantflow } from '../helpers/cli.js';
import { useRequestStack } from '../helpers/requests.js';
import { step } from '../helpers/steps.js';

describe('monthly log review', () => {
  const fixture = useRequestStack();
  let sequencer: RunningSequencer;
  beforeAll(async () => {
    sequencer = await startSequencer(fixture.database.runtime.sql, pino({ level: 'silent' }), { pollMs: 50 });
  });
  afterAll(async () => {
    await fixture.stack.api.temporal.schedule
      .getHandle(deploymentScheduleId(SCHEDULE_NAMES.logReview, fixture.stack.taskQueue))
      .delete()
      .catch(() => undefined);
    await sequencer?.stop();
  });

  const call = (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    fixture.stack.api.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: bearer(token),
      ...(payload ? { payload } : {}),
    });
  const as = (email: string) => fixture.stack.token(email);
  const sql = () => fixture.database.runtime.sql;
  /** Waits until the sequencer has placed every event written so far. */
  const allSequenced = () =>
    waitUntil(async () => (await sql()`select 1 from audit_intake where seq is null limit 1`).length === 0, {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
  const seqOf = async (eventId: string) =>
    Number((await sql()`select seq from audit_ledger where event_id = ${eventId}`)[0]?.seq);
  const deniedBy = async (email: string, targetId: string) =>
    (
      await sql()`select event->>'action' as action from audit_intake
        where event->>'event_type' = 'security.auth.denied' and event->'target'->>'type' = 'log_review'
          and event->'target'->>'id' = ${targetId} and event->'actor'->>'email' = ${email} order by id`
    ).map((row) => row.action as string);

  const ledgerTail = async () => Number((await sql()`select max(seq) as seq from audit_ledger`)[0]?.seq);
  /** The evidence pack's `log_review_incomplete` test over `period`, as of now. */
  const incompleteReviews = async (period: string) => {
    await allSequenced();
    const check = CHECKS.find((c) => c.id === 'log_review_incomplete')!;
    const bounds = parsePeriod(period);
    const bound = bindParams(check.exceptions, {
      period_start: bounds.start,
      period_end: bounds.end,
      as_of: new Date().toISOString(),
      tree_size: await ledgerTail(),
      stamp_items: 0,
      stamp_seconds: 0,
    });
    const rows = await sql().unsafe<{ key: string; summary: string; evidence: string[] }[]>(
      bound.text,
      bound.values,
    );
    return rows.map((row) => ({ ...row, evidence: row.evidence.map(Number) }));
  };

  it('reviews the month’s security events: outsiders refused, every event reviewed, action noted, signed off, all in the ledger', async () => {
    const { cast } = fixture.stack;
    const period = new Date().toISOString().slice(0, 7);
    const db = fixture.database.runtime.db;
    const auditorEmail = `auditor.${randomUUID()}@acme.test`;
    const auditor = await personWithToken(db, { email: auditorEmail }, 'auditor');

    const seeded = await step('a month of events, some of them security events', async () => {
      const refused = await call(as(cast.dev), 'POST', '/evidence/packs', { framework: 'soc2', period });
      expect(refused.statusCode).toBe(403);
      const opener = await call(as(cast.dev), 'POST', '/log-reviews', { period });
      expect(opener.statusCode).toBe(403);
      const person = { type: 'person' as const, id: cast.admin, email: cast.admin };
      const policy = await recordAudit(db, {
        event_type: 'config.policy.changed',
        actor: person,
        target: { type: 'policy', id: 'two-step' },
        action: 'update',
        result: 'success',
      });
      const outage = await recordAudit(db, {
        event_type: 'notification.delivery.degraded',
        actor: { type: 'system', id: 'grantflow-notifications' },
        target: { type: 'notification_channel', id: 'slack' },
        action: 'deliver',
        result: 'failure',
        reason: 'ratelimited',
      });
      const breach = await recordAudit(db, {
        event_type: 'identity.leaver.sla_breached',
        actor: { type: 'system', id: 'leaver' },
        target: { type: 'person', id: randomUUID(), name: cast.dev2 },
        action: 'offboard',
        result: 'failure',
      });
      const onBehalf = await recordAudit(db, {
        event_type: 'access.request.created',
        actor: { ...person, on_behalf_of: cast.dev },
        target: { type: 'access_request', id: randomUUID() },
        action: 'create',
        result: 'success',
      });
      const routine = await recordAudit(db, {
        event_type: 'access.request.created',
        actor: { type: 'person', id: cast.dev, email: cast.dev },
        target: { type: 'access_request', id: randomUUID() },
        action: 'create',
        result: 'success',
      });
      await allSequenced();
      const [refusal] = await sql()`select seq from audit_ledger where event_type = 'security.auth.denied'
        and event->'target'->>'type' = 'evidence_pack' and event->'actor'->>'email' = ${cast.dev}`;
      return {
        refusal: Number(refusal?.seq),
        security: await Promise.all([policy, outage, breach, onBehalf].map((e) => seqOf(e.event_id))),
        routine: await seqOf(routine.event_id),
      };
    });

    const review = await step(
      'an admin opens the month once; its items are the security events',
      async () => {
        expect(await deniedBy(cast.dev, period)).toEqual(['open']);
        const opened = await call(as(cast.admin), 'POST', '/log-reviews', { period });
        expect(opened.statusCode, opened.body).toBe(201);
        const body = opened.json();
        expect(body).toMatchObject({ period, status: 'open', reviewerGroup: 'security', signedOffBy: null });
        const again = await call(as(cast.admin), 'POST', '/log-reviews', { period });
        expect([again.statusCode, again.json().id]).toEqual([200, body.id]);
        expect((await sql()`select count(*)::int as n from log_reviews where period = ${period}`)[0]?.n).toBe(
          1,
        );
        expect(
          (
            await sql()`select count(*)::int as n from audit_intake
          where event->>'event_type' = 'audit.log_review.opened'`
          )[0]?.n,
        ).toBe(1);
        const page = await call(as(cast.sec1), 'GET', `/log-reviews/${body.id}/items?limit=500`);
        expect(page.statusCode, page.body).toBe(200);
        const items = page.json().items as { id: number; seq: number; eventType: string; summary: string }[];
        expect(items).toHaveLength(body.items.total);
        const seqs = items.map((item) => item.seq);
        expect(seqs).toEqual(expect.arrayContaining([seeded.refusal, ...seeded.security]));
        expect(seqs).not.toContain(seeded.routine);
        // The employee's own refusal to open the review is a security event of the month too.
        expect(items.filter((item) => item.eventType === 'security.auth.denied')).toHaveLength(2);
        expect(items.find((item) => item.seq === seeded.refusal)?.summary).toContain(`${cast.dev} request`);
        const listed = await call(auditor.token, 'GET', '/log-reviews');
        expect(listed.json().items.map((r: { id: string }) => r.id)).toEqual([body.id]);
        return { id: body.id as string, items, refusalItem: items.find((i) => i.seq === seeded.refusal)!.id };
      },
    );

    await step('refused: an outsider, action without a note, sign-off with events unreviewed', async () => {
      const employee = await call(as(cast.dev), 'POST', `/log-reviews/${review.id}/items/reviewed`, {
        items: [review.refusalItem],
      });
      expect(employee.statusCode).toBe(403);
      expect((await call(as(cast.dev), 'GET', `/log-reviews/${review.id}/items`)).statusCode).toBe(403);
      const auditorMarks = await call(auditor.token, 'POST', `/log-reviews/${review.id}/items/reviewed`, {
        items: [review.refusalItem],
      });
      expect(auditorMarks.statusCode).toBe(403);
      const noNote = await call(as(cast.sec1), 'POST', `/log-reviews/${review.id}/items/reviewed`, {
        items: [review.refusalItem],
        actionTaken: true,
      });
      expect([noNote.statusCode, noNote.json().error.message]).toEqual([
        400,
        expect.stringContaining('a note is required when action was taken'),
      ]);
      const unknown = await call(as(cast.sec1), 'POST', `/log-reviews/${review.id}/items/reviewed`, {
        items: [review.refusalItem, 999_999_999],
      });
      expect([unknown.statusCode, unknown.json().error.message]).toEqual([
        400,
        expect.stringContaining('999999999'),
      ]);
      const early = await call(as(cast.sec2), 'POST', `/log-reviews/${review.id}/signoff`);
      expect([early.statusCode, early.json().error.message]).toEqual([
        409,
        expect.stringContaining(`${review.items.length} of the ${review.items.length} events`),
      ]);
      expect(
        (await sql()`select count(*)::int as n from log_review_items where reviewed_at is not null`)[0]?.n,
      ).toBe(0);
      expect(await deniedBy(cast.dev, review.id)).toEqual(['review', 'read']);
      expect(await deniedBy(auditorEmail, review.id)).toEqual(['review']);
    });

    await step(
      "an evidence pack's test would list the review and every event as exceptions now",
      async () => {
        const exceptions = await incompleteReviews(period);
        expect(exceptions.map((e) => e.key)).toEqual([
          `review:${review.id}`,
          ...review.items.map((item) => String(item.id)),
        ]);
        const [opened] = await sql()`select seq from audit_ledger where event_type = 'audit.log_review.opened'
        and event->'target'->>'id' = ${review.id}`;
        const onReview =
          await sql()`select seq from audit_ledger where event->'target'->>'type' = 'log_review'
        and event->'target'->>'id' = ${review.id} order by seq`;
        expect(exceptions[0]).toMatchObject({
          summary: expect.stringMatching(
            new RegExp(
              `^${period} log review \\(security\\), due .*, not signed off, still within its review window: ${review.items.length} of ${review.items.length} events unreviewed$`,
            ),
          ),
          evidence: onReview.map((row) => Number(row.seq)),
        });
        const refusal = exceptions.find((e) => e.key === String(review.refusalItem));
        expect(refusal?.evidence).toEqual([seeded.refusal, Number(opened?.seq)]);
        expect(refusal?.summary).toContain(
          `ledger entry ${seeded.refusal} (security.auth.denied, ${cast.dev} request`,
        );
      },
    );

    await step('the security group reviews every event, noting the action taken, and signs off', async () => {
      const acted = await call(as(cast.sec1), 'POST', `/log-reviews/${review.id}/items/reviewed`, {
        items: [review.refusalItem],
        actionTaken: true,
        note: 'asked Dev why they tried; token scope explained',
      });
      expect(acted.json()).toEqual({ reviewed: [review.refusalItem], alreadyReviewed: [] });
      const rest = await call(as(cast.sec2), 'POST', `/log-reviews/${review.id}/items/reviewed`, {
        items: review.items.map((item) => item.id),
        note: 'routine',
      });
      expect(rest.json()).toEqual({
        reviewed: review.items.map((item) => item.id).filter((id) => id !== review.refusalItem),
        alreadyReviewed: [review.refusalItem],
      });
      const signed = await call(as(cast.sec3), 'POST', `/log-reviews/${review.id}/signoff`);
      expect(signed.statusCode, signed.body).toBe(200);
      expect(signed.json()).toMatchObject({
        status: 'signed_off',
        signedOffBy: cast.sec3,
        items: { total: review.items.length, reviewed: review.items.length, actionTaken: 1 },
      });
      expect((await call(as(cast.sec3), 'POST', `/log-reviews/${review.id}/signoff`)).statusCode).toBe(409);
      const late = await call(as(cast.sec1), 'POST', `/log-reviews/${review.id}/items/reviewed`, {
        items: [review.refusalItem],
      });
      expect(late.statusCode).toBe(409);
      const [acting] = await sql()`select i.note, i.action_taken, p.email from log_review_items i
        join people p on p.id = i.reviewed_by_id where i.id = ${review.refusalItem}`;
      expect(acting).toEqual({
        note: 'asked Dev why they tried; token scope explained',
        action_taken: true,
        email: cast.sec1,
      });
    });

    await step('every change is in the ledger', async () => {
      await allSequenced();
      const events =
        await sql()`select event_type, event->'actor'->>'email' as actor, event->'details' as details
        from audit_ledger where event->'target'->>'type' = 'log_review' and event->'target'->>'id' = ${review.id}
        order by seq`;
      const ids = review.items.map((item) => item.id);
      expect(events.map((e) => [e.event_type, e.actor])).toEqual([
        ['audit.log_review.opened', cast.admin],
        ['security.auth.denied', cast.dev],
        ['security.auth.denied', cast.dev],
        ['security.auth.denied', auditorEmail],
        ['audit.log_review.item_reviewed', cast.sec1],
        ['audit.log_review.item_reviewed', cast.sec2],
        ['audit.log_review.signed_off', cast.sec3],
      ]);
      expect(events[0]?.details).toMatchObject({ period, reviewer_group: 'security', items: ids.length });
      expect(events[4]?.details).toEqual({
        items: [review.refusalItem],
        action_taken: true,
        note: 'asked Dev why they tried; token scope explained',
      });
      expect(events[5]?.details.items).toEqual(ids.filter((id) => id !== review.refusalItem));
      expect(events[6]?.details).toMatchObject({ period, items: ids.length, action_taken: 1 });
      expect(await incompleteReviews(period)).toEqual([]);
      // A sampled item's chain: the event reviewed, the opening, the marking and the sign-off.
      const chain = await sql().unsafe(chainQuery('log_reviews'), [
        String(review.refusalItem),
        await ledgerTail(),
      ]);
      const [opened, , , , acted, , signed] = await sql()`select seq from audit_ledger
        where event->'target'->>'type' = 'log_review' and event->'target'->>'id' = ${review.id} order by seq`;
      expect(chain.map((row) => Number(row.seq))).toEqual(
        [seeded.refusal, opened?.seq, acted?.seq, signed?.seq].map(Number),
      );
    });
  });

  it('the monthly schedule runs at 09:00 UTC on the 1st and its run opens last month’s review, once', async () => {
    const { api, taskQueue } = fixture.stack;
    const template = { reviewerGroup: 'security', dueDays: 10 };
    const nextRuns = await ensureLogReviewSchedule(api.temporal, { taskQueue, cron: '0 9 1 * *', template });
    expect(nextRuns.length).toBeGreaterThan(0);
    for (const at of nextRuns) expect(at.toISOString()).toMatch(/^\d{4}-\d{2}-01T09:00:00\.000Z$/);
    const described = await api.temporal.schedule
      .getHandle(deploymentScheduleId(SCHEDULE_NAMES.logReview, fixture.stack.taskQueue))
      .describe();
    expect(described.action).toMatchObject({ workflowType: 'scheduledLogReview', args: [template] });

    // A run, as the schedule starts it, twice (a retry or a catch-up): one review of last month.
    const run = () =>
      api.temporal.workflow.execute('scheduledLogReview', {
        taskQueue,
        workflowId: `log-review-test-${randomUUID()}`,
        args: [template],
      });
    const [first, second] = [await run(), await run()];
    expect(second).toBe(first);
    const last = previousMonth(new Date());
    const rows = await sql()`select id, status, reviewer_group from log_reviews where period = ${last}`;
    expect(rows).toEqual([{ id: first, status: 'open', reviewer_group: 'security' }]);
    const [opened] = await sql()`select event->'actor' as actor from audit_intake
      where event->>'event_type' = 'audit.log_review.opened' and event->'target'->>'id' = ${first}`;
    expect(opened?.actor).toEqual({ type: 'system', id: 'log-review-schedule' });

    await step('the security group works through it with the CLI', async () => {
      const url = await api.app.listen({ port: 0, host: '127.0.0.1' });
      const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
      const cli = (args: string[], email: string) =>
        grantflow(['log-review', ...args, '--api', url, '--token', fixture.stack.token(email)], env);
      const listed = await cli(['list'], fixture.stack.cast.sec2);
      expect([listed.code, listed.stdout], listed.stderr).toEqual([
        0,
        expect.stringContaining(`${first}  ${last}  open`),
      ]);
      const early = await cli(['signoff', first], fixture.stack.cast.dev);
      expect([early.code, early.stderr]).toEqual([
        1,
        expect.stringContaining('membership of the security group'),
      ]);
      const marked = await cli(['review', first, '--all'], fixture.stack.cast.sec2);
      expect([marked.code, marked.stdout], marked.stderr).toEqual([0, expect.stringContaining('Marked ')]);
      const signed = await cli(['signoff', first], fixture.stack.cast.sec2);
      expect([signed.code, signed.stdout], signed.stderr).toEqual([
        0,
        expect.stringContaining(`signed off by ${fixture.stack.cast.sec2}`),
      ]);
    });
  });
});
