// Console sign-in end to end over HTTP: the real API on a port, the real dev IdP (oidc-provider),
// the production relying party (openid-client), sessions in PostgreSQL.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../audit/events.js';
import { findFreePort } from '../../core/net.js';
import { groupMembers, groups, people } from '../../db/schema.js';
import { type DevAccountClaims, type DevIdp, directoryAccounts } from '../../dev/oidc-provider.js';
import { bearer, personWithToken, startTestApi, type TestApi } from '../helpers/api.js';
import { CookieJar, jarFetch, signIn, signInFlow, startDevIdp } from '../helpers/dev-idp.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

const TOM = 'tom.becker@acme.test';
const RUTH = 'ruth.adeyemi@acme.test';
const IRENE = 'irene.walsh@acme.test';
const IVAN = 'ivan.left@acme.test';

/** The IdP may vouch for someone the directory does not (or not so): per email, for one test. */
const vouched = new Map<string, DevAccountClaims>();

async function consoleStack(
  database: TestDatabase,
  policy: { idleSeconds?: number; maxSeconds?: number } = {},
  signInPerMinute = 1_000,
): Promise<{ api: TestApi; idp: DevIdp; url: string }> {
  const publicUrl = `http://127.0.0.1:${await findFreePort()}`;
  const directory = directoryAccounts(database.runtime.db);
  const idp = await startDevIdp(database.runtime.db, publicUrl, {
    accounts: async (email) => vouched.get(email) ?? directory(email),
  });
  const api = await startTestApi(database, {
    publicUrl,
    console: {
      oidc: { issuer: idp.issuer, clientId: idp.clientId },
      policy,
      signInPerMinute,
    },
  });
  return { api, idp, url: publicUrl };
}

async function seedDirectory(database: TestDatabase): Promise<void> {
  const db = database.runtime.db;
  const rows = await db
    .insert(people)
    .values([
      { email: TOM, name: 'Tom Becker' },
      { email: RUTH, name: 'Ruth Adeyemi' },
      { email: IRENE, name: 'Irene Walsh' },
      { email: IVAN, name: 'Ivan Left', status: 'inactive' },
    ])
    .returning({ id: people.id, email: people.email });
  const id = (email: string) => rows.find((r) => r.email === email)?.id ?? '';
  const [admins, auditors] = await db
    .insert(groups)
    .values([
      { key: 'grantflow-admins', name: 'grantflow admins' },
      { key: 'auditors', name: 'Auditors' },
    ])
    .returning({ id: groups.id });
  await db.insert(groupMembers).values([
    { groupId: admins?.id ?? '', personId: id(RUTH) },
    { groupId: auditors?.id ?? '', personId: id(IRENE) },
  ]);
}

/** The error of an error answer. */
const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string } }).error;

type SessionBody = {
  person: { email: string };
  role: string;
  csrfToken: string;
  expiresAt: string;
  idleExpiresAt: string;
};

