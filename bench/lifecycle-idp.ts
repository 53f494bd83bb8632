// The identity provider of the SCIM part (lifecycle-scim.ts): CLIENTS concurrent HTTP clients with
// one SCIM connection token, pushing as Okta does. Per user, a `GET /Users?filter=userName eq "…"`
// that finds nobody, then `POST /Users` with the enterprise extension (manager, department);
// managers before their reports, so `manager.value` always names a known user. Per group, a
// `POST /Groups` and then one `PATCH` adding its members.
import { counter, inLanes } from './lifecycle-stack.js';

/** Concurrent IdP clients (and as many for the baseline). */
export const CLIENTS = 8;
/** Members each pushed group gets in its PATCH. */
export const MEMBERS_PER_GROUP = 20;
/** People per manager in the pushed org chart. */
const REPORTS_PER_MANAGER = 10;

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

type Scim = (method: string, url: string, body: unknown, expected: number) => Promise<{ id?: string }>;

/**
 * A SCIM client for one connection token. `stop()` aborts the calls in flight and refuses new
 * ones (the part is stopping). A controller per call: undici leaves a listener on a signal for
 * every request it was given, so one signal shared by thousands of calls would pile them up.
 */
export function scimClient(base: string, token: string): { call: Scim; stop(): void } {
  const inFlight = new Set<AbortController>();
  let stopped = false;
  const call: Scim = async (method, url, body, expected) => {
    if (stopped) throw new Error('the bench is stopping');
    const controller = new AbortController();
    inFlight.add(controller);
    try {
      const response = await fetch(`${base}/scim/v2${url}`, {
        method,
        signal: controller.signal,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (response.status !== expected) throw new Error(`${method} ${url}: ${response.status} ${text}`);
      return text === '' ? {} : (JSON.parse(text) as { id?: string });
    } finally {
      inFlight.delete(controller);
    }
  };
  return {
    call,
    stop() {
      stopped = true;
      for (const controller of inFlight) controller.abort();
    },
  };
}

/** The users of one push: login, names, and the index of the manager (always an earlier user). */
export function pushedUsers(prefix: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    login: `${prefix}-${String(i).padStart(6, '0')}@bench.test`,
    given: `${prefix[0]?.toUpperCase()}${prefix.slice(1)}`,
    family: `N${i}`,
    manager: i === 0 ? undefined : Math.floor((i - 1) / REPORTS_PER_MANAGER),
    department: `dept-${i % 25}`,
    employeeNumber: String(100_000 + i),
    externalId: `${prefix}${i}`,
  }));
}

type Latencies = { get: number[]; post: number[] };

/** Pushes `users` as an IdP does; resolves their SCIM ids in order. */
export async function pushUsers(scim: Scim, users: ReturnType<typeof pushedUsers>, label: string) {
  const ids: Promise<string>[] = [];
  const settle: { resolve(id: string): void; reject(error: unknown): void }[] = [];
  for (let i = 0; i < users.length; i++) {
    ids.push(new Promise((resolve, reject) => settle.push({ resolve, reject })));
    ids[i]?.catch(() => {}); // a failed manager fails its reports; the first failure is what is thrown
  }
  const latencies: Latencies = { get: [], post: [] };
  const tick = counter(label, users.length);
  await inLanes(users, CLIENTS, async (user, i) => {
    try {
      const manager = user.manager === undefined ? undefined : await ids[user.manager];
      const t0 = performance.now();
      const filter = encodeURIComponent(`userName eq "${user.login}"`);
      await scim('GET', `/Users?filter=${filter}&startIndex=1&count=100`, undefined, 200);
      const t1 = performance.now();
      const created = await scim(
        'POST',
        '/Users',
        {
          schemas: [USER, ENTERPRISE],
          userName: user.login,
          externalId: `00u${user.externalId}`,
          name: { givenName: user.given, familyName: user.family },
          displayName: `${user.given} ${user.family}`,
          emails: [{ primary: true, value: user.login, type: 'work' }],
          active: true,
          [ENTERPRISE]: {
            department: user.department,
            employeeNumber: user.employeeNumber,
            ...(manager ? { manager: { value: manager } } : {}),
          },
        },
        201,
      );
      latencies.get.push(t1 - t0);
      latencies.post.push(performance.now() - t1);
      settle[i]?.resolve(created.id ?? '');
      tick();
    } catch (error) {
      settle[i]?.reject(error);
      throw error;
    }
  });
  return { ids: await Promise.all(ids), latencies };
}

/** Pushes `count` groups, each created empty and then given its members by one PATCH. */
export async function pushGroups(
  scim: Scim,
  prefix: string,
  count: number,
  userIds: string[],
  label: string,
) {
  const patchMs: number[] = [];
  const tick = counter(label, count);
  await inLanes(
    Array.from({ length: count }, (_, g) => g),
    CLIENTS,
    async (g) => {
      const created = await scim(
        'POST',
        '/Groups',
        { schemas: [GROUP], displayName: `${prefix} ${g}`, externalId: `00g${prefix}${g}`, members: [] },
        201,
      );
      const members = Array.from({ length: MEMBERS_PER_GROUP }, (_, k) => ({
        value: userIds[(g * MEMBERS_PER_GROUP + k) % userIds.length] ?? '',
      }));
      const started = performance.now();
      await scim(
        'PATCH',
        `/Groups/${created.id}`,
        { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: members }] },
        204,
      );
      patchMs.push(performance.now() - started);
      tick();
    },
  );
  return patchMs;
}
