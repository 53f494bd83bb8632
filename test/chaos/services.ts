// The chaos suite's own PostgreSQL and Temporal dev server. The suite kills both with SIGKILL, so
// it cannot use the shared ones of the integration global setup: each lives under a scratch folder
// of this run and restarts on the same data (the PostgreSQL cluster, the dev server's SQLite file)
// and the same port, so the worker and API processes find them again as production would.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../core/logger.js';
import { findProcesses, isAlive } from '../../core/processes.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../../db/embedded.js';
import { connectTemporal } from '../../temporal/connection.js';
import { type DevServer, startConfiguredDevServer } from '../../temporal/dev-server.js';
import { ensureSearchAttributes } from '../../temporal/search-attributes.js';

/** A server the suite can SIGKILL and start again on the same data and port. */
export type KillableServer = {
  /** SIGKILL, then wait until every process of it is gone. */
  kill(): Promise<void>;
  /** Start again on the same data and port; resolves once it answers. */
  restart(): Promise<void>;
  stop(): Promise<void>;
};

/** The suite's PostgreSQL: owner and runtime URLs stay valid across restarts. */
export type ChaosPostgres = KillableServer & {
  port: number;
  ownerUrl: string;
  runtimeUrl: string;
  runtimeRole: { name: string; password: string };
  logFile: string;
  /** The cluster's folder (as root, outside `dataDir`: remove it after `stop`). */
  pgData: string;
};

/** Pids of the processes whose parent is `pid` (PostgreSQL's backends, its checkpointer ...). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command may hold spaces and parentheses: the fields after the last ')' are fixed.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) found.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

async function waitGone(pids: number[], what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline) throw new Error(`${what} still running ${timeoutMs} ms after SIGKILL`);
    await sleep(50);
  }
}

/** Starts an embedded PostgreSQL under `dataDir` on a free port. */
export async function startChaosPostgres(dataDir: string, log: Logger): Promise<ChaosPostgres> {
  let server: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir, preferredPort: 0 }, log);
  const port = server.port;
  const pidFile = () => path.join(server.pgData, 'postmaster.pid');
  return {
    port,
    ownerUrl: server.ownerUrl,
    runtimeUrl: server.runtimeUrl,
    runtimeRole: server.runtimeRole,
    logFile: path.join(dataDir, 'postgres.log'),
    pgData: server.pgData,
    async kill() {
      const postmaster = Number(readFileSync(pidFile(), 'utf8').split('\n')[0]);
      // Its backends notice the postmaster's death and exit by themselves; a restart must wait for
      // them, since PostgreSQL refuses to start while the old shared memory is still attached.
      const backends = childrenOf(postmaster);
      process.kill(postmaster, 'SIGKILL');
      await waitGone([postmaster, ...backends], 'PostgreSQL');
    },
    async restart() {
      // Left by the killed postmaster; its pid is dead (checked above), so the lock is stale.
      if (existsSync(pidFile())) rmSync(pidFile());
      server = await startEmbeddedPostgres({ dataDir, preferredPort: port }, log);
      if (server.port !== port) throw new Error(`PostgreSQL came back on port ${server.port}, not ${port}`);
    },
    stop: () => server.stop(),
  };
}

/** The suite's Temporal dev server, durable in a SQLite file. */
export type ChaosTemporal = KillableServer & { address: string; namespace: string };

/** Starts a Temporal dev server whose history lives in `<dataDir>/temporal.db`. */
export async function startChaosTemporal(dataDir: string, log: Logger): Promise<ChaosTemporal> {
  const config = { TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH, TEMPORAL_NAMESPACE: 'default' };
  const dbFile = path.join(dataDir, 'temporal.db');
  const logFile = path.join(dataDir, 'temporal.log');
  const start = (preferredPort: number) =>
    startConfiguredDevServer(config, log, { dbFile, logFile, preferredPort });
  let server: DevServer = await start(0);
  const address = server.address;
  const port = Number(address.split(':')[1]);
  const connection = await connectTemporal({ address, TEMPORAL_NAMESPACE: config.TEMPORAL_NAMESPACE });
  await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
  await connection.close();
  return {
    address,
    namespace: config.TEMPORAL_NAMESPACE,
    async kill() {
      // Found by this run's own database file: never another helper's server.
      const pids = findProcesses(['start-dev', dbFile]);
      if (pids.length === 0) throw new Error('the Temporal dev server is not running');
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      await waitGone(pids, 'the Temporal dev server');
    },
    async restart() {
      server = await start(port);
      if (server.address !== address)
        throw new Error(`Temporal came back on ${server.address}, not ${address}`);
    },
    stop: () => server.stop(),
  };
}
