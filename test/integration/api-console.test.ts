// The console's reads over the real API, real Temporal and real PostgreSQL: the approver's inbox
// (waiting, confirmed by the live workflow state, and decided), the reviewer's inbox across
// campaigns, the admin dashboard, checkpoints and inclusion proofs (the downloaded proof passes
// `grantflow audit check-proof`), policy history, and keyset paging of the long lists: every page
// followed, no duplicates, no gaps. Role refusals and 404s as everywhere else.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { sealCheckpoint } from '../../audit/checkpoint.js';
import { recordAudit } from '../../audit/intake.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { waitUntil } from '../../core/net.js';
import { importDirectory } from '../../directory/import.js';
import { parseDirectorySource } from '../../directory/parse.js';
import { bearer, personWithToken } from '../helpers/api.js';
import { sampleEvent } from '../helpers/audit.js';
import { grantflow } from '../helpers/cli.js';
import { useRequestStack } from '../helpers/requests.js';
import { step } from '../helpers/steps.js';

type Json = Record<string, unknown> & { items?: Record<string, unknown>[]; nextCursor?: string | null };

describe('the console API', () => {
  const fixture = useRequestStack();
  let auditorToken = '';

  const call = async (token: string, url: string, method: 'GET' | 'POST' = 'GET', payload?: object) =>
    fixture.stack.api.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: bearer(token),
      ...(payload ? { payload } : {}),
    });
  const as = (email: string) => fixture.stack.token(email);
  const json = async (token: string, url: string): Promise<Json> => {
    const response = await call(token, url);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };

  /** Every item of a paged list, following nextCursor; fails on a repeated key. */
  async function allPages(token: string, url: string, keyOf: (item: Record<string, unknown>) => unknown) {
    const seen: unknown[] = [];
    const pages: number[] = [];
    let cursor: string | null | undefined;
    do {
      const sep = url.includes('?') ? '&' : '?';
      const page = await json(token, `${url}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''}`);
      pages.push(page.items?.length ?? 0);
      for (const item of page.items ?? []) seen.push(keyOf(item));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    return { keys: seen, pages };
  }

  async function file(holder: string, entitlement: string, until: string[]): Promise<string> {
    const filed = await call(as(holder), '/requests', 'POST', {
      resource: 'db',
      entitlement,
      durationSeconds: 3_600,
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const id = filed.json().id as string;
    await waitUntil(async () => until.includes((await call(as(holder), `/requests/${id}`)).json().status), {
      timeoutMs: 20_000,
      intervalMs: 100,
    });
    return id;
  }

  const waitingIds = async (email: string) =>
    (await json(as(email), '/approvals?state=waiting')).items?.map((i) => i.requestId) ?? [];

  it('shows approvers what waits for them now, confirmed by the live state, and what they decided', async () => {
    const { cast } = fixture.stack;
    auditorToken = (
      await personWithToken(fixture.database.runtime.db, { email: `irene.${cast.admin}` }, 'auditor')
    ).token;
    const [devRead, dev2Read] = await step('setup: two manager approvals, three security ones', async () => [
      await file(cast.dev, 'read', ['pending_approval']),
      await file(cast.dev2, 'read', ['pending_approval']),
      await file(cast.dev, 'write', ['pending_approval']),
      await file(cast.dev2, 'write', ['pending_approval']),
      await file(cast.manager, 'write', ['pending_approval']),
    ]);

    await step('waiting: shape, and pages of two with no duplicate and no gap', async () => {
      const page = await json(as(cast.manager), '/approvals?state=waiting');
      expect(page.items?.map((i) => i.requestId)).toEqual([dev2Read, devRead]);
      expect(page.items?.[0]).toEqual({
        requestId: dev2Read,
        status: 'pending_approval',
        requester: { email: cast.dev2, name: 'Dee Two' },
        resource: { key: 'db', name: 'Target DB' },
        entitlement: { key: 'read', name: 'read', risk: 'medium' },
        reason: null,
        durationSeconds: 3_600,
        step: { index: 0, count: 2, name: 'Manager' },
        required: 1,
        approvedBy: [],
        createdAt: expect.any(String),
      });
      const sec2 = await allPages(as(cast.sec2), '/approvals?state=waiting&limit=2', (i) => i.requestId);
      expect(sec2.pages).toEqual([2, 1]);
      expect(await waitingIds(cast.dev)).toEqual([]);
    });

    await step('deciding moves a request from waiting to decided, and on to the next step', async () => {
      const approved = await call(as(cast.manager), `/requests/${devRead}/decisions`, 'POST', {
        decision: 'approve',
        comment: 'needed for the migration',
      });
      expect(approved.statusCode, approved.body).toBe(200);
      expect(await waitingIds(cast.manager)).toEqual([dev2Read]);
      const decided = await json(as(cast.manager), '/approvals?state=decided');
      expect(decided.items).toEqual([
        expect.objectContaining({
          requestId: devRead,
          step: { index: 0, count: 2, name: 'Manager' },
          decision: {
            decision: 'approve',
            comment: 'needed for the migration',
            decidedAt: expect.any(String),
          },
        }),
      ]);
      expect(decided.nextCursor).toBeNull();
      // The stored row moves to step 1 once the workflow writes it; then the owner is asked.
      await waitUntil(async () => (await waitingIds(cast.owner)).includes(devRead), { timeoutMs: 20_000 });
      const owner = await json(as(cast.owner), '/approvals?state=waiting');
      expect(owner.items?.find((i) => i.requestId === devRead)?.step).toEqual({
        index: 1,
        count: 2,
        name: 'Owner',
      });
    });

    await step('a quorum step: an approver who approved no longer sees it waiting', async () => {
      const [first] = (await json(as(cast.sec2), '/approvals?state=waiting')).items ?? [];
      const id = first?.requestId as string;
      expect(
        (await call(as(cast.sec2), `/requests/${id}/decisions`, 'POST', { decision: 'approve' })).statusCode,
      ).toBe(200);
      expect(await waitingIds(cast.sec2)).not.toContain(id);
      const sec3 = (await json(as(cast.sec3), '/approvals?state=waiting')).items?.find(
        (i) => i.requestId === id,
      );
      expect(sec3).toMatchObject({ required: 2, approvedBy: [cast.sec2] });
    });

    await step('bad state or cursor: 400; no token: 401', async () => {
      expect((await call(as(cast.dev), '/approvals?state=maybe')).statusCode).toBe(400);
      const bad = await call(as(cast.dev), '/approvals?cursor=bm9wZQ');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details.fields[0].field).toBe('querystring.cursor');
      const none = await fixture.stack.api.app.inject({ method: 'GET', url: '/api/v1/approvals' });
      expect(none.statusCode).toBe(401);
    });
  });

  it('pages the long lists with cursors, keeping their fields', async () => {
    const { cast } = fixture.stack;
    await step('setup: three auto-approved grants', async () => {
      await file(cast.dev, 'low', ['granted']);
      await file(cast.dev2, 'low', ['granted']);
      await file(cast.dev, 'maker', ['granted']);
    });

    await step('requests: pages of two give exactly the whole list, newest first', async () => {
      const whole = (await json(as(cast.admin), '/requests?limit=500')).items?.map((r) => r.id);
      const paged = await allPages(as(cast.admin), '/requests?limit=2', (r) => r.id);
      expect(paged.keys).toEqual(whole);
      expect(paged.pages).toEqual([2, 2, 2, 2]);
      const mine = await allPages(as(cast.dev), '/requests?limit=1', (r) => r.id);
      const own = (await json(as(cast.dev), '/requests?limit=500')).items ?? [];
      expect(mine.keys).toEqual(own.map((r) => r.id));
      expect(new Set(own.map((r) => r.requester))).toEqual(new Set([cast.dev]));
    });

    await step('grants, people, resources: every row once', async () => {
      const grants = await allPages(as(cast.admin), '/grants?limit=2', (g) => g.id);
      expect(grants.pages).toEqual([2, 1]);
      const people = await allPages(as(cast.dev), '/people?limit=4', (p) => p.email);
      expect(people.keys).toEqual([...people.keys].sort());
      expect(people.keys).toHaveLength(10);
      const first = await json(as(cast.dev), '/people?limit=4');
      expect(first).toMatchObject({ total: 10, limit: 4, offset: 0, nextCursor: expect.any(String) });
      const resources = await allPages(as(cast.dev), '/resources?limit=2', (r) => r.key);
      expect(resources).toEqual({ keys: ['db', 'hook', 'paper'], pages: [2, 1] });
    });
  });

  it("shows reviewers their items across campaigns, paged, with each campaign's progress", async () => {
    const { cast } = fixture.stack;
    const campaignId = await step('setup: a campaign over the db grants', async () => {
      const launched = await call(as(cast.admin), '/campaigns', 'POST', {
        name: 'Console review',
        scope: { resources: ['db'] },
        dueInSeconds: 3_600,
        reminderEverySeconds: 3_600,
        escalateAfterSeconds: 3_600,
        defaultAction: 'keep',
      });
      expect(launched.statusCode, launched.body).toBe(201);
      const id = launched.json().campaignId as string;
      await waitUntil(async () => (await json(as(cast.admin), `/campaigns/${id}`)).status === 'reviewing', {
        timeoutMs: 20_000,
      });
      return id;
    });

    await step('open items: pages of two; the campaign items list pages too', async () => {
      const open = await allPages(as(cast.manager), '/reviews?state=open&limit=2', (i) => i.id);
      expect(open.pages).toEqual([2, 1]);
      const items = await allPages(as(cast.manager), `/campaigns/${campaignId}/items?limit=2`, (i) => i.id);
      expect(items.keys).toEqual(open.keys);
      const page = await json(as(cast.manager), '/reviews');
      expect(page.items?.[0]).toMatchObject({
        campaign: { id: campaignId, name: 'Console review', status: 'reviewing', dueAt: expect.any(String) },
        holder: { email: expect.any(String) },
        entitlement: { risk: 'low' },
        decision: null,
        delegated: false,
        escalated: false,
      });
      expect(page.progress).toEqual([expect.objectContaining({ id: campaignId, total: 3, decided: 0 })]);
      expect((await json(as(cast.dev), '/reviews')).items).toEqual([]);
    });

    await step('a decision moves the item to decided and counts in the progress', async () => {
      const [first] = (await json(as(cast.manager), '/reviews')).items ?? [];
      const kept = await call(as(cast.manager), `/campaigns/${campaignId}/decisions`, 'POST', {
        items: [first?.id],
        decision: 'keep',
      });
      expect(kept.statusCode, kept.body).toBe(200);
      const decided = await json(as(cast.manager), '/reviews?state=decided');
      expect(decided.items?.map((i) => [i.id, i.decision])).toEqual([[first?.id, 'keep']]);
      expect(decided.progress).toEqual([expect.objectContaining({ total: 3, decided: 1 })]);
      expect((await json(as(cast.manager), '/reviews?state=open')).items).toHaveLength(2);
    });
  });

  it('gives admins the dashboard, and nobody else', async () => {
    const { cast } = fixture.stack;
    const body = await json(as(cast.admin), '/dashboard');

    expect(body.openRequests).toMatchObject({ total: 5, oldestCreatedAt: expect.any(String) });
    expect((body.openRequests as { age: { count: number }[] }).age.map((a) => a.count)).toEqual([5, 0, 0, 0]);
    expect(body.grantsByRisk).toEqual([
      { risk: 'low', count: 3 },
      { risk: 'medium', count: 0 },
      { risk: 'high', count: 0 },
      { risk: 'critical', count: 0 },
    ]);
    expect(body.campaigns).toEqual([
      expect.objectContaining({ name: 'Console review', total: 3, decided: 1 }),
    ]);
    expect(body.slaBreaches).toMatchObject({
      approvals: { count: 0, oldest: [] },
      leavers: { slaSeconds: 3_600, breachedLast30Days: 0, overdueNow: 0 },
    });
    const volume = body.requestVolume as { day: string; count: number }[];
    expect(volume).toHaveLength(30);
    expect(volume.at(-1)).toEqual({ day: new Date().toISOString().slice(0, 10), count: 8 });
    expect(body.timeToApprove).toMatchObject({ autoApproved: 3, approved: 0 });
    expect(body.ledger).toMatchObject({ entries: expect.any(Number), unsealedEntries: expect.any(Number) });

    expect((await call(as(cast.dev), '/dashboard')).statusCode).toBe(403);
    expect((await call(auditorToken, '/dashboard')).statusCode).toBe(403);
  });

  it('lists checkpoints, downloads their notes, and proves an event for check-proof', async () => {
    const { cast, api } = fixture.stack;
    const { sql } = fixture.database.runtime;
    const seal = async () => {
      await sequenceAll(sql);
      return sealCheckpoint(sql, api.ledger.keys, { origin: 'test.grantflow/audit' });
    };
    const older = await seal();
    const newer = await seal();

    await step('the list: newest first, one per page, who signed', async () => {
      const listed = await allPages(auditorToken, '/audit/checkpoints?limit=1', (c) => c.id);
      expect(listed.keys.slice(0, 2)).toEqual([newer.id, older.id]);
      const [top] = (await json(as(cast.admin), '/audit/checkpoints')).items ?? [];
      expect(top).toEqual({
        id: newer.id,
        treeSize: newer.treeSize,
        rootHash: newer.rootHash,
        time: expect.any(String),
        createdAt: expect.any(String),
        keyId: expect.stringMatching(/^[0-9a-f]{8}$/),
        signedBy: [expect.stringMatching(/^grantflow-test\+[0-9a-f]{8}$/)],
        otherSignatures: [],
      });
    });

    await step('a note downloads as the signed text', async () => {
      const note = await call(auditorToken, `/audit/checkpoints/${older.id}/note`);
      expect(note.statusCode).toBe(200);
      expect(note.headers['content-type']).toMatch(/^text\/plain/);
      expect(note.headers['content-disposition']).toMatch(/^attachment; filename="checkpoint-/);
      expect(note.body).toBe(older.note);
      expect((await call(auditorToken, '/audit/checkpoints/999999/note')).statusCode).toBe(404);
    });

    await step('the proof downloads and grantflow audit check-proof accepts it', async () => {
      const [row] = await sql<{ event_id: string }[]>`
        select event_id from audit_ledger where event_type = 'access.request.created' order by seq limit 1`;
      const proof = await call(auditorToken, `/audit/events/${row?.event_id}/proof`);
      expect(proof.statusCode, proof.body).toBe(200);
      expect(proof.headers['content-disposition']).toMatch(/^attachment; filename="proof-/);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'gf-proof-'));
      const file = path.join(dir, 'proof.json');
      writeFileSync(file, proof.body);
      const services = inject('services');
      const checked = await grantflow(['audit', 'check-proof', file, '--key', api.ledger.keys.verifierKey], {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        GRANTFLOW_DATA_DIR: dir,
        TEMPORAL_ADDRESS: services.temporalAddress,
      });
      expect(checked.stdout).toContain('OK: the event is included');
      expect(checked.code).toBe(0);
    });

    await step('404s: an unknown event, and one not under a checkpoint yet (said so)', async () => {
      const unknown = await call(auditorToken, '/audit/events/00000000-0000-4000-8000-000000000000/proof');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('not_found');
      const late = await recordAudit(fixture.database.runtime.db, sampleEvent());
      await sequenceAll(sql);
      const pending = await call(auditorToken, `/audit/events/${late.event_id}/proof`);
      expect(pending.statusCode).toBe(404);
      expect(pending.json().error).toMatchObject({
        code: 'not_yet_checkpointed',
        message: expect.stringContaining('not under a signed checkpoint yet'),
      });
    });

    await step('employees are refused; every read is in the ledger', async () => {
      expect((await call(as(cast.dev), '/audit/checkpoints')).statusCode).toBe(403);
      expect((await call(as(cast.dev), `/audit/checkpoints/${older.id}/note`)).statusCode).toBe(403);
      const reads = await sql<{ action: string }[]>`
        select event->>'action' as action from audit_intake
        where event->>'event_type' in ('audit.search.performed', 'audit.export.created', 'audit.proof.created')`;
      expect(new Set(reads.map((r) => r.action))).toEqual(
        new Set(['list-checkpoints', 'checkpoint-note', 'prove']),
      );
    });
  });

  it("shows a policy's every version, newest first", async () => {
    const { cast, directorySource } = fixture.stack;
    const changed = directorySource.replace('expireAfter: 2s', 'expireAfter: 5s');
    await importDirectory(fixture.database.runtime.db, parseDirectorySource(changed, 'changed.yaml'), {
      actor: 'second-import',
    });

    // The import leaves out the auditor added above (deactivating them), so an admin asks.
    const body = await json(as(cast.admin), '/policies/expiring/versions');

    expect(body).toMatchObject({ key: 'expiring', status: 'active', currentVersion: 2 });
    expect(body.items?.map((v) => [v.version, v.createdBy])).toEqual([
      [2, 'second-import'],
      [1, 'test'],
    ]);
    expect(body.items?.[0]?.definition).toMatchObject({ expireAfter: expect.anything() });
    expect((await call(as(cast.dev), '/policies/expiring/versions')).statusCode).toBe(403);
    expect((await call(as(cast.admin), '/policies/nope/versions')).statusCode).toBe(404);
  });
});
