import { loadLedgerKeys } from '../audit/keys.js';
import type { Config } from '../core/config.js';
import { StartupError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { connectDatabase } from '../db/client.js';
import { slackSettings } from '../slack/client.js';
import { connectClient } from '../temporal/connection.js';
import { auditExportDir } from '../worker/main.js';
import { ensureConsoleBuilt } from './console-build.js';
import type { ConsoleDeps } from './deps.js';
import { buildServer } from './server.js';
import { createSlackApp } from './slack/app.js';

/** A listening API server; `slack` says whether Slack is on, and how. */
export type RunningApi = { url: string; slack: string; close(): Promise<void> };

/** Connects to PostgreSQL (runtime role) and Temporal, then listens on HOST:PORT. */
export async function startApi(
  config: Config,
  log: Logger,
  endpoints: { runtimeUrl: string; temporalAddress: string },
): Promise<RunningApi> {
  await ensureConsoleBuilt(log);
  const database = connectDatabase(endpoints.runtimeUrl, { applicationName: 'grantflow-api' });
  const temporal = await connectClient({ ...config, address: endpoints.temporalAddress });
  const deps = {
    config,
    db: database.db,
    sql: database.sql,
    temporal,
    ledger: { verifiers: loadLedgerKeys(config, log).verifiers, exportDir: auditExportDir(config) },
    console: consoleDepsOf(config),
  };
  const settings = slackSettings(config);
  const slack = settings ? createSlackApp(deps, settings, log) : undefined;
  const app = await buildServer(deps, log.child({ component: 'api' }), slack ? { slack } : {});
  try {
    await app.listen({ port: config.PORT, host: config.HOST });
    await slack?.start();
  } catch (error) {
    await Promise.allSettled([slack?.stop(), app.close(), database.close(), temporal.connection.close()]);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new StartupError(
        'port_in_use',
        `Port ${config.PORT} on ${config.HOST} is already in use (another grantflow?). Stop that process or set PORT.`,
        error,
      );
    }
    throw error;
  }
  const slackStatus =
    slack?.mode === 'socket'
      ? 'on: Socket Mode'
      : slack
        ? 'on: events over HTTP at /slack/events'
        : 'off: set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)';
  log.info(`Slack is ${slackStatus}`);
  return {
    url: `http://${config.HOST}:${config.PORT}`,
    slack: slackStatus,
    async close() {
      await slack?.stop();
      await app.close();
      await Promise.allSettled([database.close(), temporal.connection.close()]);
    },
  };
}

const groupList = (value: string) =>
  value
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');

/** Console sign-in settings from the configuration; without an issuer, sign-in answers 503. */
function consoleDepsOf(config: Config): ConsoleDeps {
  const issuer = config.GRANTFLOW_OIDC_ISSUER;
  const clientId = config.GRANTFLOW_OIDC_CLIENT_ID;
  const secret = config.GRANTFLOW_OIDC_CLIENT_SECRET;
  return {
    ...(issuer && clientId
      ? { oidc: { issuer, clientId, ...(secret ? { clientSecret: secret } : {}) } }
      : {}),
    signInPerMinute: config.GRANTFLOW_SIGN_IN_PER_MINUTE,
    policy: {
      adminGroups: groupList(config.GRANTFLOW_CONSOLE_ADMIN_GROUPS),
      auditorGroups: groupList(config.GRANTFLOW_CONSOLE_AUDITOR_GROUPS),
      idleSeconds: config.GRANTFLOW_SESSION_IDLE_SECONDS,
      maxSeconds: config.GRANTFLOW_SESSION_MAX_SECONDS,
    },
  };
}
