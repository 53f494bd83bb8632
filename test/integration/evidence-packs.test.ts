// Evidence packs on real Temporal and PostgreSQL: a quarter of activity with known faults, packs for
// SOC 2 and ISO 27001 that find exactly those faults, samples re-drawn and the whole pack verified
// offline, then one byte flipped in each kind of file and the verifier naming it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../audit/intake.js';
import { type RunningSequencer, startSequencer } from '../../audit/sequencer-loop.js';
import { waitUntil } from '../../core/net.js';
import { buildPack } from '../../evidence/build.js';
import { loadControls, selectControls } from '../../evidence/controls.js';
import { validateAssessmentResults } from '../../evidence/oscal-validate.js';
import { verifyPack } from '../../evidence/verify.js';
import { zipPack } from '../../evidence/zip.js';
import { startPendingLeavers } from '../../identity/leaver.js';
import { bearer, personWithToken } from '../helpers/api.js';
import { grantflow } from '../helpers/cli.js';
import { useRequestStack } from '../helpers/requests.js';
import { step } from '../helpers/steps.js';
import { readZip, writeZip } from '../helpers/zip.js';

describe('evidence packs', () => {
  // Rubber-stamping here: more than 2 decisions within a minute.
  const fixture = useRequestStack({ rubberStamp: { items: 2, seconds: 60 } });
  let sequencer: RunningSequencer;
  const work = mkdtempSync(path.join(os.tmpdir(), 'gf-evidence-'));
  beforeAll(async () => {
    sequencer = await startSequencer(fixture.database.runtime.sql, pino({ level: 'silent' }), { pollMs: 50 });
  });
  afterAll(async () => {
    await sequencer?.stop();
    rmSync(work, { recursive: true, force: true });
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
  /** The owner's connection: faults the product itself refuses to make are written as an attacker would. */
  const owner = () => fixture.database.owner.sql;

  async function request(holder: string, entitlement: string) {
    const filed = await call(as(holder), 'POST', '/requests', {
      resource: 'db',
      entitlement,
      durationSeconds: 3_600,
      reason: 'project work',
    });
    expect(filed.statusCode, filed.body).toBe(201);
    return filed.json().id as string;
  }
  async function approve(approver: string, id: string) {
    await waitUntil(
      async () =>
        (await call(as(approver), 'POST', `/requests/${id}/decisions`, { decision: 'approve' }))
          .statusCode === 200,
      { timeoutMs: 20_000, intervalMs: 200 },
    );
  }
  async function granted(id: string): Promise<string> {
    let grantId = '';
    await waitUntil(
      async () => {
        const shown = (await call(as(fixture.stack.cast.admin), 'GET', `/requests/${id}`)).json();
        grantId = shown.grantId ?? '';
        return shown.status === 'granted';
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    return grantId;
  }

  it('finds exactly the seeded exceptions, re-draws its samples, verifies offline, and fails on any flipped byte', async () => {
    const { cast } = fixture.stack;
    const auditorEmail = `auditor.${Date.now()}@acme.test`;
    const auditor = await personWithToken(fixture.database.runtime.db, { email: auditorEmail }, 'auditor');

    const seeded = await step('a quarter of activity, with known faults', async () => {
      // Dev's read: manager, then owner; the owner's approval is then dated after provisioning, as a
      // system that provisions before approval would leave it.
      const read = await request(cast.dev, 'read');
      await approve(cast.manager, read);
      await approve(cast.owner, read);
      const readGrant = await granted(read);
      await owner()`update approval_decisions set decided_at = decided_at + interval '1 hour'
                  where request_id = ${read} and step_index = 1`;
      // Dev2's write (high risk, a quorum of security), with a self-approval slipped in.
      const write = await request(cast.dev2, 'write');
      await approve(cast.sec1, write);
      await approve(cast.sec2, write);
      const writeGrant = await granted(write);
      const [dev2] = await sql()`select id from people where email = ${cast.dev2}`;
      await owner()`insert into approval_decisions (request_id, step_index, approver_id, decision, decided_at)
                  values (${write}, 0, ${dev2?.id}, 'approve', now())`;
      // Auto-approved low access for Dev2 and Dev, Dev's given back (removed and read back).
      const low = await granted(await request(cast.dev2, 'low'));
      const devLow = await request(cast.dev, 'maker');
      const devLowGrant = await granted(devLow);
      expect(
        (await call(as(cast.dev), 'POST', `/grants/${devLowGrant}/release`, {})).statusCode,
      ).toBeLessThan(300);
      await waitUntil(
        async () =>
          (await sql()`select 1 from grants where id = ${devLowGrant} and removal_verified`).length === 1,
        {
          timeoutMs: 20_000,
          intervalMs: 100,
        },
      );
      // A campaign over the db: the manager keeps three items within seconds (rubber-stamping) and
      // revokes nothing; the CEO's item (Sec One's low access, approved by the CEO) runs past due.
      const secLow = await request(cast.sec1, 'low');
      await approve(cast.ceo, secLow);
      const secLowGrant = await granted(secLow);
      const launched = await call(as(cast.admin), 'POST', '/campaigns', {
        name: 'Q4 db review',
        scope: { resources: ['db'] },
        dueInSeconds: 12,
        reminderEverySeconds: 3_600,
        escalateAfterSeconds: 3_600,
        defaultAction: 'keep',
      });
      expect(launched.statusCode, launched.body).toBe(201);
      const campaignId = launched.json().campaignId as string;
      await waitUntil(
        async () =>
          (await call(as(cast.admin), 'GET', `/campaigns/${campaignId}`)).json().status === 'reviewing',
        {
          timeoutMs: 20_000,
          intervalMs: 100,
        },
      );
      const items = (await call(as(cast.manager), 'GET', `/campaigns/${campaignId}/items`)).json().items as {
        id: number;
        grantId: string;
      }[];
      expect(items.map((item) => item.grantId).sort()).toEqual([readGrant, writeGrant, low].sort());
      const kept = await call(as(cast.manager), 'POST', `/campaigns/${campaignId}/decisions`, {
        items: items.map((item) => item.id),
        decision: 'keep',
      });
      expect(kept.json().applied).toHaveLength(3);
      const [ceoItem] =
        await sql()`select id from campaign_items where campaign_id = ${campaignId} and grant_id = ${secLowGrant ?? ''}`;
      await waitUntil(
        async () =>
          (await call(as(cast.admin), 'GET', `/campaigns/${campaignId}`)).json().status ===
          'awaiting_signoff',
        {
          timeoutMs: 40_000,
          intervalMs: 250,
        },
      );
      // A revocation the target refused: Dev2's low access, revoked in review, failed at the target.
      const [lowItem] =
        await sql()`select id from campaign_items where campaign_id = ${campaignId} and grant_id = ${low}`;
      await sql()`update campaign_items set decision = 'revoke', reason = 'no longer needed', revocation_status = 'failed',
                  revocation_error = 'permission denied to revoke role' where id = ${lowItem?.id}`;
      // Sec One leaves, deactivated two hours before the leaver starts (SLA 1 hour): their access
      // is removed and verified, but too late.
      const [leaver] =
        await sql()`update people set status = 'inactive', deactivated_at = now() - interval '2 hours'
                                   where email = ${cast.sec1} returning id`;
      expect(
        await startPendingLeavers({
          db: fixture.database.runtime.db,
          temporal: fixture.stack.api.temporal,
          taskQueue: fixture.stack.taskQueue,
          slaSeconds: 3_600,
        }),
      ).toBe(1);
      await waitUntil(
        async () =>
          (await sql()`select 1 from audit_ledger where event_type = 'identity.leaver.completed'`).length ===
          1,
        {
          timeoutMs: 30_000,
          intervalMs: 200,
        },
      );
      // The month's log review: the security group reviews every security event and signs it off.
      const opened = await call(as(cast.admin), 'POST', '/log-reviews', {
        period: new Date().toISOString().slice(0, 7),
      });
      expect(opened.statusCode, opened.body).toBe(201);
      const logReview = opened.json().id as string;
      const events = (await call(as(cast.sec2), 'GET', `/log-reviews/${logReview}/items?limit=500`)).json()
        .items as { id: number }[];
      expect(events.length).toBeGreaterThan(0);
      const marked = await call(as(cast.sec2), 'POST', `/log-reviews/${logReview}/items/reviewed`, {
        items: events.map((event) => event.id),
      });
      expect(marked.json().reviewed).toHaveLength(events.length);
      const signedOff = await call(as(cast.sec2), 'POST', `/log-reviews/${logReview}/signoff`);
      expect(signedOff.statusCode, signedOff.body).toBe(200);
      // A ledger read by someone who holds no admin or auditor token.
      const read2 = await recordAudit(fixture.database.runtime.db, {
        event_type: 'audit.search.performed',
        actor: { type: 'person', id: cast.dev, email: cast.dev },
        target: { type: 'audit_ledger', id: 'search' },
        action: 'search',
        result: 'success',
        details: { filter: {} },
      });
      await waitUntil(
        async () => (await sql()`select 1 from audit_ledger where event_id = ${read2.event_id}`).length === 1,
        {
          timeoutMs: 10_000,
          intervalMs: 50,
        },
      );
      const [readSeq] = await sql()`select seq from audit_ledger where event_id = ${read2.event_id}`;
      return {
        read,
        readGrant,
        write,
        campaignId,
        ceoItem: String(ceoItem?.id),
        lowItem: String(lowItem?.id),
        leaver: String(leaver?.id),
        readSeq: String(readSeq?.seq),
        logReviewItems: events.length,
      };
    });

    await step('bad requests: an employee is refused and recorded; unknown names are named', async () => {
      const refused = await call(as(cast.dev), 'POST', '/evidence/packs', {
        framework: 'soc2',
        period: '2026-Q4',
      });
      expect(refused.statusCode).toBe(403);
      await waitUntil(
        async () =>
          (
            await sql()`select 1 from audit_intake where event->>'event_type' = 'security.auth.denied'
                       and event->'target'->>'type' = 'evidence_pack' and event->'actor'->>'email' = ${cast.dev}`
          ).length === 1,
        { timeoutMs: 5_000, intervalMs: 50 },
      );
      const framework = await call(auditor.token, 'POST', '/evidence/packs', {
        framework: 'pci',
        period: '2026-Q4',
      });
      expect([framework.statusCode, framework.json().error.message]).toEqual([
        400,
        expect.stringContaining('"pci"'),
      ]);
      const control = await call(auditor.token, 'POST', '/evidence/packs', {
        framework: 'soc2',
        period: '2026-Q4',
        control: 'CC9.9',
      });
      expect([control.statusCode, control.json().error.message]).toEqual([
        400,
        expect.stringContaining('"CC9.9"'),
      ]);
      const period = await call(auditor.token, 'POST', '/evidence/packs', {
        framework: 'soc2',
        period: 'Q4-2026',
      });
      expect([period.statusCode, period.json().error.message]).toEqual([
        400,
        expect.stringContaining('"Q4-2026"'),
      ]);
      expect((await sql()`select count(*)::int as n from evidence_packs`)[0]?.n).toBe(0);
    });

    const packs = await step('SOC 2 and ISO 27001 packs, built by the workflow', async () => {
      const ids: Record<string, string> = {};
      for (const framework of ['soc2', 'iso27001']) {
        const asked = await call(auditor.token, 'POST', '/evidence/packs', { framework, period: '2026-Q4' });
        expect(asked.statusCode, asked.body).toBe(202);
        ids[framework] = asked.json().id;
      }
      const files: Record<string, string> = {};
      for (const [framework, id] of Object.entries(ids)) {
        await waitUntil(
          async () => {
            const shown = (await call(auditor.token, 'GET', `/evidence/packs/${id}`)).json();
            if (shown.status === 'failed') throw new Error(`pack failed: ${shown.error}`);
            return shown.status === 'ready';
          },
          { timeoutMs: 60_000, intervalMs: 250 },
        );
        const download = await call(auditor.token, 'GET', `/evidence/packs/${id}/download`);
        expect(download.headers['content-type']).toBe('application/zip');
        files[framework] = path.join(work, `${framework}.zip`);
        writeFileSync(files[framework], download.rawPayload);
      }
      return { ids, files };
    });

    const soc2 = await readZip(packs.files.soc2!);
    const exceptionsOf = (entries: Map<string, Buffer>) =>
      Object.fromEntries(
        [...entries]
          .filter(([name]) => name.startsWith('tests/'))
          .map(([name, content]) => [
            name.slice('tests/'.length, -'.json'.length),
            (JSON.parse(content.toString()) as { exceptions: { key: string }[] }).exceptions
              .map((e) => e.key)
              .sort(),
          ]),
      );

    await step('exactly the seeded exceptions, and nothing else', async () => {
      const rubberStamper = `${seeded.campaignId}:${cast.manager}`;
      expect(exceptionsOf(soc2)).toEqual({
        grant_without_prior_approval: [seeded.readGrant],
        approver_is_requester: [seeded.write],
        approver_is_fulfiller: [],
        leaver_removed_after_sla: [seeded.leaver],
        revocation_not_verified: [`item:${seeded.lowItem}`],
        access_longer_than_maximum: [],
        ledger_read_without_role: [seeded.readSeq],
        review_after_due_date: [seeded.ceoItem],
        decision_without_rationale: [],
        reviewer_reviewed_own_access: [],
        // The manager approved Dev's read access, then certified it.
        reviewer_reviewed_access_they_fulfilled: [expect.any(String)],
        rubber_stamping: [rubberStamper],
        // The month's log review was signed off with every event reviewed.
        log_review_incomplete: [],
      });
      const fulfilled = JSON.parse(
        soc2.get('tests/reviewer_reviewed_access_they_fulfilled.json')!.toString(),
      );
      expect(fulfilled.exceptions).toHaveLength(1);
      expect(fulfilled.exceptions[0].summary).toContain(`${cast.manager} reviewed ${cast.dev}`);
      const iso = exceptionsOf(await readZip(packs.files.iso27001!));
      expect(iso.grant_without_prior_approval).toEqual([seeded.readGrant]);
      expect(iso.rubber_stamping).toEqual([rubberStamper]);
      const populations = JSON.parse(soc2.get('populations/grants_provisioned.json')!.toString());
      expect(populations).toMatchObject({
        rowCount: 5,
        snapshot: { isolation: 'repeatable read, read only' },
      });
      expect(populations.query.asRun).toContain('$1::timestamptz');
      const reviewed = JSON.parse(soc2.get('populations/log_reviews.json')!.toString());
      expect(reviewed.rowCount).toBe(seeded.logReviewItems);
      const rows = soc2.get('populations/log_reviews.csv')!.toString().trim().split('\n').slice(1);
      expect(rows).toHaveLength(seeded.logReviewItems);
      for (const row of rows) expect(row).toContain(`,signed_off,${cast.sec2},`);
      const incomplete = JSON.parse(soc2.get('tests/log_review_incomplete.json')!.toString());
      expect(incomplete).toMatchObject({ population: 'log_reviews', tested: 1 + seeded.logReviewItems });
      expect(iso.log_review_incomplete).toEqual([]);
    });

    await step('the OSCAL document validates against the OSCAL 1.0.6 schema', async () => {
      const oscal = JSON.parse(soc2.get('oscal/assessment-results.json')!.toString());
      expect(validateAssessmentResults(oscal)).toEqual({ ok: true, problems: [] });
      expect(oscal['assessment-results'].results[0].findings.length).toBe(4);
    });

    const key = fixture.stack.api.ledger.keys.verifierKey;
    await step(
      'verified offline: signature, hashes, proofs, consistency, samples re-drawn, OSCAL',
      async () => {
        for (const file of Object.values(packs.files)) {
          const result = await verifyPack(file, [key]);
          expect(result.problems).toEqual([]);
          expect(result.ok).toBe(true);
          expect(result.checked['samples re-drawn']).toBeGreaterThan(0);
          expect(result.checked['inclusion proofs']).toBeGreaterThan(10);
        }
      },
    );

    await step('the same request builds the same bytes', async () => {
      const [pack] =
        await sql()`select p.*, l.seq, to_char(l.recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as recorded_at
        from evidence_packs p join audit_ledger l on l.event_id = p.request_event_id where p.id = ${packs.ids.soc2 ?? ''}`;
      const dir = path.join(work, 'again');
      const built = await buildPack(
        { sql: fixture.database.runtime.sql, keys: fixture.stack.api.ledger.keys },
        {
          packId: packs.ids.soc2!,
          framework: 'soc2',
          period: '2026-Q4',
          controls: selectControls(loadControls(), 'soc2'),
          request: {
            seq: Number(pack?.seq),
            eventId: pack?.request_event_id,
            recordedAt: pack?.recorded_at,
            requestedBy: auditorEmail,
          },
          rubberStamp: { items: 2, seconds: 60 },
        },
        dir,
      );
      const again = await zipPack(
        dir,
        built.files.map((file) => file.path),
        path.join(work, 'again.zip'),
        new Date(pack?.recorded_at),
      );
      expect(again.sha256).toBe(pack?.sha256);
    });

    await step('one flipped byte in any kind of file fails verification, naming the file', async () => {
      const kinds = [
        'manifest.json',
        'manifest.sig',
        'populations/grants_provisioned.csv',
        'populations/grants_provisioned.json',
        'tests/rubber_stamping.json',
        'samples/CC6.2.json',
        'ledger/inclusion-proofs.jsonl',
        'ledger/end-checkpoint.note',
        'ledger/events.ocsf.jsonl',
        'oscal/assessment-results.json',
        'index.html',
        'index.pdf',
        'pack.json',
      ];
      for (const name of kinds) {
        const entries = new Map(soc2);
        const content = Buffer.from(entries.get(name) ?? Buffer.alloc(0));
        expect(content.length, name).toBeGreaterThan(0);
        const at = Math.floor(content.length / 2);
        content[at] = content[at]! ^ 0x01;
        entries.set(name, content);
        const tampered = path.join(work, 'tampered.zip');
        await writeZip(tampered, entries);
        const result = await verifyPack(tampered, [key]);
        expect(result.ok, name).toBe(false);
        expect(
          result.problems.map((problem) => problem.file),
          name,
        ).toContain(name);
      }
    });

    await step(
      'grantflow evidence verify, as the auditor runs it: exit 0 intact, 1 naming the file',
      async () => {
        const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
        const good = await grantflow(['evidence', 'verify', packs.files.soc2!, '--key', key], env);
        expect([good.code, good.stdout], good.stderr).toEqual([0, expect.stringContaining('intact')]);
        const keyless = await grantflow(['evidence', 'verify', packs.files.soc2!], env);
        expect(keyless.code).toBe(0);
        expect(keyless.stderr).toContain('the key inside the pack');
        const bad = await grantflow(
          ['evidence', 'verify', path.join(work, 'tampered.zip'), '--key', key],
          env,
        );
        expect([bad.code, bad.stdout]).toEqual([1, expect.stringContaining('pack.json: SHA-256')]);
      },
    );

    await step('an admin annotates an exception; the next pack carries it, an employee may not', async () => {
      const annotation = {
        test: 'rubber_stamping',
        key: `${seeded.campaignId}:${cast.manager}`,
        rootCause: 'Bulk keep in the review UI without opening the items',
        correctiveAction: 'Reviewer retrained; bulk keep now asks to confirm each risk level',
      };
      expect((await call(as(cast.dev), 'POST', '/evidence/annotations', annotation)).statusCode).toBe(403);
      const unknown = await call(as(cast.admin), 'POST', '/evidence/annotations', {
        ...annotation,
        test: 'nope',
      });
      expect(unknown.statusCode).toBe(400);
      const made = await call(as(cast.admin), 'POST', '/evidence/annotations', annotation);
      expect(made.statusCode, made.body).toBe(201);
      const asked = await call(auditor.token, 'POST', '/evidence/packs', {
        framework: 'soc2',
        period: '2026-Q4',
        control: 'CC6.3',
      });
      expect(asked.statusCode).toBe(202);
      const id = asked.json().id as string;
      await waitUntil(
        async () => (await call(auditor.token, 'GET', `/evidence/packs/${id}`)).json().status === 'ready',
        {
          timeoutMs: 60_000,
          intervalMs: 250,
        },
      );
      const file = path.join(work, 'annotated.zip');
      writeFileSync(file, (await call(auditor.token, 'GET', `/evidence/packs/${id}/download`)).rawPayload);
      const entries = await readZip(file);
      const [exception] = JSON.parse(entries.get('tests/rubber_stamping.json')!.toString()).exceptions;
      expect(exception.annotation).toMatchObject({
        rootCause: annotation.rootCause,
        correctiveAction: annotation.correctiveAction,
        by: cast.admin,
      });
      expect(entries.get('index.html')!.toString()).toContain('Reviewer retrained');
      expect((await verifyPack(file, [key])).problems).toEqual([]);
      const recorded =
        await sql()`select 1 from audit_intake where event->>'event_type' = 'audit.evidence.annotated'`;
      expect(recorded).toHaveLength(1);
    });
  });
});
