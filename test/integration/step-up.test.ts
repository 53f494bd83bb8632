// Passkey step-up, end to end on the real API, Temporal and PostgreSQL, with a software
// authenticator answering as a browser would: registering a passkey (recorded in the ledger), a
// critical-risk approval refused without one or with a bad one (recorded, nothing decided),
// approved with a valid one (the assertion in the ledger), checked offline by
// `grantflow audit check-decision`, which catches a tampered copy; and a medium-risk approval
// that needs nothing.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decisionChallenge } from '../../audit/decision-challenge.js';
import { searchLedger } from '../../audit/read.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { findFreePort, waitUntil } from '../../core/net.js';
import { accessRequestWorkflowId } from '../../workflows/ids.js';
import { decideUpdate } from '../../workflows/messages.js';
import { bearer } from '../helpers/api.js';
import { grantflow } from '../helpers/cli.js';
import { addCriticalEntitlement, type RequestStack, startRequestStack } from '../helpers/requests.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';
import { createSoftAuthenticator, type SoftAuthenticator } from '../helpers/soft-authenticator.js';

/** The API's relying party in tests (test/helpers/api.ts): http://localhost:3000. */
const ORIGIN = 'http://localhost:3000';

type Json = Record<string, unknown>;

describe('passkey step-up on high-risk approvals', () => {
  let database: TestDatabase;
  let stack: RequestStack;
  let adminRole = '';

  beforeAll(async () => {
    database = await createTestDatabase();
    stack = await startRequestStack(database, { webhookPort: await findFreePort() });
    adminRole = await addCriticalEntitlement(database, stack);
  });
  afterAll(async () => {
    await stack?.close();
    if (stack) {
      const { default: postgres } = await import('postgres');
      const admin = postgres(inject('services').adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop role if exists "${adminRole}"`);
      await admin.end();
    }
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
  async function waitFor(id: string, done: (request: Json) => boolean) {
    await waitUntil(async () => done(await show(id)), { timeoutMs: 20_000, intervalMs: 100 });
    return show(id);
  }
  async function file(entitlement: string, as = stack.cast.dev): Promise<string> {
    const filed = await call(as, 'POST', '/requests', {
      resource: 'db',
      entitlement,
      durationSeconds: 3_600,
      reason: 'incident',
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const id = filed.json().id as string;
    await waitFor(id, (r) => r.status === 'pending_approval');
    return id;
  }
  async function ledger(filter: { correlation?: string; type?: string }) {
    await sequenceAll(database.runtime.sql);
    return (await searchLedger(database.runtime.sql, filter, 1_000)).map((e) => e.event as Json);
  }
  async function register(as: string, name: string): Promise<SoftAuthenticator> {
    const authenticator = createSoftAuthenticator(ORIGIN);
    const options = await call(as, 'POST', '/passkeys/registration-options');
    expect(options.statusCode, options.body).toBe(200);
    const created = await call(as, 'POST', '/passkeys', {
      name,
      response: authenticator.register(options.json()),
    });
    expect(created.statusCode, created.body).toBe(201);
    return authenticator;
  }
  /** The requester withdraws it, so the next test may ask for the same access. */
  const withdraw = async (id: string) => {
    const cancelled = await call(stack.cast.dev, 'POST', `/requests/${id}/cancel`, {});
    expect(cancelled.statusCode, cancelled.body).toBe(200);
  };
  const challenge = (as: string, id: string, decision: 'approve' | 'deny' = 'approve') =>
    call(as, 'POST', `/requests/${id}/decisions/challenge`, { decision });
  const approveWith = (as: string, id: string, stepUp?: object, extra: object = {}) =>
    call(as, 'POST', `/requests/${id}/decisions`, {
      decision: 'approve',
      ...(stepUp ? { stepUp } : {}),
      ...extra,
    });

  let mia: SoftAuthenticator;
  let sec: SoftAuthenticator;

  it('registers a passkey: listed for its owner, recorded in the ledger with its public key, once', async () => {
    const { cast } = stack;
    const authenticator = createSoftAuthenticator(ORIGIN);
    const options = (await call(cast.manager, 'POST', '/passkeys/registration-options')).json();
    expect(options.rp).toEqual({ name: 'grantflow', id: 'localhost' });
    expect(options.authenticatorSelection.userVerification).toBe('required');
    const response = authenticator.register(options);

    const created = await call(cast.manager, 'POST', '/passkeys', { name: 'Laptop', response });
    const replayed = await call(cast.manager, 'POST', '/passkeys', { name: 'Again', response });

    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ name: 'Laptop', lastUsedAt: null });
    expect(replayed.statusCode).toBe(400);
    expect(replayed.json().error.code).toBe('passkey_rejected');
    const listed = (await call(cast.manager, 'GET', '/passkeys')).json().items;
    expect(listed.map((p: Json) => p.name)).toEqual(['Laptop']);
    expect((await call(cast.dev, 'GET', '/passkeys')).json().items).toEqual([]);
    const [registered, ...others] = await ledger({ type: 'auth.passkey.registered' });
    expect(others).toEqual([]);
    expect(registered).toMatchObject({
      actor: { type: 'person', id: cast.manager },
      target: { type: 'person', name: cast.manager },
      action: 'register',
      result: 'success',
      details: {
        credentialId: authenticator.credentialId,
        name: 'Laptop',
        attestationFormat: 'none',
        userVerified: true,
        rpId: 'localhost',
        origin: ORIGIN,
      },
    });
    expect((registered?.details as Json | undefined)?.publicKey).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    mia = authenticator;
    sec = await register(cast.sec1, 'Security key');
  });

  it('refuses a critical-risk approval without a passkey (403 step_up_required), records it, decides nothing', async () => {
    const id = await file('admin');
    expect((await show(id)).stepUp).toBe('webauthn');

    const bare = await approveWith(stack.cast.manager, id);
    const onBehalf = await approveWith(stack.cast.admin, id, undefined, { onBehalfOf: stack.cast.manager });

    expect(bare.statusCode).toBe(403);
    expect(bare.json().error.code).toBe('step_up_required');
    expect(bare.json().error.message).toContain(`${ORIGIN}/requests/${id}/confirm?decision=approve`);
    expect(onBehalf.statusCode).toBe(403);
    expect(onBehalf.json().error.code).toBe('step_up_required');
    // Defense in depth: an update reaching the workflow by any other way is refused there too.
    const direct = stack.api.temporal.workflow
      .getHandle(accessRequestWorkflowId(id))
      .executeUpdate(decideUpdate, { args: [{ approver: stack.cast.manager, decision: 'approve' }] });
    await expect(direct).rejects.toMatchObject({ cause: { type: 'step_up_required' } });
    const after = await show(id);
    expect(after.status).toBe('pending_approval');
    expect(after.decisions).toEqual([]);
    const refused = (await ledger({ correlation: id })).filter(
      (e) => e.event_type === 'access.decision.refused',
    );
    expect(refused.map((e) => [(e.actor as Json).id, e.result, (e.details as Json).code])).toEqual([
      [stack.cast.manager, 'denied', 'step_up_required'],
      [stack.cast.admin, 'denied', 'step_up_required'],
    ]);
    await withdraw(id);
  });

  it('refuses a wrong challenge, another person’s key, a stale decidedAt and no user verification (403 step_up_failed)', async () => {
    const { cast } = stack;
    const id = await file('admin');
    const issued = await challenge(cast.manager, id);
    expect(issued.statusCode, issued.body).toBe(200);
    const { decidedAt, options, stepUp } = issued.json();
    expect(stepUp).toBe('webauthn');
    expect(options.challenge).toBe(
      decisionChallenge({ requestId: id, step: 0, decision: 'approve', approver: cast.manager, decidedAt }),
    );
    expect(options.allowCredentials).toEqual([
      { id: mia.credentialId, type: 'public-key', transports: ['internal'] },
    ]);
    expect(options.userVerification).toBe('required');
    const stale = new Date(Date.now() - 10 * 60_000).toISOString();
    const staleChallenge = decisionChallenge({
      requestId: id,
      step: 0,
      decision: 'approve',
      approver: cast.manager,
      decidedAt: stale,
    });

    const attempts = {
      // Signed over another time than the one sent: not this decision.
      wrongChallenge: await approveWith(cast.manager, id, {
        decidedAt: new Date(Date.parse(decidedAt) + 1_000).toISOString(),
        assertion: mia.assert(options),
      }),
      othersKey: await approveWith(cast.manager, id, { decidedAt, assertion: sec.assert(options) }),
      stale: await approveWith(cast.manager, id, {
        decidedAt: stale,
        assertion: mia.assert(options, { challenge: staleChallenge }),
      }),
      noUserVerification: await approveWith(cast.manager, id, {
        decidedAt,
        assertion: mia.assert(options, { flags: 0x01 }),
      }),
      wrongOrigin: await approveWith(cast.manager, id, {
        decidedAt,
        assertion: mia.assert(options, { origin: 'https://evil.example' }),
      }),
    };

    for (const [name, response] of Object.entries(attempts)) {
      expect(response.statusCode, `${name}: ${response.body}`).toBe(403);
      expect(response.json().error.code, name).toBe('step_up_failed');
    }
    expect(attempts.stale.json().error.message).toMatch(/old/);
    expect(attempts.othersKey.json().error.message).toContain(`passkey ${cast.manager} registered`);
    expect((await show(id)).decisions).toEqual([]);
    const refused = (await ledger({ correlation: id })).filter(
      (e) => e.event_type === 'access.decision.refused',
    );
    expect(refused.map((e) => (e.details as Json).code)).toEqual(Array(5).fill('step_up_failed'));
    await withdraw(id);
  });

  it('approves with a valid assertion, records it in the ledger, and check-decision verifies it offline', async () => {
    const { cast } = stack;
    const id = await file('admin');
    const { decidedAt, options } = (await challenge(cast.manager, id)).json();
    const assertion = mia.assert(options);

    const approved = await approveWith(cast.manager, id, { decidedAt, assertion });
    const replayed = await approveWith(cast.manager, id, { decidedAt, assertion });

    expect(approved.statusCode, approved.body).toBe(200);
    expect(replayed.statusCode).not.toBe(200);
    const done = await waitFor(id, (r) => r.status === 'granted');
    expect(done.decisions).toMatchObject([{ step: 0, approver: cast.manager, decision: 'approve' }]);
    const [event, ...more] = (await ledger({ correlation: id })).filter(
      (e) => e.event_type === 'access.request.approved',
    );
    expect(more).toEqual([]);
    const recorded = (event?.details as Json | undefined)?.stepUp as Json;
    expect(recorded).toEqual({
      method: 'webauthn',
      step: 0,
      decidedAt,
      challenge: options.challenge,
      credentialId: mia.credentialId,
      publicKey: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
      authenticatorData: assertion.response.authenticatorData,
      clientDataJSON: assertion.response.clientDataJSON,
      signature: assertion.response.signature,
      userHandle: assertion.response.userHandle,
      rpId: 'localhost',
      origin: ORIGIN,
    });
    const [passkey] = (await call(cast.manager, 'GET', '/passkeys')).json().items;
    expect(passkey.lastUsedAt).not.toBeNull();

    const services = inject('services');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gf-step-up-'));
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      GRANTFLOW_DATA_DIR: dir,
      DATABASE_URL: database.ownerUrl,
      DATABASE_RUNTIME_URL: database.runtimeUrl,
      TEMPORAL_ADDRESS: services.temporalAddress,
      TEMPORAL_NAMESPACE: services.temporalNamespace,
    };
    const bundle = path.join(dir, 'decision.json');
    const checked = await grantflow(
      ['audit', 'check-decision', String(event?.event_id), '--out', bundle],
      env,
    );
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toBe(
      `OK: ${cast.manager} approved step 1 of request ${id} at ${decidedAt}, signed with the passkey they registered (${mia.credentialId}).\n`,
    );
    const offline = await grantflow(['audit', 'check-decision', '--file', bundle], {
      PATH: process.env.PATH,
    });
    expect(offline.code, offline.stderr).toBe(0);

    // The same event with the request id of another request: the signature no longer covers it.
    const tampered = JSON.parse(readFileSync(bundle, 'utf8'));
    tampered.decision.event.correlation.request_id = '00000000-0000-4000-8000-000000000000';
    const tamperedFile = path.join(dir, 'tampered.json');
    writeFileSync(tamperedFile, JSON.stringify(tampered));
    const forged = await grantflow(['audit', 'check-decision', '--file', tamperedFile], {
      PATH: process.env.PATH,
    });
    expect(forged.code).toBe(1);
    expect(forged.stdout).toContain('NOT VERIFIED');
    expect(forged.stdout).toContain('the signed challenge is not the one recomputed');

    // Sec One's key swapped in for the registered one: whose key it is no longer matches.
    const swapped = JSON.parse(readFileSync(bundle, 'utf8'));
    swapped.decision.event.details.stepUp.signature = Buffer.from('nonsense').toString('base64url');
    swapped.registration.event.target.name = cast.sec1;
    writeFileSync(tamperedFile, JSON.stringify(swapped));
    const swappedCheck = await grantflow(['audit', 'check-decision', '--file', tamperedFile], {
      PATH: process.env.PATH,
    });
    expect(swappedCheck.code).toBe(1);
    expect(swappedCheck.stdout).toContain(`registered by ${cast.sec1}, not ${cast.manager}`);
    expect(swappedCheck.stdout).toContain('the signature does not verify');
  });

  it('needs no passkey for a medium-risk approval, nor to deny a critical one', async () => {
    const { cast } = stack;
    const read = await file('read');
    // Dev holds db/admin by now; Dee (same manager) asks for it.
    const critical = await file('admin', cast.dev2);
    expect((await show(read)).stepUp).toBeNull();
    const readChallenge = (await challenge(cast.manager, read)).json();
    const denyChallenge = (await challenge(cast.manager, critical, 'deny')).json();

    const approved = await approveWith(cast.manager, read);
    const denied = await call(cast.manager, 'POST', `/requests/${critical}/decisions`, {
      decision: 'deny',
      comment: 'not now',
    });

    expect(readChallenge).toMatchObject({ stepUp: null, options: null });
    expect(denyChallenge).toMatchObject({ stepUp: 'webauthn', options: null });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(denied.statusCode, denied.body).toBe(200);
    await waitFor(critical, (r) => r.status === 'denied');
    expect((await show(read)).decisions).toMatchObject([{ step: 0, approver: cast.manager }]);
  });
});
