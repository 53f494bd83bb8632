// The whole stack for a browser test file, and Chromium driving the console on it: the test
// database with examples/acme.yaml imported, its demo targets (a database per postgres resource in
// the test server, the demo webhook receiver), the real worker, the real API listening on a real
// port with the console and sign-in configured, the dev IdP, and Debian's chromium via
// playwright-core. Sign-in goes through the dev IdP's login form in the browser, as a person's
// would.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Worker } from '@temporalio/worker';
import pino from 'pino';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { createConnectors } from '../../connectors/index.js';
import { findFreePort } from '../../core/net.js';
import { setUpDemoDatabases } from '../../dev/demo-databases.js';
import { type DemoWebhookReceiver, startDemoWebhookReceiver } from '../../dev/demo-webhooks.js';
import type { DevIdp } from '../../dev/oidc-provider.js';
import { importDirectory } from '../../directory/import.js';
import { parseDirectorySource } from '../../directory/parse.js';
import { startImportedGrantLifetimes } from '../../grants/start-lifetimes.js';
import { type Deliverer, startDeliverer } from '../../notifications/deliverer.js';
import { createOutboxNotifier } from '../../notifications/outbox.js';
import { connectClient, connectWorker } from '../../temporal/connection.js';
import { installTemporalRuntime } from '../../worker/runtime.js';
import { createWorker } from '../../worker/worker.js';
import { startTestApi, type TestApi } from './api.js';
import { testLedgerKeys } from './audit.js';
import { root } from './cli.js';
import { startDevIdp } from './dev-idp.js';
import { createRecordingNotifier, type RecordingNotifier } from './recording-notifier.js';
import { QUICK_RETRY } from './requests.js';
import { createTestDatabase, type TestDatabase } from './services.js';

/** Where screenshots go (gitignored); CI keeps the folder as an artifact. */
const SCREENSHOT_DIR = path.join(root, 'test-artifacts', 'screenshots');

/** Debian's chromium, installed by .ci/run. */
const CHROMIUM = process.env.GRANTFLOW_CHROMIUM ?? '/usr/bin/chromium';

/** Quiet, reproducible Chromium: no GPU, no QUIC, no background traffic. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A running stack and browser for one test file. */
export type BrowserStack = {
  /** The console's origin as the browser uses it (localhost: WebAuthn refuses IP addresses). */
  url: string;
  database: TestDatabase;
  api: TestApi;
  idp: DevIdp;
  browser: Browser;
  notifier: RecordingNotifier;
  /** The Temporal task queue this stack's worker polls (to start workflows as the worker's loops do). */
  taskQueue: string;
  /** Environment for the `grantflow` CLI (test/helpers/cli.ts) against this stack's database. */
  cliEnv(): NodeJS.ProcessEnv;
  /** A fresh browser context (its own cookies: one person) and a page in it. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
};

const quiet = pino({ level: 'silent' });

/** Starts everything on a fresh test database. */
async function startBrowserStack(): Promise<BrowserStack> {
  const services = inject('services');
  const database = await createTestDatabase();
  const db = database.runtime.db;
  const source = readFileSync(path.join(root, 'examples', 'acme.yaml'), 'utf8');
  await importDirectory(db, parseDirectorySource(source, 'examples/acme.yaml'), { actor: 'test' });

  // The example's targets, as `grantflow dev` makes them; the connectors read their URLs from here.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gf-browser-'));
  const targetEnv: Record<string, string | undefined> = {};
  await setUpDemoDatabases(services.adminUrl, db, targetEnv as NodeJS.ProcessEnv, dataDir, quiet);
  await alignDemoConnectorPassword(services.adminUrl, dataDir);
  const webhooks: DemoWebhookReceiver = await startDemoWebhookReceiver(db, targetEnv, dataDir, quiet);
  const connectorEnv = Object.fromEntries(
    Object.entries(targetEnv).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const connectors = createConnectors(connectorEnv);

  const keys = testLedgerKeys();
  const taskQueue = `browser-${path.basename(dataDir)}`;
  const notifier = createRecordingNotifier();
  installTemporalRuntime(pino({ level: 'error' }));
  const connection = await connectWorker({
    address: services.temporalAddress,
    TEMPORAL_NAMESPACE: services.temporalNamespace,
  });
  const client = await connectClient({
    address: services.temporalAddress,
    TEMPORAL_NAMESPACE: services.temporalNamespace,
  });
  const deliverer: Deliverer = startDeliverer({
    db,
    notifier,
    channel: 'Slack',
    log: quiet,
    settings: { pollMs: 200, retryMaxMs: 1_000, alertAfterMs: 15 * 60_000 },
  });
  const worker: Worker = await createWorker({
    connection,
    namespace: services.temporalNamespace,
    taskQueue,
    deps: {
      db,
      sql: database.runtime.sql,
      log: quiet,
      ledger: { keys, origin: 'test.grantflow/audit', exportDir: dataDir },
      evidenceDir: path.join(dataDir, 'evidence'),
      connectors,
      notifier: createOutboxNotifier(db, deliverer.wake),
      temporal: client,
    },
  });
  const running = worker.run();
  // As the production worker's first pass does: the imported access gets its lifetime workflow, so
  // it can be given back, extended and revoked like any other grant.
  const lifetimes = { db, temporal: client, taskQueue, provisioningRetry: QUICK_RETRY };
  while ((await startImportedGrantLifetimes(lifetimes)) > 0);

  const url = `http://localhost:${await findFreePort()}`;
  const idp = await startDevIdp(db, url);
  const api = await startTestApi(database, {
    taskQueue,
    ledgerKeys: keys,
    publicUrl: url,
    console: { oidc: { issuer: idp.issuer, clientId: idp.clientId }, signInPerMinute: 1_000 },
  });

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const contexts: BrowserContext[] = [];
  return {
    url,
    database,
    api,
    idp,
    browser,
    notifier,
    taskQueue,
    cliEnv: () => ({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'error',
      DATABASE_URL: database.ownerUrl,
      DATABASE_RUNTIME_URL: database.runtimeUrl,
      GRANTFLOW_AUDIT_SIGNING_KEY: keys.signerKey,
      GRANTFLOW_DATA_DIR: dataDir,
    }),
    async newPage() {
      const context = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 900 } });
      contexts.push(context);
      const page = await context.newPage();
      // A script error or a CSP refusal in the console fails quietly in the page: say it in the test log.
      page.on('pageerror', (error) => console.error(`[browser] ${page.url()}: ${error.message}`));
      page.on('console', (message) => {
        // A failed load is the network's answer (a 401 while signed out is how the console learns it).
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
          console.error(`[browser console] ${page.url()}: ${message.text()}`);
      });
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await api.close();
      await idp.close();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await deliverer.stop();
      await connectors.close();
      await webhooks.close();
      await client.connection.close();
      await connection.close();
      await dropDemoDatabases(services.adminUrl);
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The demo connector's login is a role of the whole test server, made by the first file with its
 * data folder's password; a later file has a folder (and password) of its own, so the role takes it.
 */
async function alignDemoConnectorPassword(adminUrl: string, dataDir: string): Promise<void> {
  const password = readFileSync(path.join(dataDir, 'demo-connector-password'), 'utf8').trim();
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`alter role grantflow_demo_connector password '${password.replaceAll("'", "''")}'`);
  } finally {
    await admin.end();
  }
}

