import path from 'node:path';
import { count } from 'drizzle-orm';
import { startApi } from '../api/main.js';
import type { Config } from '../core/config.js';
import { StartupError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { isPortFree } from '../core/net.js';
import { createTeardown } from '../core/teardown.js';
import { connectDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { people } from '../db/schema.js';
import { formatImportReport, importDirectory } from '../directory/import.js';
import { parseDirectoryFile } from '../directory/parse.js';
import { startWorker } from '../worker/main.js';
import { openDatabase } from './database.js';
import { setUpDemoDatabases } from './demo-databases.js';
import { startDemoWebhookReceiver } from './demo-webhooks.js';
import { ensureDevAdminToken } from './dev-token.js';
import { ensureJourney, type Journey, journeyLines } from './journey.js';
import { directoryAccounts, startDevOidcProvider } from './oidc-provider.js';
import { clearStackState, readStackState, writeStackState } from './state.js';
import { openTemporal } from './temporal.js';

/** Options of `grantflow dev`. */
export type DevOptions = { seedFile: string | undefined };

/**
 * The whole stack on one machine: PostgreSQL, Temporal, migrations, the example company on first
 * run, the worker and the API. Resolves when the stack has stopped (Ctrl-C / SIGTERM).
 */
export async function runDev(config: Config, log: Logger, options: DevOptions): Promise<void> {
  const running = readStackState(config.dataDir);
  if (running) {
    throw new StartupError(
      'stack_running',
      `grantflow dev is already running for ${config.dataDir} (pid ${running.pid}, API ${running.apiUrl}).`,
    );
  }
  if (!(await isPortFree(config.PORT, config.HOST))) {
    throw new StartupError(
      'port_in_use',
      `Port ${config.PORT} on ${config.HOST} is already in use. Stop whatever listens there, or set PORT.`,
    );
  }

  const teardown = createTeardown({
    stopping: (name) => log.info(`stopping ${name}`),
    failed: (error, name) => log.error({ err: error }, `stopping ${name} failed`),
  });
  const stopAll = async () => {
    await teardown.run();
    clearStackState(config.dataDir);
  };
  let stopping: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    log.info(`${signal} received, shutting down`);
    stopping ??= stopAll();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const database = await openDatabase(config, log, { startEmbedded: true, joinRunningStack: false });
    teardown.add(database.stop, 'PostgreSQL');
    log.info(`database: ${database.describe}`);
    await migrateDatabase(database.ownerUrl, database.runtimeRole);

    const temporal = await openTemporal(config, log, {
      startDevServer: true,
      ui: true,
      joinRunningStack: false,
    });
    teardown.add(temporal.stop, 'Temporal');
    log.info(`temporal: ${temporal.describe} at ${temporal.address}`);

    const token = await seedOnFirstRun(database.runtimeUrl, config, log, options.seedFile);
    const demo = await demoTargets(database.ownerUrl, database.runtimeUrl, config, log);
    const receiver = await demoWebhooks(database.runtimeUrl, config, log);
    if (receiver.close) teardown.add(receiver.close, 'demo webhook receiver');
    demo.push(...receiver.lines);

    const signIn = await devSignIn(database.runtimeUrl, config, log);
    if (signIn.close) teardown.add(signIn.close, 'dev IdP');

    const endpoints = { runtimeUrl: database.runtimeUrl, temporalAddress: temporal.address };
    const worker = await startWorker(config, log, endpoints);
    teardown.add(worker.stop, 'worker');
    const api = await startApi(signIn.config, log, endpoints);
    teardown.add(api.close, 'API');

    writeStackState(config.dataDir, {
      pid: process.pid,
      ownerUrl: database.ownerUrl,
      runtimeUrl: database.runtimeUrl,
      temporalAddress: temporal.address,
      temporalUiUrl: temporal.uiUrl,
      apiUrl: api.url,
    });
    printBanner({
      apiUrl: api.url,
      slack: api.slack,
      temporal,
      token,
      dataDir: config.dataDir,
      demo,
      console: { url: config.publicUrl, signIn: signIn.line },
    });
    // Resolves when a signal stopped the worker, rejects if the worker failed on its own.
    await worker.done;
    stopping ??= stopAll();
    await stopping;
  } catch (error) {
    stopping ??= stopAll();
    await stopping;
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function seedOnFirstRun(
  runtimeUrl: string,
  config: Config,
  log: Logger,
  seedFile: string | undefined,
): Promise<{ token: string; email: string; journey: Journey | undefined } | undefined> {
  const database = connectDatabase(runtimeUrl, { max: 2, applicationName: 'grantflow-dev' });
  try {
    const [row] = await database.db.select({ n: count() }).from(people);
    if (seedFile && (row?.n ?? 0) === 0) {
      log.info(
        `first run: importing the example organisation from ${path.relative(process.cwd(), seedFile)}`,
      );
      const report = await importDirectory(database.db, await parseDirectoryFile(seedFile), {
        actor: 'grantflow dev (first run)',
      });
      log.info(formatImportReport(report));
    }
    const admin = await ensureDevAdminToken(database.db, config.dataDir);
    return admin && { ...admin, journey: await ensureJourney(database.db, config.dataDir) };
  } finally {
    await database.close();
  }
}

/** The example's postgres resources as real databases; a failure here never stops the stack. */
async function demoTargets(
  ownerUrl: string,
  runtimeUrl: string,
  config: Config,
  log: Logger,
): Promise<string[]> {
  const database = connectDatabase(runtimeUrl, { max: 2, applicationName: 'grantflow-dev' });
  try {
    const { lines } = await setUpDemoDatabases(ownerUrl, database.db, process.env, config.dataDir, log);
    return lines;
  } catch (error) {
    log.warn(
      { err: error },
      'demo databases could not be set up; postgres resources need their URL variables',
    );
    return [`none: ${(error as Error).message}`];
  } finally {
    await database.close();
  }
}

/** The example's webhook resources answered by a local receiver; a failure here never stops the stack. */
async function demoWebhooks(
  runtimeUrl: string,
  config: Config,
  log: Logger,
): Promise<{ lines: string[]; close?: () => Promise<void> }> {
  const database = connectDatabase(runtimeUrl, { max: 2, applicationName: 'grantflow-dev' });
  try {
    return await startDemoWebhookReceiver(database.db, process.env, config.dataDir, log);
  } catch (error) {
    log.warn(
      { err: error },
      'the demo webhook receiver could not be started; webhook resources need their urlEnv variables',
    );
    return { lines: [`webhooks: none: ${(error as Error).message}`] };
  } finally {
    await database.close();
  }
}

/**
 * Without GRANTFLOW_OIDC_ISSUER, the dev IdP (its accounts: the directory's active people) on
 * GRANTFLOW_DEV_IDP_PORT or PORT + 2, and the API's configuration pointed at it.
 */
async function devSignIn(
  runtimeUrl: string,
  config: Config,
  log: Logger,
): Promise<{ config: Config; line: string; close?: () => Promise<void> }> {
  if (config.GRANTFLOW_OIDC_ISSUER) {
    return { config, line: `the company IdP at ${config.GRANTFLOW_OIDC_ISSUER}` };
  }
  const port = config.GRANTFLOW_DEV_IDP_PORT ?? config.PORT + 2;
  if (!(await isPortFree(port, '127.0.0.1'))) {
    throw new StartupError(
      'port_in_use',
      `Port ${port} (the dev OIDC provider) is already in use. Stop whatever listens there, or set GRANTFLOW_DEV_IDP_PORT.`,
    );
  }
  const database = connectDatabase(runtimeUrl, { max: 2, applicationName: 'grantflow-dev-idp' });
  try {
    const idp = await startDevOidcProvider({
      accounts: directoryAccounts(database.db),
      publicUrl: config.publicUrl,
      port,
    });
    log.info(`dev OIDC provider at ${idp.issuer} (client ${idp.clientId})`);
    return {
      config: { ...config, GRANTFLOW_OIDC_ISSUER: idp.issuer, GRANTFLOW_OIDC_CLIENT_ID: idp.clientId },
      line: `the dev IdP at ${idp.issuer} (no password)`,
      async close() {
        await idp.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

function printBanner(info: {
  apiUrl: string;
  slack: string;
  temporal: { address: string; uiUrl: string | undefined };
  token: { token: string; email: string; journey: Journey | undefined } | undefined;
  dataDir: string;
  demo: string[];
  console: { url: string; signIn: string };
}): void {
  const lines = [
    '',
    'grantflow is ready',
    `  Console      ${info.console.url}  (sign in as any example person, e.g. tom.becker@acme.test; admins: ruth.adeyemi@acme.test; auditor: irene.walsh@acme.test)`,
    `  Sign-in      ${info.console.signIn}`,
    `  API          ${info.apiUrl}   (OpenAPI: ${info.apiUrl}/api/v1/openapi.json)`,
    `  Temporal     ${info.temporal.address}${info.temporal.uiUrl ? `   UI: ${info.temporal.uiUrl}` : ''}`,
    `  Data         ${info.dataDir}`,
    `  Slack        ${info.slack}`,
    ...info.demo.map((line, i) => `  ${i === 0 ? 'Demo targets' : '            '} ${line}`),
  ];
  if (info.token) {
    lines.push(
      `  Admin token  ${info.token.token}   (${info.token.email})`,
      '',
      ...(info.token.journey
        ? journeyLines(info.token.journey)
        : ['Try:', `  curl -H "Authorization: Bearer ${info.token.token}" ${info.apiUrl}/api/v1/people`]),
    );
  } else {
    lines.push('', 'No directory yet: grantflow directory import examples/acme.yaml');
  }
  lines.push('', 'Ctrl-C stops everything; data is kept for the next start.', '');
  process.stdout.write(`${lines.join('\n')}\n`);
}
