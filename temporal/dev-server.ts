import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Config } from '../core/config.js';
import { StartupError } from '../core/errors.js';
import { lastLines } from '../core/files.js';
import type { Logger } from '../core/logger.js';
import { preferredOrFreePort, waitUntil } from '../core/net.js';
import { findProcesses, isAlive, terminate } from '../core/processes.js';
import {
  detectGoVersion,
  noTemporalMessage,
  resolveTemporalBinary,
  type TemporalBinary,
  TemporalBinaryError,
} from './binary.js';

/** What to start: a durable dev server under the data directory, or a throwaway one for tests. */
export type DevServerInput = {
  binary: TemporalBinary;
  namespace: string;
  /** SQLite file so workflows survive restarts; omit for an in-memory server (tests). */
  dbFile?: string;
  /** Where the server's own log goes. */
  logFile: string;
  preferredPort?: number;
  /** Serve the Temporal UI on this port (or a free one if it is taken); omit for headless. */
  preferredUiPort?: number;
};

/** A running dev server. */
export type DevServer = {
  address: string;
  uiUrl: string | undefined;
  /** How the server was obtained, for the start-up banner. */
  describe: string;
  stop(): Promise<void>;
};

const READY_TIMEOUT_MS = 60_000;

/** The configuration a local dev server is started from. */
export type DevServerConfig = Pick<Config, 'TEMPORAL_CLI_PATH' | 'TEMPORAL_NAMESPACE'>;

/**
 * Finds (or builds, once per machine) the Temporal CLI the configuration names and starts a dev
 * server on the configured namespace: what `grantflow dev`, the tests and the benches all do.
 */
export async function startConfiguredDevServer(
  config: DevServerConfig,
  log: Logger,
  input: Omit<DevServerInput, 'binary' | 'namespace'>,
): Promise<DevServer> {
  const binary = await resolveTemporalBinary({ cliPath: config.TEMPORAL_CLI_PATH }, log);
  return startDevServer({ ...input, binary, namespace: config.TEMPORAL_NAMESPACE }, log);
}

/** Starts `temporal server start-dev` and waits until its frontend and namespace answer. */
async function startDevServer(input: DevServerInput, log: Logger): Promise<DevServer> {
  const host = '127.0.0.1';
  const port = await preferredOrFreePort(input.preferredPort ?? 7233, host);
  const uiPort =
    input.preferredUiPort === undefined ? undefined : await preferredOrFreePort(input.preferredUiPort, host);
  if (input.dbFile) await stopLeftovers(input.dbFile, log);
  const common = [
    '--ip',
    host,
    '--port',
    String(port),
    '--namespace',
    input.namespace,
    '--log-level',
    'warn',
    '--dynamic-config-value',
    'frontend.enableServerVersionCheck=false',
  ];
  if (input.binary.kind === 'sdk-download') return startWithSdk(input, { host, port, uiPort, common });

  const args = ['server', 'start-dev', ...common];
  if (input.dbFile) args.push('--db-filename', input.dbFile);
  args.push(...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort)]));

  mkdirSync(path.dirname(input.logFile), { recursive: true });
  const logFd = openSync(input.logFile, 'a');
  // Own process group: Ctrl-C reaches grantflow, which then stops the server after the worker.
  const child = spawn(input.binary.path, args, { stdio: ['ignore', logFd, logFd], detached: true });
  closeSync(logFd);
  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = `exited with ${signal ?? `code ${code}`}`;
  });
  child.on('error', (error) => {
    exited = error.message;
  });

  const address = `${host}:${port}`;
  try {
    await waitForFrontend(address, input.namespace, () =>
      exited
        ? new Error(`temporal ${exited}; last lines of ${input.logFile}:\n${lastLines(input.logFile)}`)
        : undefined,
    );
  } catch (error) {
    if (child.pid && isAlive(child.pid)) await terminate(child.pid, 'SIGTERM', 5_000);
    throw new StartupError(
      'temporal_not_ready',
      `The Temporal dev server did not become ready at ${address}: ${(error as Error).message}`,
      error,
    );
  }
  log.debug({ pid: child.pid, address }, 'temporal dev server ready');
  return {
    address,
    uiUrl: uiPort === undefined ? undefined : `http://${host}:${uiPort}`,
    describe: `${input.binary.path} (${input.binary.source})`,
    async stop() {
      if (child.pid && exited === undefined) await terminate(child.pid, 'SIGTERM', 15_000);
    },
  };
}

async function startWithSdk(
  input: DevServerInput,
  options: { host: string; port: number; uiPort: number | undefined; common: string[] },
): Promise<DevServer> {
  if (input.binary.kind !== 'sdk-download') throw new Error('unreachable');
  try {
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download', downloadDir: input.binary.downloadDir },
        dbFilename: input.dbFile,
        ip: options.host,
        port: options.port,
        ui: options.uiPort !== undefined,
        uiPort: options.uiPort,
        namespace: input.namespace,
        extraArgs: ['--dynamic-config-value', 'frontend.enableServerVersionCheck=false'],
      },
    });
    return {
      address: env.address,
      uiUrl: options.uiPort === undefined ? undefined : `http://${options.host}:${options.uiPort}`,
      describe: `downloaded by the Temporal SDK into ${input.binary.downloadDir}`,
      stop: () => env.teardown(),
    };
  } catch (error) {
    throw new TemporalBinaryError(
      noTemporalMessage(await detectGoVersion(process.env), (error as Error).message),
    );
  }
}

async function waitForFrontend(
  address: string,
  namespace: string,
  abort: () => Error | undefined,
): Promise<void> {
  let connection: Connection | undefined;
  try {
    await waitUntil(
      async () => {
        connection ??= await Connection.connect({ address, connectTimeout: '1s' });
        await connection.workflowService.describeNamespace({ namespace });
        return true;
      },
      { timeoutMs: READY_TIMEOUT_MS, intervalMs: 250, abort },
    );
  } finally {
    await connection?.close();
  }
}

/**
 * A `grantflow dev` killed with SIGKILL leaves its Temporal server running and holding the
 * database file; stop it so this start owns the file again.
 */
async function stopLeftovers(dbFile: string, log: Logger): Promise<void> {
  for (const pid of findProcesses(['start-dev', dbFile])) {
    log.warn({ pid }, 'stopping a Temporal dev server left running by an earlier grantflow dev');
    await terminate(pid, 'SIGTERM', 10_000);
  }
}
