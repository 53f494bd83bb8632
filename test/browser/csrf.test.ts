// A forged write from another origin is refused: a page on a second local origin (same site, so
// the SameSite=Lax session cookie rides along) POSTs to the API as the signed-in victim. The API
// answers 403 csrf_failed and nothing changes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listGrants } from '../../db/queries/grants.js';
import { getPersonByEmail } from '../../db/queries/people.js';
import { signInAs, useBrowserStack } from '../helpers/browser.js';

const HANNAH = 'hannah.kim@acme.test';

/** Serves one attacker page that fires `target` as a no-cors POST (a "simple" request: no preflight). */
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
    const db = stack.database.runtime.db;
    const person = await getPersonByEmail(db, HANNAH);
    const [grant] = await listGrants(db, { personId: person?.id ?? '', status: ['active'], limit: 1 });
    expect(grant).toBeDefined();
    const target = `${stack.url}/api/v1/grants/${grant?.id}/release`;

    // Setup: Hannah is signed in to the console in this browser.
    const victim = await stack.newPage();
    await signInAs(victim, stack, HANNAH);

    // Act: in the same browser, she opens the attacker's page.
    const site = await attackerSite(target);
    try {
      const forged = victim.waitForResponse((response) => response.url() === target);
      await victim.goto(site.url);
      const response = await forged;

      // Verify: refused as a CSRF failure (so the cookie did ride along), and the grant is untouched.
      expect(response.status()).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
      expect((await response.request().allHeaders()).cookie).toContain('gf_session=');
    } finally {
      await site.close();
    }
    const [after] = await listGrants(db, { personId: person?.id ?? '', status: ['active'], limit: 50 }).then(
      (rows) => rows.filter((row) => row.id === grant?.id),
    );
    expect(after?.status).toBe('active');
  });
});
