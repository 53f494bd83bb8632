import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort, waitUntil } from '../../core/net.js';
import { bearer } from '../helpers/api.js';
import { grantflow } from '../helpers/cli.js';
import { type RequestStack, startRequestStack } from '../helpers/requests.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

// One request walks through these tests in order: filed, refused, approved twice, listed, released.
describe('grantflow request and grants against a listening API', () => {
  let database: TestDatabase;
  let stack: RequestStack;
  let dataDir: string;
  let apiUrl: string;
  let requestId = '';
  let grantId = '';

  /** The CLI's environment acting as `email`; no database, only the API and a token. */
  const as = (email: string): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: 'warn',
    GRANTFLOW_DATA_DIR: dataDir,
    GRANTFLOW_API_URL: apiUrl,
    GRANTFLOW_TOKEN: stack.token(email),
  });

  async function show(apiPath: string) {
    const response = await stack.api.app.inject({
      method: 'GET',
      url: `/api/v1${apiPath}`,
      headers: bearer(stack.token(stack.cast.admin)),
    });
    return response.json();
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    stack = await startRequestStack(database, { webhookPort: await findFreePort() });
    await stack.api.app.listen({ port: 0, host: '127.0.0.1' });
    apiUrl = `http://127.0.0.1:${(stack.api.app.server.address() as AddressInfo).port}`;
    // Empty: no running dev stack and no dev admin token to fall back on.
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'gf-cli-requests-'));
  });
  afterAll(async () => {
    await stack?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('files a request and prints its id, status and plan', async () => {
    const { cast } = stack;

    const created = await grantflow(
      [
        'request',
        'create',
        '--resource',
        'db',
        '--entitlement',
        'read',
        '--duration',
        '4h',
        '--reason',
        'on call',
      ],
      as(cast.dev),
    );

    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const [, id, status] = /^Request ([0-9a-f-]{36}) {2}(\S+)\n/.exec(created.stdout) ?? [];
    requestId = id ?? '';
    expect(status).toBe('pending_approval');
    expect(created.stdout).toContain(`db/read for 4h, requested for ${cast.dev}`);
    expect(created.stdout).toContain(
      'needs: your manager (Mia Manager), then the owner of Target DB (Olu Owner)',
    );
  });

  it("refuses an approval by someone who is not an approver, with the API's reason", async () => {
    const refused = await grantflow(['request', 'approve', requestId], as(stack.cast.dev2));

    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`grantflow: ${stack.cast.dev2} is not an approver of step 1\n`);
    expect((await show(`/requests/${requestId}`)).decisions).toEqual([]);
  });

  it('takes the request through the manager and the owner to granted', async () => {
    const { cast } = stack;

    const first = await grantflow(['request', 'approve', requestId, '--comment', 'ok'], as(cast.manager));
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      `Approved request ${requestId}; now waiting on step 2: 0 of 1 approval from ${cast.owner}.\n`,
    );
    const second = await grantflow(['request', 'approve', requestId], as(cast.owner));
    expect(second.code).toBe(0);
    await waitUntil(async () => (await show(`/requests/${requestId}`)).status === 'granted', {
      timeoutMs: 20_000,
      intervalMs: 100,
    });

    const shown = await grantflow(['request', 'show', requestId], as(cast.dev));

    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^Request ${requestId} {2}granted\\n`));
    expect(shown.stdout).toMatch(/ {2}plan +needs: your manager/);
    expect(shown.stdout).toMatch(new RegExp(`\\n {2}1 +approve +${cast.manager} `));
    expect(shown.stdout).toMatch(new RegExp(`\\n {2}2 +approve +${cast.owner} `));
    grantId = /\n {2}grant +(\S+)\n/.exec(shown.stdout)?.[1] ?? '';
    expect(grantId).toBe((await show(`/requests/${requestId}`)).grantId);
  });

  it('lists requests as an aligned table and as JSON', async () => {
    const [table, json] = await Promise.all([
      grantflow(['request', 'list'], as(stack.cast.dev)),
      grantflow(['request', 'list', '--json', '--status', 'granted'], as(stack.cast.admin)),
    ]);

    expect(table.code).toBe(0);
    const [header, row] = table.stdout.split('\n');
    expect(header).toMatch(/^ID +STATUS +REQUESTER +ENTITLEMENT +DURATION +CREATED$/);
    expect(row).toMatch(new RegExp(`^${requestId} {2}granted +${stack.cast.dev} +db/read +4h +\\d{4}-`));
    expect(row?.indexOf('granted')).toBe(header?.indexOf('STATUS'));
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ id: requestId, status: 'granted', requester: stack.cast.dev, grantId }),
    ]);
  });

  it('lists the grant to its holder, and release ends it', async () => {
    const listed = await grantflow(['grants', 'list'], as(stack.cast.dev));
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`\\n${grantId} {2}active +${stack.cast.dev} +db/read `));

    const released = await grantflow(['request', 'release', grantId, '--reason', 'done'], as(stack.cast.dev));

    expect(released.code).toBe(0);
    expect(released.stdout).toMatch(new RegExp(`^Grant ${grantId} is (ending|released)`));
    await waitUntil(async () => (await show(`/grants/${grantId}`)).status === 'released', {
      timeoutMs: 20_000,
      intervalMs: 100,
    });
  });

  it('refuses a bad duration locally, a too long one naming the flag, and a missing token', async () => {
    const { cast } = stack;
    const create = ['request', 'create', '--resource', 'db', '--entitlement', 'write', '--duration'];

    const [garbled, tooLong, tokenless] = await Promise.all([
      // A dead API address: the refusal must come before any call.
      grantflow([...create, '4 hours'], { ...as(cast.dev), GRANTFLOW_API_URL: 'http://127.0.0.1:9' }),
      grantflow([...create, '9h'], as(cast.dev)),
      grantflow(['grants', 'list'], { ...as(cast.dev), GRANTFLOW_TOKEN: '' }),
    ]);

    expect(garbled.code).toBe(1);
    expect(garbled.stderr).toBe(
      'grantflow: --duration: invalid duration "4 hours": must be a duration: a whole number and a unit ' +
        '(s, m, h, d or w), like "45s", "30m", "4h", "2d", "1w" or "1h30m"\n',
    );
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toBe(
      "grantflow: Invalid request:\n  --duration: must be at most 8h (the entitlement's maxDuration)\n",
    );
    expect(tokenless.code).toBe(1);
    expect(tokenless.stderr).toContain('grantflow token create --user <email> --role employee');
    const { items } = await show(`/requests?requester=${encodeURIComponent(cast.dev)}`);
    expect(items).toHaveLength(1);
  });
});
