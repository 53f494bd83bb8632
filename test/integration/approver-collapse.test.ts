// Nobody is asked twice for one request, on real Temporal and PostgreSQL: a manager who also owns
// the resource approves once for both steps; a carried approval counts toward a quorum without
// completing it; and a policy with `distinctApprovers` excludes earlier approvers, escalating to
// someone else or, with nobody left, denying the request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { searchLedger } from '../../audit/read.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { findFreePort, waitUntil } from '../../core/net.js';
import { importDirectory } from '../../directory/import.js';
import { parseDirectorySource } from '../../directory/parse.js';
import { bearer } from '../helpers/api.js';
import { type RequestStack, startRequestStack } from '../helpers/requests.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

const ENTITLEMENTS = ['collapse', 'quorum_twice', 'distinct', 'nobody_left'] as const;

describe('one approval for consecutive steps', () => {
  let database: TestDatabase;
  let stack: RequestStack;
  const role = (key: string) => `r_${stack.roles.read}_${key}`;

  beforeAll(async () => {
    database = await createTestDatabase();
    stack = await startRequestStack(database, { webhookPort: await findFreePort() });
    const { cast } = stack;
    // A resource the requester's manager owns, with a policy per case.
    for (const key of ENTITLEMENTS) await stack.target.unsafe(`create role "${role(key)}" nologin`);
    const file = parse(stack.directorySource);
    const dbResource = file.resources.find((r: { key: string }) => r.key === 'db');
    const entitlement = (key: string, policy: string) => ({
      key,
      name: key,
      risk: 'medium',
      maxDuration: '8h',
      policy,
      target: { role: role(key) },
    });
    file.policies.push(
      { key: 'manager-then-owner', steps: [{ approvers: ['manager'] }, { approvers: ['resource_owner'] }] },
      {
        key: 'security-twice',
        steps: [{ approvers: ['group:security'] }, { approvers: ['group:security'], require: 2 }],
      },
      {
        key: 'four-eyes',
        distinctApprovers: true,
        steps: [{ approvers: ['manager'] }, { approvers: ['resource_owner'] }],
        escalateAfter: '1h',
        escalateTo: `user:${cast.ceo}`,
      },
      {
        key: 'four-eyes-alone',
        distinctApprovers: true,
        steps: [{ approvers: ['manager'] }, { approvers: ['resource_owner'] }],
        escalateAfter: '1h',
        escalateTo: `user:${cast.manager}`,
      },
    );
    file.resources.push({
      key: 'mdb',
      name: 'Manager DB',
      owner: cast.manager,
      connector: dbResource.connector,
      entitlements: [
        entitlement('collapse', 'manager-then-owner'),
        entitlement('quorum_twice', 'security-twice'),
        entitlement('distinct', 'four-eyes'),
        entitlement('nobody_left', 'four-eyes-alone'),
      ],
    });
    await importDirectory(database.runtime.db, parseDirectorySource(stringify(file), 'collapse.yaml'), {
      actor: 'test',
    });
  });
  afterAll(async () => {
    if (stack)
      for (const key of ENTITLEMENTS) await stack.target.unsafe(`drop role if exists "${role(key)}"`);
    await stack?.close();
    await database?.drop();
  });

  const call = (as: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    stack.api.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: bearer(stack.token(as)),
      ...(payload ? { payload } : {}),
    });
  const show = async (id: string) => (await call(stack.cast.admin, 'GET', `/requests/${id}`)).json();
  async function file(entitlement: string): Promise<string> {
    const filed = await call(stack.cast.dev, 'POST', '/requests', {
      resource: 'mdb',
      entitlement,
      durationSeconds: 3_600,
      reason: 'on call',
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const id = filed.json().id as string;
    await waitFor(id, (r) => r.status === 'pending_approval');
    return id;
  }
  async function waitFor(id: string, done: (request: Record<string, unknown>) => boolean) {
    await waitUntil(async () => done(await show(id)), { timeoutMs: 20_000, intervalMs: 100 });
    return show(id);
  }
  const approve = (as: string, id: string) =>
    call(as, 'POST', `/requests/${id}/decisions`, { decision: 'approve' });
  async function approvals(id: string) {
    await sequenceAll(database.runtime.sql);
    const entries = await searchLedger(database.runtime.sql, { correlation: id }, 100);
    return entries
      .map((e) => e.event as { event_type: string; actor: { id: string }; details?: Record<string, unknown> })
      .filter((e) => e.event_type === 'access.request.approved');
  }
  const askedFor = (id: string, email: string) =>
    stack.notifier.about(id).filter((n) => n.kind === 'approval_needed' && n.to.includes(email));
  /** The steps `email` was to be asked about, as the workflow enqueued them (delivered or not). */
  const stepsAskedOf = async (id: string, email: string) =>
    (
      await database.runtime.sql<{ step: string }[]>`
        select notification->'facts'->>'step' as step from notification_outbox
        where notification->>'requestId' = ${id} and recipient = ${email}
          and notification->>'kind' = 'approval_needed' order by id`
    ).map((r) => r.step);

  it('asks the manager who owns the resource once; one approval satisfies both steps', async () => {
    const { cast } = stack;
    const id = await file('collapse');
    expect((await show(id)).plan).toMatch(/^needs: your manager and the owner of Manager DB: Mia Manager$/);

    const answer = await approve(cast.manager, id);
    expect(answer.statusCode, answer.body).toBe(200);
    await waitFor(id, (r) => r.status === 'granted');

    await waitUntil(async () => stack.notifier.about(id).some((n) => n.kind === 'access_provisioned'), {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    expect(await stepsAskedOf(id, cast.manager)).toEqual(['1 of 2']);
    const recorded = await approvals(id);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.details).toMatchObject({ step: 0, satisfiedSteps: [0, 1] });
    const [member] = await stack.target`
      select 1 from pg_auth_members m join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member
      where r.rolname = ${role('collapse')} and u.rolname = ${stack.databaseUser(cast.dev)}`;
    expect(member).toBeDefined();
  });

  it('counts a carried approval toward a quorum, and refuses the same person again', async () => {
    const { cast } = stack;
    const id = await file('quorum_twice');
    expect((await approve(cast.sec1, id)).statusCode).toBe(200);
    await waitFor(id, (r) => r.currentStep === 1);

    const again = await approve(cast.sec1, id);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain(
      `${cast.sec1} already approved step 1, and that approval counts for step 2 too`,
    );
    // Only the other two are asked for step 2 (a step-1 card may be dropped as moot by then).
    await waitUntil(async () => (await stepsAskedOf(id, cast.sec2)).length === 2, {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    expect(await stepsAskedOf(id, cast.sec3)).toEqual(['1 of 2', '2 of 2']);
    expect(await stepsAskedOf(id, cast.sec1)).toEqual(['1 of 2']);

    expect((await approve(cast.sec2, id)).statusCode).toBe(200);
    await waitFor(id, (r) => r.status === 'granted');
    const recorded = await approvals(id);
    expect(recorded.map((e) => [e.actor.id, e.details?.satisfiedSteps])).toEqual([
      [cast.sec1, [0]],
      [cast.sec2, [1]],
    ]);
  });

  it('with distinctApprovers, excludes the earlier approver and escalates to someone else', async () => {
    const { cast } = stack;
    const id = await file('distinct');
    expect((await show(id)).plan).toBe(
      'needs: your manager (Mia Manager), then the owner of Manager DB (Mia Manager)',
    );
    expect((await approve(cast.manager, id)).statusCode).toBe(200);
    await waitFor(id, (r) => r.currentStep === 1);

    const twice = await approve(cast.manager, id);
    expect(twice.statusCode).toBe(403);
    expect(twice.json().error.message).toBe(
      `${cast.manager} already approved step 1; this policy needs a different approver for each step`,
    );
    await waitUntil(async () => askedFor(id, cast.ceo).length === 1, { timeoutMs: 10_000, intervalMs: 50 });
    expect(await stepsAskedOf(id, cast.manager)).toEqual(['1 of 2']);

    expect((await approve(cast.ceo, id)).statusCode).toBe(200);
    await waitFor(id, (r) => r.status === 'granted');
    const recorded = await approvals(id);
    expect(recorded.map((e) => [e.actor.id, e.details?.satisfiedSteps])).toEqual([
      [cast.manager, [0]],
      [cast.ceo, [1]],
    ]);
  });

  it('with distinctApprovers and nobody else to ask, denies the request and says why', async () => {
    const { cast } = stack;
    const id = await file('nobody_left');
    expect((await approve(cast.manager, id)).statusCode).toBe(200);
    const denied = await waitFor(id, (r) => r.status === 'denied');
    expect(denied.outcome).toMatch(
      /^nobody is left to approve step 2: this policy needs a different approver/,
    );
  });
});