/** The demo databases live in the shared test server: gone after each file (files run one by one). */
async function dropDemoDatabases(adminUrl: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin<
      { datname: string }[]
    >`select datname from pg_database where datname like 'demo\\_%'`;
    for (const { datname } of rows) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
  } finally {
    await admin.end();
  }
}

/** A stack started before the file's tests and closed after them; read `stack` inside tests only. */
export function useBrowserStack(): { readonly stack: BrowserStack } {
  let stack: BrowserStack | undefined;
  beforeAll(async () => {
    stack = await startBrowserStack();
  });
  afterAll(async () => {
    await stack?.close();
  });
  return {
    get stack() {
      if (!stack) throw new Error('the browser stack is read before beforeAll started it');
      return stack;
    },
  };
}

/**
 * Signs `email` in the way a person does: the console's Sign in button, the dev IdP's login form,
 * and back to the console (at `returnTo`, default where the page was), signed in.
 */
export async function signInAs(
  page: Page,
  stack: BrowserStack,
  email: string,
  returnTo = '/',
): Promise<void> {
  try {
    await page.goto(new URL(returnTo, stack.url).toString());
    await page.getByRole('link', { name: 'Sign in' }).click({ timeout: 15_000 });
    await page.waitForURL((url) => url.origin === new URL(stack.idp.issuer).origin);
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.origin === stack.url && !url.pathname.startsWith('/auth/'));
    await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
  } catch (error) {
    // Where it stuck, for the artifacts: the page as it was and what it said.
    await screenshot(page, `sign-in-failed-${email}`).catch(() => undefined);
    const text =
      (await page
        .locator('body')
        .textContent()
        .catch(() => '')) ?? '';
    throw new Error(`signing ${email} in stuck at ${page.url()}: ${text.slice(0, 500)}`, { cause: error });
  }
}

/** Follows the console's navigation to the page called `label`, as a person clicks it in the sidebar. */
export async function navigate(page: Page, label: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Console' })
    .getByRole('link', { name: label, exact: true })
    .click();
}

/** Saves a full-page screenshot as test-artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Runs axe-core on the page and fails on any serious or critical violation, naming each. */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map(
    (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  expect(report, `axe on ${page.url()}`).toEqual([]);
}
