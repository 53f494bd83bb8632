import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort, waitUntil } from '../../core/net.js';
import { bearer } from '../helpers/api.js';
import { grantflow } from '../helpers/cli.js';
import { type RequestStack, startRequestStack } from '../helpers/requests.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

// grantflow campaign launch | list | status | report against a listening API.
describe('grantflow campaign', () => {
  let database: TestDatabase;
  let stack: RequestStack;
  let dataDir: string;
  let apiUrl: string;

  const as = (email: string): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: 'warn',
    GRANTFLOW_DATA_DIR: dataDir,
    GRANTFLOW_API_URL: apiUrl,
    GRANTFLOW_TOKEN: stack.token(email),
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    stack = await startRequestStack(database, { webhookPort: await findFreePort() });
    await stack.api.app.listen({ port: 0, host: '127.0.0.1' });
    apiUrl = `http://127.0.0.1:${(stack.api.app.server.address() as AddressInfo).port}`;
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'gf-cli-campaign-'));
  });
  afterAll(async () => {
    await stack?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('launches, shows and reports a campaign; refuses bad flags by name', async () => {
    const { cast } = stack;
    const filed = await stack.api.app.inject({
      method: 'POST',
      url: '/api/v1/requests',
      headers: bearer(stack.token(cast.dev)),
      payload: { resource: 'db', entitlement: 'low', durationSeconds: 3_600 },
    });
    expect(filed.statusCode).toBe(201);

    const unknown = await grantflow(
      [
        'campaign',
        'launch',
        '--name',
        'x',
        '--resource',
        'nope',
        '--due-in',
        '7d',
        '--default-action',
        'keep',
      ],
      as(cast.admin),
    );
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('--resource');
    const notAdmin = await grantflow(
      ['campaign', 'launch', '--name', 'x', '--resource', 'db', '--due-in', '7d', '--default-action', 'keep'],
      as(cast.dev),
    );
    expect(notAdmin.code).not.toBe(0);
    expect(notAdmin.stderr).toMatch(/admin/);

    await waitUntil(
      async () => {
        const [row] = await database.runtime
          .sql`select count(*)::int as n from grants where status = 'active'`;
        return row?.n === 1;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    const launched = await grantflow(
      [
        'campaign',
        'launch',
        '--name',
        'DB review',
        '--resource',
        'db',
        '--due-in',
        '7d',
        '--default-action',
        'keep',
        '--json',
      ],
      as(cast.admin),
    );
    expect(launched.code, launched.stderr).toBe(0);
    const { campaignId } = JSON.parse(launched.stdout) as { campaignId: string };
    await waitUntil(
      async () => {
        const [row] = await database.runtime.sql`select status from campaigns where id = ${campaignId}`;
        return row?.status === 'reviewing';
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );

    const status = await grantflow(['campaign', 'status', campaignId], as(cast.admin));
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/Population\s+1 grants, sha256 [0-9a-f]{64}/);
    expect(status.stdout).toMatch(/Progress\s+0 of 1 decided \(0%\)/);
    const list = await grantflow(['campaign', 'list'], as(cast.admin));
    expect(list.stdout).toContain('DB review');

    const out = path.join(dataDir, 'report.csv');
    const report = await grantflow(['campaign', 'report', campaignId, '--out', out], as(cast.admin));
    expect(report.code, report.stderr).toBe(0);
    expect(report.stderr).toContain('1 items');
    const [header, line] = readFileSync(out, 'utf8').trim().split('\n');
    expect(header).toContain('reviewerEmail');
    expect(line).toContain(cast.dev);
    expect(line).toContain(cast.manager);
  }, 60_000);
});
