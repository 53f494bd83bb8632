// The dev stack's demo webhook receiver against the real webhook connector: the example company's
// webhook resources, imported into a real database, granted, read back and revoked over HTTP.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Connector,
  type ConnectorResource,
  createConnectors,
  type ProvisionInput,
  signWebhookBody,
  WEBHOOK_HEADERS,
} from '../../connectors/index.js';
import { getResourceByKey } from '../../db/queries/resources.js';
import { type DemoWebhookReceiver, startDemoWebhookReceiver } from '../../dev/demo-webhooks.js';
import { importDirectory } from '../../directory/import.js';
import { parseDirectorySource } from '../../directory/parse.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

const ACME = readFileSync(new URL('../../examples/acme.yaml', import.meta.url), 'utf8');
const log = pino({ level: 'silent' });
const TOM = { email: 'tom.becker@acme.test', name: 'Tom Becker' };
const HANNAH = { email: 'hannah.kim@acme.test', name: 'Hannah Kim' };

describe('the demo webhook receiver of grantflow dev', () => {
  let database: TestDatabase;
  let dataDir: string;
  let env: Record<string, string | undefined>;
  let receiver: DemoWebhookReceiver | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    await importDirectory(database.runtime.db, parseDirectorySource(ACME, 'acme.yaml'), {
      actor: 'cli:test',
    });
  });
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await database?.drop();
  });

  const start = async () => {
    receiver = await startDemoWebhookReceiver(database.runtime.db, env, dataDir, log);
    return receiver;
  };
  const fresh = (overrides: Record<string, string> = {}) => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'grantflow-demo-webhooks-'));
    env = { ...overrides };
  };
  // The connector the worker would build for this resource, reading `env` per call.
  const connectorOf = async (key: string, extra: Record<string, unknown> = {}): Promise<Connector> => {
    const row = await getResourceByKey(database.runtime.db, key);
    const resource = {
      key,
      connector: { kind: row?.connectorKind, ...(row?.connectorConfig as object), ...extra },
    } as ConnectorResource;
    return createConnectors(env, { webhookTimeoutMs: 2_000 }).forResource(resource);
  };
  const access = (entitlementKey: string, person = TOM, resourceKey = 'github'): ProvisionInput => ({
    grantId: randomUUID(),
    person,
    resourceKey,
    entitlementKey,
    target: { team: 'readers' },
  });

  it('grants, reads back and revokes through the real connector, each call idempotent', async () => {
    // Setup
    fresh();
    const { lines, url } = await start();
    const github = await connectorOf('github');
    const read = access('read');

    // Act / Verify: the receiver is where the catalog's variables now point.
    expect(env.GITHUB_WEBHOOK_URL).toBe(`${url}/hooks/github`);
    expect(env.GITHUB_WEBHOOK_SECRET).toMatch(/^[\w-]{32}$/);
    expect(env.AWS_WEBHOOK_URL).toBe(`${url}/hooks/aws-prod`);
    expect(lines[0]).toMatch(
      /^webhook receiver on http:\/\/127\.0\.0\.1:\d+ for aws-prod, github, okta-admin /,
    );
    expect(await github.check?.(read)).toBe('absent');

    expect(await github.grant(read)).toMatchObject({ outcome: 'done' });
    expect(await github.grant(read)).toMatchObject({ outcome: 'done' });
    expect(await github.check?.(read)).toBe('present');

    expect(await github.revoke(read)).toMatchObject({ outcome: 'done' });
    expect(await github.revoke(read)).toMatchObject({ outcome: 'done' });
    expect(await github.check?.(read)).toBe('absent');
    // A grant attempt arriving after the revoke (its answer was lost) is not applied again.
    await github.grant(read);
    expect(await github.check?.(read)).toBe('absent');
  });

  it('holds the imported access from the start, so it reads back as present', async () => {
    fresh();
    const { lines } = await start();

    expect(await (await connectorOf('github')).check?.(access('read', HANNAH))).toBe('present');
    expect(await (await connectorOf('github')).check?.(access('write', HANNAH))).toBe('present');
    expect(await (await connectorOf('github')).check?.(access('org_admin', HANNAH))).toBe('absent');
    const marcus = { email: 'marcus.chen@acme.test', name: 'Marcus Chen' };
    expect(await (await connectorOf('aws-prod')).check?.(access('administrator', marcus, 'aws-prod'))).toBe(
      'present',
    );
    expect(lines[0]).toMatch(/\(\d+ memberships held, \d+ imported now\)$/);
  });

  it('answers list a page at a time, so a webhook with list: true can be reconciled', async () => {
    // Setup
    fresh();
    await start();
    const github = await connectorOf('github', { list: true });
    await github.grant(access('read'));
    const entitlements = ['org_admin', 'read', 'write'].map((entitlementKey) => ({
      entitlementKey,
      target: {},
    }));

    // Act: one holding per page, to the end.
    const holdings: { entitlementKey: string; account: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await (github.listAccess as NonNullable<Connector['listAccess']>)(entitlements, {
        cursor,
        limit: 1,
      });
      expect(page.holdings.length).toBeLessThanOrEqual(1);
      holdings.push(...page.holdings);
      cursor = page.nextCursor;
    } while (cursor && holdings.length < 100);

    // Verify: the imported access and the new grant, each once, in entitlement then account order.
    expect(holdings).toContainEqual({ entitlementKey: 'read', account: TOM.email });
    expect(holdings).toContainEqual({ entitlementKey: 'read', account: HANNAH.email });
    expect(holdings).toContainEqual({ entitlementKey: 'write', account: HANNAH.email });
    expect(new Set(holdings.map((h) => `${h.entitlementKey} ${h.account}`)).size).toBe(holdings.length);
    const order = holdings.map((h) => [h.entitlementKey, h.account].join('\u0000'));
    expect(order).toEqual([...order].sort());
  });

  it('refuses a forged or malformed call and changes nothing', async () => {
    fresh();
    await start();
    const github = await connectorOf('github');
    const read = access('read');
    const payload = (action: string) =>
      JSON.stringify({
        action,
        grantId: read.grantId,
        person: TOM,
        resource: 'github',
        entitlement: 'read',
        target: {},
        sentAt: new Date().toISOString(),
      });
    const post = (body: string, secret: string) => {
      const timestamp = Math.floor(Date.now() / 1000);
      return fetch(env.GITHUB_WEBHOOK_URL as string, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          [WEBHOOK_HEADERS.idempotencyKey]: `${read.grantId}:grant`,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: signWebhookBody(secret, timestamp, body),
        },
        body,
      });
    };

    const forged = await post(payload('grant'), 'not-the-secret');
    const unsigned = await fetch(env.GITHUB_WEBHOOK_URL as string, {
      method: 'POST',
      body: payload('grant'),
    });
    const malformed = await post('{"action":"grant"', env.GITHUB_WEBHOOK_SECRET as string);
    const incomplete = await post('{"action":"grant"}', env.GITHUB_WEBHOOK_SECRET as string);

    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({ error: 'invalid_signature', reason: 'mismatch' });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: 'invalid_signature', reason: 'malformed' });
    expect(malformed.status).toBe(400);
    expect(incomplete.status).toBe(400);
    expect(await github.check?.(read)).toBe('absent');
    // The same key, now signed properly, is applied: the refused calls left no trace.
    expect((await post(payload('grant'), env.GITHUB_WEBHOOK_SECRET as string)).status).toBe(200);
    expect(await github.check?.(read)).toBe('present');
  });

  it('keeps memberships and secrets across a restart from the same data directory', async () => {
    fresh();
    const first = await start();
    const secret = env.GITHUB_WEBHOOK_SECRET;
    const read = access('read');
    await (await connectorOf('github')).grant(read);

    await first.close();
    expect(env.GITHUB_WEBHOOK_URL).toBeUndefined();
    const second = await start();

    expect(env.GITHUB_WEBHOOK_SECRET).toBe(secret);
    expect(second.url).toBe(first.url);
    expect(await (await connectorOf('github')).check?.(read)).toBe('present');
    const saved = JSON.parse(readFileSync(path.join(dataDir, 'demo-webhooks.json'), 'utf8'));
    expect(saved.memberships.github[TOM.email]).toEqual(['read']);
    expect(readFileSync(path.join(dataDir, 'demo-targets.env'), 'utf8')).toContain(
      `GITHUB_WEBHOOK_URL=${second.url}/hooks/github\n`,
    );
  });

  it('leaves a URL variable the user set alone, and signs with a secret the user set', async () => {
    fresh({ GITHUB_WEBHOOK_URL: 'https://hooks.mine.test/github', OKTA_WEBHOOK_SECRET: 'my-own-secret' });

    const { lines, url } = await start();

    expect(env.GITHUB_WEBHOOK_URL).toBe('https://hooks.mine.test/github');
    expect(env.GITHUB_WEBHOOK_SECRET).toBeUndefined();
    expect(lines).toContain('github: GITHUB_WEBHOOK_URL from your environment');
    expect(lines[0]).toContain(' for aws-prod, okta-admin ');
    expect(env.OKTA_WEBHOOK_URL).toBe(`${url}/hooks/okta-admin`);
    expect(env.OKTA_WEBHOOK_SECRET).toBe('my-own-secret');
    const kofi = { email: 'kofi.mensah@acme.test', name: 'Kofi Mensah' };
    const okta = await connectorOf('okta-admin');
    expect(await okta.check?.(access('helpdesk_admin', kofi, 'okta-admin'))).toBe('present');
  });
});