describe('console sign-in and sessions', () => {
  let database: TestDatabase;
  let stack: Awaited<ReturnType<typeof consoleStack>>;
  const sql = () => database.runtime.sql;
  const rows = async (table: 'console_sessions' | 'access_requests', where = sql()`true`) => {
    const [row] = await sql()<{ n: number }[]>`select count(*)::int as n from ${sql()(table)} where ${where}`;
    return row?.n;
  };
  const ledger = async (type: string) =>
    sql()<{ event: AuditEvent }[]>`
      select event from audit_intake where event->>'event_type' = ${type} order by id`;

  beforeAll(async () => {
    database = await createTestDatabase();
    stack = await consoleStack(database);
  });
  beforeEach(() => seedDirectory(database));
  afterEach(async () => {
    vouched.clear();
    await database.truncate();
  });
  afterAll(async () => {
    await stack?.api.close();
    await stack?.idp.close();
    await database.drop();
  });

  it.each([
    [TOM, 'employee'],
    [RUTH, 'admin'],
    [IRENE, 'auditor'],
  ])('signs %s in through the IdP with the role %s from the directory', async (email, role) => {
    const { jar, url } = await signInFlow(stack.url, email, { returnTo: '/requests?state=open' });

    expect(url.pathname + url.search).toBe('/requests?state=open');
    const response = await jarFetch(jar, `${stack.url}/api/v1/session`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as SessionBody;
    expect(body).toMatchObject({ person: { email }, role });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(body.idleExpiresAt)).toBeLessThanOrEqual(Date.parse(body.expiresAt));
    const [started] = await ledger('auth.session.started');
    expect(started?.event).toMatchObject({
      actor: { id: email },
      result: 'success',
      details: { role },
      source: { service: 'grantflow-console' },
    });
  });

  it('admits a session on role-guarded routes with the same refusals as a token', async () => {
    const tom = await signIn(stack.url, TOM);
    const ruth = await signIn(stack.url, RUTH);
    const overview = `${stack.url}/api/v1/people/overview?email=${TOM}`;

    const refused = await fetch(overview, { headers: { cookie: tom.cookie } });
    const allowed = await fetch(overview, { headers: { cookie: ruth.cookie } });

    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).message).toContain('you are signed in as employee');
    expect(allowed.status).toBe(200);
  });

  it('sends only a same-origin path as returnTo', async () => {
    for (const evil of ['https://evil.test/x', '//evil.test/x', '/\\evil.test', 'javascript:alert(1)']) {
      const { url } = await signInFlow(stack.url, TOM, { returnTo: evil });
      expect(`${url.origin}${url.pathname}`).toBe(`${stack.url}/`);
    }
  });

  it('sets the session cookie HttpOnly, Secure, SameSite=Lax, Path=/', async () => {
    const { callback } = await signInFlow(stack.url, TOM);

    const header = callback?.headers.getSetCookie().find((c) => c.startsWith('gf_session=')) ?? '';
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; Secure/);
    expect(header).toMatch(/; SameSite=Lax/);
    expect(header).toMatch(/; Path=\/(;|$)/);
  });

  it('never adopts a session cookie the browser had before (fixation)', async () => {
    const jar = new CookieJar();
    const planted = 'A'.repeat(43);
    jar.set('gf_session', planted, '127.0.0.1');
    await signInFlow(stack.url, TOM, { jar });
    const first = jar.get('gf_session', '127.0.0.1');
    await signInFlow(stack.url, TOM, { jar });
    const second = jar.get('gf_session', '127.0.0.1');

    expect(first).toBeDefined();
    expect(first).not.toBe(planted);
    expect(second).not.toBe(first);
    const withPlanted = await fetch(`${stack.url}/api/v1/session`, {
      headers: { cookie: `gf_session=${planted}` },
    });
    expect(withPlanted.status).toBe(401);
  });

  it('refuses cookie writes without the CSRF token, with a wrong one or from another origin, changing nothing', async () => {
    const tom = await signIn(stack.url, TOM);
    const body = JSON.stringify({ resource: 'payments-db', entitlement: 'read', durationSeconds: 3_600 });
    const post = (headers: Record<string, string>) =>
      fetch(`${stack.url}/api/v1/requests`, {
        method: 'POST',
        headers: { cookie: tom.cookie, 'content-type': 'application/json', ...headers },
        body,
      });

    const attempts = [
      await post({}),
      await post({ 'x-csrf-token': 'B'.repeat(43) }),
      await post({ 'x-csrf-token': tom.csrfToken, origin: 'https://evil.test' }),
      await post({ 'x-csrf-token': tom.csrfToken, 'sec-fetch-site': 'cross-site' }),
    ];

    for (const response of attempts) {
      expect(response.status).toBe(403);
      expect((await errorOf(response)).code).toBe('csrf_failed');
    }
    expect(await rows('access_requests')).toBe(0);
    const refusals = await ledger('auth.csrf.refused');
    expect(refusals.map((r) => r.event.reason)).toEqual([
      'the x-csrf-token header is missing',
      'the x-csrf-token header is wrong',
      'the request came from another origin (https://evil.test)',
      'the request came from another site (Sec-Fetch-Site: cross-site)',
    ]);
    // With the token and its own origin the same call gets past the check (to the use case's answer).
    const passed = await post({ 'x-csrf-token': tom.csrfToken, origin: stack.url });
    expect((await errorOf(passed)).code).not.toBe('csrf_failed');
  });

  it('keeps bearer tokens working without a CSRF token', async () => {
    const admin = await personWithToken(database.runtime.db, { email: 'ops@acme.test' }, 'admin');

    const read = await fetch(`${stack.url}/api/v1/people`, { headers: bearer(admin.token) });
    const write = await fetch(`${stack.url}/api/v1/requests`, {
      method: 'POST',
      headers: { ...bearer(admin.token), 'content-type': 'application/json' },
      body: '{}',
    });

    expect(read.status).toBe(200);
    expect(write.status).toBe(400);
    expect((await errorOf(write)).code).toBe('validation_failed');
  });

  it('signs out: the session is gone server-side and the cookie cleared', async () => {
    const tom = await signIn(stack.url, TOM);
    const withoutToken = await fetch(`${stack.url}/auth/logout`, {
      method: 'POST',
      headers: { cookie: tom.cookie },
    });
    expect(withoutToken.status).toBe(403);

    const logout = await fetch(`${stack.url}/auth/logout`, {
      method: 'POST',
      headers: { cookie: tom.cookie, 'x-csrf-token': tom.csrfToken },
    });

    expect(logout.status).toBe(204);
    expect(logout.headers.getSetCookie().find((c) => c.startsWith('gf_session='))).toMatch(
      /Max-Age=0|Expires=Thu, 01 Jan 1970/,
    );
    const after = await fetch(`${stack.url}/api/v1/session`, { headers: { cookie: tom.cookie } });
    expect(after.status).toBe(401);
    const people = await fetch(`${stack.url}/api/v1/people`, { headers: { cookie: tom.cookie } });
    expect(people.status).toBe(401);
    expect(await rows('console_sessions')).toBe(0);
    expect(await ledger('auth.session.ended')).toHaveLength(1);
  });

  it.each([
    ['someone the directory does not know', 'mallory@acme.test', true, 'unknown_person'],
    ['an inactive person', IVAN, true, 'inactive_person'],
    ['an unverified email', TOM, false, 'email_unverified'],
  ])('refuses %s and records it', async (_what, email, verified, code) => {
    vouched.set(email, { email, email_verified: verified, name: 'Someone' });

    const { response, callback, jar } = await signInFlow(stack.url, email);

    expect(callback?.status).toBe(403);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('Sign-in refused');
    expect(jar.get('gf_session', '127.0.0.1')).toBeUndefined();
    const [refused] = await ledger('auth.session.refused');
    expect(refused?.event).toMatchObject({ actor: { id: email }, result: 'denied', details: { code } });
    expect(await rows('console_sessions')).toBe(0);
  });

  it('refuses a callback that was not started here, and records it', async () => {
    const response = await fetch(`${stack.url}/auth/callback?code=x&state=y`);

    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('sign_in_failed');
    const [refused] = await ledger('auth.session.refused');
    expect(refused?.event).toMatchObject({ result: 'failure', details: { code: 'sign_in_failed' } });
  });

  it('ends a session whose role the directory took away, and records it', async () => {
    const ruth = await signIn(stack.url, RUTH);
    await sql()`delete from group_members where person_id = (select id from people where email = ${RUTH})`;

    const after = await fetch(`${stack.url}/api/v1/session`, { headers: { cookie: ruth.cookie } });
    const people = await fetch(`${stack.url}/api/v1/people`, { headers: { cookie: ruth.cookie } });

    expect(after.status).toBe(401);
    expect(people.status).toBe(401);
    const [ended] = await ledger('auth.session.ended');
    expect(ended?.event).toMatchObject({
      actor: { type: 'system' },
      reason: 'the directory now gives employee, not admin',
    });
    const again = await signIn(stack.url, RUTH);
    const session = await fetch(`${stack.url}/api/v1/session`, { headers: { cookie: again.cookie } });
    expect(((await session.json()) as SessionBody).role).toBe('employee');
  });

  it('ends a session once its person is inactive', async () => {
    const tom = await signIn(stack.url, TOM);
    await sql()`update people set status = 'inactive' where email = ${TOM}`;

    const after = await fetch(`${stack.url}/api/v1/session`, { headers: { cookie: tom.cookie } });

    expect(after.status).toBe(401);
  });

  it('sends the strict CSP and helmet headers on the console and on API answers', async () => {
    for (const path of ['/', '/api/v1/session', '/healthz']) {
      const response = await fetch(`${stack.url}${path}`);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("form-action 'self'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      // http public URL: no HSTS.
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
  });

  describe('timeouts and limits', () => {
    let short: Awaited<ReturnType<typeof consoleStack>>;
    let limited: Awaited<ReturnType<typeof consoleStack>>;
    beforeAll(async () => {
      short = await consoleStack(database, { idleSeconds: 2, maxSeconds: 4 });
      limited = await consoleStack(database, {}, 3);
    });
    afterAll(async () => {
      await Promise.all([short?.api.close(), limited?.api.close()]);
      await Promise.all([short?.idp.close(), limited?.idp.close()]);
    });

    it('ends a session left idle past the idle timeout', async () => {
      const tom = await signIn(short.url, TOM);
      await sleep(2_500);

      const response = await fetch(`${short.url}/api/v1/session`, { headers: { cookie: tom.cookie } });

      expect(response.status).toBe(401);
    });

    it('ends a session in use at the absolute timeout', async () => {
      const tom = await signIn(short.url, TOM);
      const seen: number[] = [];
      for (let i = 0; i < 3; i++) {
        await sleep(1_200);
        seen.push((await fetch(`${short.url}/api/v1/session`, { headers: { cookie: tom.cookie } })).status);
      }
      await sleep(1_000);
      const late = await fetch(`${short.url}/api/v1/session`, { headers: { cookie: tom.cookie } });

      expect(seen).toEqual([200, 200, 200]);
      expect(late.status).toBe(401);
    });

    it('limits sign-in attempts per address with 429 in the error shape', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const response = await fetch(`${limited.url}/auth/login`, { redirect: 'manual' });
        statuses.push(response.status);
        if (response.status === 429) expect((await errorOf(response)).code).toBe('rate_limited');
      }

      expect(statuses).toEqual([302, 302, 302, 429]);
    });
  });
});
