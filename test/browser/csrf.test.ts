// A forged write from another origin is refused: a page on a second local origin (same site, so
// the SameSite=Lax session cookie rides along) POSTs to the API as the signed-in victim. The
// forgery is a "simple" request (no body, no preflight), so nothing but the CSRF check stands in
// its way: the target is sign-out, which takes no body (writes with a JSON body cannot be sent
// cross-origin without a preflight the API never grants). The API answers 403 csrf_failed, records
// the refusal, and the victim stays signed in.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { searchLedger } from '../../audit/read.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { signInAs, useBrowserStack } from '../helpers/browser.js';

const HANNAH = 'hannah.kim@acme.test';

/** Serves one attacker page that fires `target` as a no-cors POST with the browser's cookies. */
async function attackerSite(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const page = `<!doctype html><html lang="en"><head><title>Win a prize</title></head><body><h1>Win a prize</h1>
<script>fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', credentials: 'include' });</script></body></html>`;
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('CSRF protection of the console', () => {
  const fixture = useBrowserStack();

  it('refuses a write another origin makes with the victim’s session cookie, and changes nothing', async () => {
    const { stack } = fixture;
    const target = `${stack.url}/auth/logout`;

    // Setup: Hannah is signed in to the console in this browser.
    const victim = await stack.newPage();
    await signInAs(victim, stack, HANNAH);

    // Act: in the same browser, she opens the attacker's page. The API's Cross-Origin-Resource-
    // Policy keeps the answer from the attacker's script, so the test reads it off the wire (CDP).
    const cdp = await victim.context().newCDPSession(victim);
    await cdp.send('Network.enable');
    // The extra-info events may come before the request's own: keep all, match at the end.
    const ids = new Set<string>();
    const sentHeaders = new Map<string, Record<string, string>>();
    const statuses = new Map<string, number>();
    cdp.on('Network.requestWillBeSent', (event) => {
      if (event.request.url === target) ids.add(event.requestId);
    });
    cdp.on('Network.requestWillBeSentExtraInfo', (event) => {
      sentHeaders.set(event.requestId, event.headers as Record<string, string>);
    });
    cdp.on('Network.responseReceivedExtraInfo', (event) => {
      statuses.set(event.requestId, event.statusCode);
    });
    const answered = () => [...ids].flatMap((id) => statuses.get(id) ?? []);
    const site = await attackerSite(target);
    try {
      await victim.goto(site.url);
      await expect.poll(() => answered().length).toBe(1);
    } finally {
      await site.close();
    }

    // Verify: the browser sent the victim's cookie from the other origin, the API refused it as a
    // CSRF failure and recorded that, and the session still works.
    const [id] = ids;
    const headers = Object.fromEntries(
      Object.entries(sentHeaders.get(id ?? '') ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    );
    expect(headers.cookie).toContain('gf_session=');
    expect(headers.origin).not.toBe(stack.url);
    expect(answered()).toEqual([403]);
    await sequenceAll(stack.database.runtime.sql);
    const refused = await searchLedger(stack.database.runtime.sql, { type: 'auth.csrf.refused' }, 100);
    expect(refused.map((row) => JSON.stringify(row.event))).toEqual([expect.stringContaining(HANNAH)]);
    await victim.goto(stack.url);
    await expect.poll(() => victim.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
  });
});
