// Console sign-in for tests: the real dev IdP (oidc-provider) and an HTTP client that signs in
// the way a browser does, following every redirect with a cookie jar and submitting the IdP's
// login form. Browser tests and other integration tests reuse it.
import { findFreePort } from '../../core/net.js';
import type { Executor } from '../../db/client.js';
import {
  type DevAccountClaims,
  type DevIdp,
  directoryAccounts,
  startDevOidcProvider,
} from '../../dev/oidc-provider.js';

/** Starts the dev IdP on a free port for a console at `publicUrl` (its accounts: the directory). */
export async function startDevIdp(
  db: Executor,
  publicUrl: string,
  options: { accounts?: (email: string) => Promise<DevAccountClaims | undefined> } = {},
): Promise<DevIdp> {
  return startDevOidcProvider({
    accounts: options.accounts ?? directoryAccounts(db),
    publicUrl,
    port: await findFreePort(),
  });
}

type StoredCookie = { name: string; value: string; host: string; path: string };

/** A minimal browser cookie jar: per host (any port, as browsers do) and path prefix. */
export class CookieJar {
  private cookies: StoredCookie[] = [];

  /** Stores the response's Set-Cookie headers (an expired or empty one deletes). */
  store(url: URL, response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expired = value === '';
      for (const attribute of attributes) {
        const [key = '', val = ''] = attribute.split('=');
        if (key.toLowerCase() === 'path') path = val;
        if (key.toLowerCase() === 'max-age' && Number(val) <= 0) expired = true;
        if (key.toLowerCase() === 'expires' && Date.parse(val) <= Date.now()) expired = true;
      }
      this.cookies = this.cookies.filter(
        (c) => !(c.name === name && c.host === url.hostname && c.path === path),
      );
      if (!expired) this.cookies.push({ name, value, host: url.hostname, path });
    }
  }

  /** The Cookie header a browser would send to `url`. */
  header(url: URL): string {
    return this.cookies
      .filter((c) => c.host === url.hostname && url.pathname.startsWith(c.path))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  /** One cookie's value for `host`, if held. */
  get(name: string, host: string): string | undefined {
    return this.cookies.find((c) => c.name === name && c.host === host)?.value;
  }

  /** Puts a cookie in the jar, as an attacker planting one would. */
  set(name: string, value: string, host: string, path = '/'): void {
    this.cookies.push({ name, value, host, path });
  }
}

/** One request with the jar's cookies, not following redirects; stores what comes back. */
export async function jarFetch(jar: CookieJar, url: string | URL, init: RequestInit = {}): Promise<Response> {
  const target = new URL(url);
  const headers = new Headers(init.headers);
  const cookie = jar.header(target);
  if (cookie) headers.set('cookie', cookie);
  const response = await fetch(target, { ...init, headers, redirect: 'manual' });
  jar.store(target, response);
  return response;
}

/** Follows redirects from `url` (GET), with the jar; returns the first non-redirect answer and its URL. */
async function follow(
  jar: CookieJar,
  url: string | URL,
  init: RequestInit = {},
): Promise<{ response: Response; url: URL; visited: URL[] }> {
  let current = new URL(url);
  let response = await jarFetch(jar, current, init);
  const visited = [current];
  for (let hops = 0; response.status >= 300 && response.status < 400; hops++) {
    if (hops > 20) throw new Error(`too many redirects from ${url}`);
    const location = response.headers.get('location');
    if (!location) throw new Error(`redirect without Location from ${current}`);
    await response.body?.cancel();
    current = new URL(location, current);
    visited.push(current);
    response = await jarFetch(jar, current);
  }
  return { response, url: current, visited };
}

/**
 * From /auth/login through the IdP's login form: returns the answer after submitting `email`
 * (the redirect chain back through /auth/callback already followed).
 */
export async function signInFlow(
  apiUrl: string,
  email: string,
  options: { jar?: CookieJar; returnTo?: string; beforeCallback?: () => Promise<void> } = {},
): Promise<{ jar: CookieJar; response: Response; url: URL; callback?: Response }> {
  const jar = options.jar ?? new CookieJar();
  const login = new URL('/auth/login', apiUrl);
  if (options.returnTo) login.searchParams.set('returnTo', options.returnTo);
  const form = await follow(jar, login);
  const html = await form.response.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (form.response.status !== 200 || !action) {
    throw new Error(`no IdP login form at ${form.url} (${form.response.status}): ${html.slice(0, 300)}`);
  }
  const submitUrl = new URL(action.replaceAll('&amp;', '&'), form.url);
  const submitted = await jarFetch(jar, submitUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email }).toString(),
  });
  if (submitted.status < 300 || submitted.status >= 400) {
    return { jar, response: submitted, url: submitUrl };
  }
  // Walk the IdP's redirects up to the console's callback, then let the test act before it.
  let current = new URL(submitted.headers.get('location') ?? '', submitUrl);
  let response = await jarFetch(jar, current);
  const api = new URL(apiUrl);
  while (response.status >= 300 && response.status < 400) {
    const next = new URL(response.headers.get('location') ?? '', current);
    await response.body?.cancel();
    if (next.host === api.host && next.pathname === '/auth/callback') {
      await options.beforeCallback?.();
      const callback = await jarFetch(jar, next, { headers: { accept: 'text/html' } });
      const location = callback.headers.get('location');
      if (!location) return { jar, response: callback, url: next, callback };
      const done = await follow(jar, new URL(location, next));
      return { jar, response: done.response, url: done.url, callback };
    }
    current = next;
    response = await jarFetch(jar, current);
  }
  return { jar, response, url: current };
}

/** Signs `email` in to the console at `apiUrl` through the dev IdP; the cookie and CSRF token to send. */
export async function signIn(
  apiUrl: string,
  email: string,
): Promise<{ cookie: string; csrfToken: string; jar: CookieJar }> {
  const { jar, url } = await signInFlow(apiUrl, email);
  const sessionUrl = new URL('/api/v1/session', apiUrl);
  const session = await jarFetch(jar, sessionUrl);
  if (session.status !== 200) {
    throw new Error(`sign-in of ${email} ended at ${url} without a session (${session.status})`);
  }
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  return { cookie: jar.header(sessionUrl), csrfToken, jar };
}
