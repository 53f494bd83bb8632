import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { searchLedger } from '../../audit/read.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { verifyLedger } from '../../audit/verify/index.js';
import { waitUntil } from '../../core/net.js';
import { bearer } from '../helpers/api.js';
import { useRequestStack } from '../helpers/requests.js';

describe('access requests end to end', () => {
  const fixture = useRequestStack();

  async function file(as: string, body: Record<string, unknown>) {
    const response = await fixture.stack.api.app.inject({
      method: 'POST',
      url: '/api/v1/requests',
      headers: bearer(fixture.stack.token(as)),
      payload: { durationSeconds: 3_600, reason: 'on call', ...body },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response;
  }
  async function decide(
    as: string,
    id: string,
    decision: 'approve' | 'deny',
    extra: Record<string, unknown> = {},
  ) {
    return fixture.stack.api.app.inject({
      method: 'POST',
      url: `/api/v1/requests/${id}/decisions`,
      headers: bearer(fixture.stack.token(as)),
      payload: { decision, ...extra },
    });
  }
  async function show(id: string) {
    const response = await fixture.stack.api.app.inject({
      method: 'GET',
      url: `/api/v1/requests/${id}`,
      headers: bearer(fixture.stack.token(fixture.stack.cast.admin)),
    });
    return response.json();
  }
  async function waitForStatus(id: string, status: string, timeoutMs = 20_000) {
    await waitUntil(async () => (await show(id)).status === status, { timeoutMs, intervalMs: 100 });
    return show(id);
  }
  async function isMember(email: string, entitlement: string): Promise<boolean> {
    const rows = await fixture.stack.target`
      select 1 from pg_auth_members m join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member
      where r.rolname = ${fixture.stack.roles[entitlement] ?? ''} and u.rolname = ${fixture.stack.databaseUser(email)}`;
    return rows.length > 0;
  }
  /** The notification activity runs after the status change is visible, so wait for `kind`. */
  async function notifiedOf(id: string, kind: string) {
    await waitUntil(async () => fixture.stack.notifier.about(id).some((n) => n.kind === kind), {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    return fixture.stack.notifier.about(id);
  }
  async function ledgerFor(requestId: string) {
    await sequenceAll(fixture.database.runtime.sql);
    const entries = await searchLedger(fixture.database.runtime.sql, { correlation: requestId }, 1_000);
    return entries.map((entry) => (entry.event as { event_type: string }).event_type);
  }

  it('two steps, manager then owner, provision a real role membership', async () => {
    const { cast } = fixture.stack;
    const created = await file(cast.dev, { resource: 'db', entitlement: 'read' });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect(created.json().plan ?? '').toBe('');
    const planned = await waitForStatus(id, 'pending_approval');
    expect(planned.plan).toBe('needs: your manager (Mia Manager), then the owner of Target DB (Olu Owner)');

    // Each approver decides once their card has arrived, as a person would: a card still in the
    // outbox when its step is decided is dropped as moot, and would be missing from the list below.
    const cardsDelivered = (count: number) =>
      waitUntil(
        async () =>
          fixture.stack.notifier.about(id).filter((n) => n.kind === 'approval_needed').length >= count,
        { timeoutMs: 10_000, intervalMs: 50 },
      );
    await cardsDelivered(1);
    const first = await decide(cast.manager, id, 'approve');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ status: 'pending_approval', currentStep: 1 });
    await cardsDelivered(2);
    const second = await decide(cast.owner, id, 'approve');
    expect(second.statusCode).toBe(200);

    const granted = await waitForStatus(id, 'granted');
    expect(granted.grantId).toEqual(expect.any(String));
    expect(await isMember(cast.dev, 'read')).toBe(true);
    expect(granted.decisions.map((d: { approver: string }) => d.approver)).toEqual([
      cast.manager,
      cast.owner,
    ]);
    expect(await ledgerFor(id)).toEqual([
      'access.request.created',
      'access.request.planned',
      'access.request.approved',
      'access.request.approved',
      'access.grant.provisioned',
    ]);
    expect((await notifiedOf(id, 'access_provisioned')).map((n) => n.kind)).toEqual([
      'request_submitted',
      'approval_needed',
      'approval_recorded',
      'approval_needed',
      'approval_recorded',
      'access_provisioned',
    ]);
  });

  it('a 2-of-Security quorum needs two different approvers', async () => {
    const { cast } = fixture.stack;
    const id = (await file(cast.dev, { resource: 'db', entitlement: 'write' })).json().id;
    await waitForStatus(id, 'pending_approval');

    const one = await decide(cast.sec1, id, 'approve');
    const again = await decide(cast.sec1, id, 'approve');
    const two = await decide(cast.sec2, id, 'approve');

    expect(one.json()).toMatchObject({
      status: 'pending_approval',
      steps: [{ approvedBy: [cast.sec1], required: 2 }],
    });
    expect(again.statusCode).toBe(409);
    expect(two.statusCode).toBe(200);
    await waitForStatus(id, 'granted');
    expect(await isMember(cast.dev, 'write')).toBe(true);
  });

  it('a deny ends the request at once, and nothing is granted', async () => {
    const { cast } = fixture.stack;
    const id = (await file(cast.dev2, { resource: 'db', entitlement: 'read' })).json().id;
    await waitForStatus(id, 'pending_approval');

    const denied = await decide(cast.manager, id, 'deny', { comment: 'not needed' });

    expect(denied.statusCode).toBe(200);
    const shown = await waitForStatus(id, 'denied');
    expect(shown.outcome).toBe(`denied by ${cast.manager}: not needed`);
    expect(await isMember(cast.dev2, 'read')).toBe(false);
    expect(await ledgerFor(id)).toEqual([
      'access.request.created',
      'access.request.planned',
      'access.request.denied',
      'access.request.denied',
    ]);
    await waitUntil(async () => fixture.stack.notifier.about(id).at(-1)?.kind === 'request_decided', {
      timeoutMs: 5_000,
      intervalMs: 50,
    });
    expect(fixture.stack.notifier.about(id).at(-1)).toMatchObject({ to: [cast.dev2] });
  });

  it('refuses a self-approval and a click by a non-approver, and audits both', async () => {
    const { cast } = fixture.stack;
    const id = (await file(cast.sec3, { resource: 'db', entitlement: 'write' })).json().id;
    await waitForStatus(id, 'pending_approval');

    const self = await decide(cast.sec3, id, 'approve');
    const stranger = await decide(cast.dev, id, 'approve');

    expect(self.statusCode).toBe(403);
    expect(self.json().error).toMatchObject({
      code: 'not_allowed',
      message: 'nobody may approve their own request',
    });
    expect(stranger.statusCode).toBe(403);
    expect(stranger.json().error.message).toBe(`${cast.dev} is not an approver of step 1`);
    const shown = await show(id);
    expect(shown.live.steps[0]).toMatchObject({ eligible: [cast.sec1, cast.sec2], approvedBy: [] });
    await sequenceAll(fixture.database.runtime.sql);
    const refusals = await searchLedger(
      fixture.database.runtime.sql,
      { correlation: id, type: 'access.decision.refused' },
      10,
    );
    expect(refusals.map((e) => (e.event as { actor: { id: string }; reason: string }).actor.id)).toEqual([
      cast.sec3,
      cast.dev,
    ]);
    await cancel(cast.sec3, id);
  });

  it('accepts a double click once', async () => {
    const { cast } = fixture.stack;
    const id = (await file(cast.dev2, { resource: 'db', entitlement: 'write' })).json().id;
    await waitForStatus(id, 'pending_approval');

    const [a, b] = await Promise.all([decide(cast.sec1, id, 'approve'), decide(cast.sec1, id, 'approve')]);

    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const shown = await show(id);
    expect(shown.decisions).toHaveLength(1);
    expect(shown.live.steps[0].approvedBy).toEqual([cast.sec1]);
    await cancel(cast.dev2, id);
    expect((await show(id)).status).toBe('cancelled');
  });

  it('reminds, then escalates after second-scale timeouts; the escalated approver decides', async () => {
    const { cast } = fixture.stack;
    const id = (await file(cast.dev, { resource: 'db', entitlement: 'timed' })).json().id;
    await waitForStatus(id, 'pending_approval');
    await waitUntil(
      async () => fixture.stack.notifier.about(id).some((n) => n.kind === 'approval_escalated'),
      {
        timeoutMs: 15_000,
        intervalMs: 100,
      },
    );

    const approved = await decide(cast.owner, id, 'approve');

    expect(approved.statusCode).toBe(200);
    await waitForStatus(id, 'granted');
    const expected = [
      `request_submitted:${cast.dev}`,
      `approval_needed:${cast.sec1}`,
      `approval_reminder:${cast.sec1}`,
      `approval_escalated:${cast.owner}`,
      `approval_escalated:${cast.dev}`,
      // The outbox delivers one message per recipient.
      ...[cast.owner, cast.sec1].sort().map((email) => `approval_recorded:${email}`),
      `access_provisioned:${cast.dev}`,
    ];
    // In the workflow's order as enqueued; delivered, the same set (order holds per person only).
    const enqueuedLines = async () =>
      (
        await fixture.database.runtime.sql<{ line: string }[]>`
          select notification->>'kind' || ':' || recipient as line from notification_outbox
          where notification->>'requestId' = ${id} and part = 'messages' order by id`
      ).map((row) => row.line);
    // The hand-over's message is enqueued just after the status says granted.
    await waitUntil(async () => (await enqueuedLines()).length >= expected.length, {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    expect(await enqueuedLines()).toEqual(expected);
    await waitUntil(async () => fixture.stack.notifier.about(id).length >= expected.length, {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    const delivered = fixture.stack.notifier.about(id).map((n) => `${n.kind}:${n.to.join(',')}`);
    expect(delivered.sort()).toEqual([...expected].sort());
    expect(await ledgerFor(id)).toEqual([
      'access.request.created',
      'access.request.planned',
      'access.request.reminded',
      'access.request.escalated',
      'access.request.approved',
      'access.grant.provisioned',
    ]);
  });

  it('expires a request nobody answers', async () => {
    const id = (await file(fixture.stack.cast.dev2, { resource: 'db', entitlement: 'expiring' })).json().id;

    const shown = await waitForStatus(id, 'expired', 15_000);

    expect(shown.outcome).toBe('nobody decided before the request expired');
    expect(shown.closedAt).toEqual(expect.any(String));
    expect((await ledgerFor(id)).at(-1)).toBe('access.request.expired');
  });

  it('auto-approves a low-risk request by policy, recorded as the policy', async () => {
    const id = (await file(fixture.stack.cast.dev, { resource: 'db', entitlement: 'low' })).json().id;

    const granted = await waitForStatus(id, 'granted');

    expect(granted.plan).toMatch(/^auto-approved by policy "auto-low"/);
    expect(await isMember(fixture.stack.cast.dev, 'low')).toBe(true);
    await sequenceAll(fixture.database.runtime.sql);
    const [approval] = await searchLedger(
      fixture.database.runtime.sql,
      { correlation: id, type: 'access.request.approved' },
      5,
    );
    expect(approval?.event).toMatchObject({ actor: { type: 'policy', id: 'auto-low@v1' } });
  });

  it('denies a request that would complete a separation-of-duties conflict, naming the rule', async () => {
    const { cast } = fixture.stack;
    const maker = (await file(cast.dev2, { resource: 'db', entitlement: 'maker' })).json().id;
    await waitForStatus(maker, 'granted');

    const checker = (await file(cast.dev2, { resource: 'db', entitlement: 'checker' })).json().id;

    const denied = await waitForStatus(checker, 'denied');
    expect(denied.outcome).toContain('maker-checker');
    expect(await isMember(cast.dev2, 'checker')).toBe(false);
  });

  it('revokes a 5-second grant at the target when it expires, and verifies it gone', async () => {
    const { cast } = fixture.stack;
    const id = (await file(cast.dev2, { resource: 'db', entitlement: 'read', durationSeconds: 5 })).json().id;
    await waitForStatus(id, 'pending_approval');
    await decide(cast.manager, id, 'approve');
    await decide(cast.owner, id, 'approve');
    const { grantId } = await waitForStatus(id, 'granted');
    expect(await isMember(cast.dev2, 'read')).toBe(true);

    await waitUntil(async () => (await grant(grantId)).removalVerified === true, {
      timeoutMs: 20_000,
      intervalMs: 200,
    });

    expect(await grant(grantId)).toMatchObject({ status: 'expired', removalVerified: true });
    expect(await isMember(cast.dev2, 'read')).toBe(false);
    await sequenceAll(fixture.database.runtime.sql);
    const story = await searchLedger(fixture.database.runtime.sql, { correlation: grantId }, 50);
    expect(story.map((e) => (e.event as { event_type: string }).event_type)).toEqual([
      'access.grant.provisioned',
      'access.grant.reminded',
      'access.grant.expired',
      'access.grant.deprovisioned',
      'access.grant.verified',
    ]);
  });

  it('lets the holder release a grant early', async () => {
    const { cast } = fixture.stack;
    const id = (await file(cast.dev2, { resource: 'db', entitlement: 'low' })).json().id;
    const { grantId } = await waitForStatus(id, 'granted');

    const released = await fixture.stack.api.app.inject({
      method: 'POST',
      url: `/api/v1/grants/${grantId}/release`,
      headers: bearer(fixture.stack.token(cast.dev2)),
      payload: { reason: 'done with it' },
    });
    const someoneElse = await fixture.stack.api.app.inject({
      method: 'POST',
      url: `/api/v1/grants/${grantId}/release`,
      headers: bearer(fixture.stack.token(cast.dev)),
      payload: {},
    });

    expect(released.statusCode).toBe(200);
    expect(someoneElse.statusCode).toBe(404);
    await waitUntil(async () => (await grant(grantId)).removalVerified === true, {
      timeoutMs: 15_000,
      intervalMs: 100,
    });
    expect(await grant(grantId)).toMatchObject({ status: 'released', endReason: 'done with it' });
    expect(await isMember(cast.dev2, 'low')).toBe(false);
  });

  it('provisions through a webhook that is down for a while, once it comes back', async () => {
    const received: { key: string | undefined }[] = [];
    const id = (await file(fixture.stack.cast.dev, { resource: 'hook', entitlement: 'user' })).json().id;
    await waitForStatus(id, 'provisioning');
    await new Promise((resolve) => setTimeout(resolve, 600));
    const server = createServer((request, response) => {
      received.push({ key: request.headers['idempotency-key'] as string | undefined });
      request.resume();
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(fixture.stack.webhookPort, '127.0.0.1', resolve));
    try {
      await waitForStatus(id, 'granted', 20_000);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(received).toHaveLength(1);
  });

  it('shows provisioning_failed when the target keeps failing, until an admin retries', async () => {
    let healthy = false;
    const server = createServer((request, response) => {
      request.resume();
      response.writeHead(healthy ? 204 : 503).end();
    });
    await new Promise<void>((resolve) => server.listen(fixture.stack.webhookPort, '127.0.0.1', resolve));
    try {
      const id = (await file(fixture.stack.cast.dev2, { resource: 'hook', entitlement: 'user' })).json().id;
      const failed = await waitForStatus(id, 'provisioning_failed', 20_000);
      expect(failed.outcome).toMatch(/^provisioning failed: connector_unavailable/);
      expect((await notifiedOf(id, 'provisioning_failed')).at(-1)).toMatchObject({
        kind: 'provisioning_failed',
      });

      const byEmployee = await retry(fixture.stack.cast.dev2, id);
      healthy = true;
      const byAdmin = await retry(fixture.stack.cast.admin, id);

      expect(byEmployee.statusCode).toBe(403);
      expect(byAdmin.statusCode).toBe(200);
      await waitForStatus(id, 'granted');
      expect(await ledgerFor(id)).toEqual([
        'access.request.created',
        'access.request.planned',
        'access.request.approved',
        'access.grant.provisioning_failed',
        'access.grant.provisioning_retried',
        'access.grant.provisioned',
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('fulfils a manual resource by hand: the owner grants, then removes on release', async () => {
    const { cast } = fixture.stack;
    const id = (await file(cast.dev, { resource: 'paper', entitlement: 'cabinet' })).json().id;
    await waitForStatus(id, 'awaiting_fulfilment');
    expect(
      (await notifiedOf(id, 'fulfilment_needed')).find((n) => n.kind === 'fulfilment_needed'),
    ).toMatchObject({
      kind: 'fulfilment_needed',
      to: [cast.owner],
    });

    const byRequester = await fulfil(cast.dev, `/requests/${id}/fulfilment`);
    const byOwner = await fulfil(cast.owner, `/requests/${id}/fulfilment`);

    expect(byRequester.statusCode).toBe(403);
    expect(byOwner.statusCode).toBe(200);
    const { grantId } = await waitForStatus(id, 'granted');
    await fixture.stack.api.app.inject({
      method: 'POST',
      url: `/api/v1/grants/${grantId}/release`,
      headers: bearer(fixture.stack.token(cast.dev)),
      payload: {},
    });
    await waitUntil(
      async () => fixture.stack.notifier.about(grantId).some((n) => n.kind === 'fulfilment_needed'),
      {
        timeoutMs: 20_000,
        intervalMs: 100,
      },
    );
    expect((await fulfil(cast.owner, `/grants/${grantId}/removal`)).statusCode).toBe(200);
    await waitUntil(async () => (await grant(grantId)).status === 'released', {
      timeoutMs: 20_000,
      intervalMs: 100,
    });
    // A person did it by hand: nothing can read the target back.
    await waitUntil(async () => fixture.stack.notifier.about(grantId).some((n) => n.kind === 'grant_ended'), {
      timeoutMs: 20_000,
      intervalMs: 100,
    });
    expect((await grant(grantId)).removalVerified).toBeNull();
  });

  it('refuses bad input with the field named and unknown ids with 404, changing nothing', async () => {
    const { cast } = fixture.stack;
    const post = (as: string, payload: Record<string, unknown>) =>
      fixture.stack.api.app.inject({
        method: 'POST',
        url: '/api/v1/requests',
        headers: bearer(fixture.stack.token(as)),
        payload,
      });
    const before = await fixture.database.owner.sql`select count(*)::int as n from access_requests`;

    const tooLong = await post(cast.ceo, { resource: 'db', entitlement: 'read', durationSeconds: 9 * 3_600 });
    const unknown = await post(cast.ceo, { resource: 'db', entitlement: 'nope', durationSeconds: 60 });
    const malformed = await post(cast.ceo, { resource: 'db', durationSeconds: -1 });
    const forSomeoneElse = await post(cast.dev, {
      resource: 'db',
      entitlement: 'read',
      durationSeconds: 60,
      onBehalfOf: cast.ceo,
    });
    const noSuchRequest = await decide(cast.manager, '00000000-0000-4000-8000-000000000000', 'approve');

    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.details.fields).toEqual([
      { field: 'body.durationSeconds', message: "must be at most 8h (the entitlement's maxDuration)" },
    ]);
    expect(unknown.statusCode).toBe(404);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.message).toContain('body.entitlement');
    expect(malformed.json().error.message).toContain('body.durationSeconds');
    expect(forSomeoneElse.statusCode).toBe(403);
    expect(noSuchRequest.statusCode).toBe(404);
    expect(await fixture.database.owner.sql`select count(*)::int as n from access_requests`).toEqual(before);
  });

  it('lets an admin file on behalf of someone, recorded as such', async () => {
    const { cast } = fixture.stack;
    const created = await fixture.stack.api.app.inject({
      method: 'POST',
      url: '/api/v1/requests',
      headers: bearer(fixture.stack.token(cast.admin)),
      payload: { resource: 'db', entitlement: 'read', durationSeconds: 600, onBehalfOf: cast.ceo },
    });

    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ requester: cast.ceo, submittedBy: cast.admin });
    await sequenceAll(fixture.database.runtime.sql);
    const [event] = await searchLedger(
      fixture.database.runtime.sql,
      { correlation: created.json().id, type: 'access.request.created' },
      1,
    );
    expect(event?.event).toMatchObject({ actor: { id: cast.admin, on_behalf_of: cast.ceo } });
    // The CEO has no manager to approve the first step: the plan denies it, so it ends by itself.
    await waitForStatus(created.json().id, 'denied');
  });

  it('leaves a ledger that verifies after all of the above', async () => {
    await sequenceAll(fixture.database.runtime.sql);
    const report = await verifyLedger(fixture.database.runtime.sql, {
      verifiers: fixture.stack.api.ledger.keys.verifiers,
    });
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.status).toBe('intact');
  });

  async function cancel(as: string, id: string) {
    const response = await fixture.stack.api.app.inject({
      method: 'POST',
      url: `/api/v1/requests/${id}/cancel`,
      headers: bearer(fixture.stack.token(as)),
      payload: {},
    });
    expect(response.statusCode).toBe(200);
    return response.json();
  }
  function fulfil(as: string, route: string) {
    return fixture.stack.api.app.inject({
      method: 'POST',
      url: `/api/v1${route}`,
      headers: bearer(fixture.stack.token(as)),
      payload: { outcome: 'done' },
    });
  }
  function retry(as: string, id: string) {
    return fixture.stack.api.app.inject({
      method: 'POST',
      url: `/api/v1/requests/${id}/retry`,
      headers: bearer(fixture.stack.token(as)),
      payload: {},
    });
  }
  async function grant(id: string) {
    const response = await fixture.stack.api.app.inject({
      method: 'GET',
      url: `/api/v1/grants/${id}`,
      headers: bearer(fixture.stack.token(fixture.stack.cast.admin)),
    });
    return response.json();
  }
});
