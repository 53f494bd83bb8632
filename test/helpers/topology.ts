// The production topology on one machine: an external PostgreSQL server with, per deployment, a
// database of its own owned by an owner role and used by a least-privilege runtime role; a
// separately started Temporal server; and `grantflow api` / `grantflow worker` as real processes.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { findFreePort, waitUntil } from '../../core/net.js';
import { terminate } from '../../core/processes.js';
import { bin, grantflow, root } from './cli.js';
import { withDatabase, withRole } from './services.js';

/** The machine's PostgreSQL server, as its superuser (trust authentication). */
export const EXTERNAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Whether something answers on 127.0.0.1:5432 within a second. */
export function externalPostgresReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(5432, '127.0.0.1');
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    setTimeout(() => done(false), 1_000);
  });
}

/** `url` logging in as `role` with no password (the server trusts loopback). */
const asRole = (url: string, role: string) => {
  const parsed = new URL(withRole(url, { name: role, password: '' }));
  parsed.password = '';
  return parsed.toString();
};

/** One deployment: its database, roles, task queue and the environment its processes run with. */
export type Deployment = {
  taskQueue: string;
  database: string;
  ownerRole: string;
  runtimeRole: string;
  ownerUrl: string;
  runtimeUrl: string;
  /** Where its workers export checkpoints and its APIs and `audit verify` read them (a shared volume). */
  exportDir: string;
  /** What `grantflow api|worker` and the CLI get: the runtime role only, never the owner. */
  env: Record<string, string>;
  /** As the owner, for assertions. */
  owner: postgres.Sql;
  drop(): Promise<void>;
};

/**
 * Creates a database owned by a fresh owner role (no superuser, no CREATEROLE) and a fresh runtime
 * login role, then runs `grantflow migrate` as the owner, which grants the runtime role its
 * privileges. The services' environment names the runtime role in DATABASE_URL too: they never
 * migrate, so they need no owner credentials.
 */
export async function createDeployment(
  name: string,
  temporal: { address: string; namespace: string },
  env: Record<string, string>,
): Promise<Deployment> {
  const suffix = randomBytes(4).toString('hex');
  const [database, ownerRole, runtimeRole] = [
    `gf_${name}_${suffix}`,
    `gf_owner_${suffix}`,
    `gf_app_${suffix}`,
  ];
  const admin = postgres(EXTERNAL_POSTGRES, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create role "${ownerRole}" login`);
    await admin.unsafe(`create role "${runtimeRole}" login`);
    await admin.unsafe(`create database "${database}" owner "${ownerRole}"`);
  } finally {
    await admin.end();
  }
  const ownerUrl = asRole(withDatabase(EXTERNAL_POSTGRES, database), ownerRole);
  const runtimeUrl = asRole(withDatabase(EXTERNAL_POSTGRES, database), runtimeRole);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `gf-topology-${name}-`));
  const exportDir = path.join(dataDir, 'audit-checkpoints');
  mkdirSync(exportDir);
  const taskQueue = `topology-${name}-${suffix}`;
  const base = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    GRANTFLOW_DATA_DIR: dataDir,
    GRANTFLOW_AUDIT_EXPORT_DIR: exportDir,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    ...env,
  };
  const migrated = await grantflow(['migrate'], {
    ...base,
    DATABASE_URL: ownerUrl,
    DATABASE_RUNTIME_URL: runtimeUrl,
  });
  if (migrated.code !== 0) throw new Error(`grantflow migrate failed: ${migrated.stderr}`);
  const owner = postgres(ownerUrl, { max: 2, onnotice: () => {} });
  return {
    taskQueue,
    database,
    ownerRole,
    runtimeRole,
    ownerUrl,
    runtimeUrl,
    exportDir,
    env: { ...base, DATABASE_URL: runtimeUrl, DATABASE_RUNTIME_URL: runtimeUrl },
    owner,
    async drop() {
      await owner.end();
      const sql = postgres(EXTERNAL_POSTGRES, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists "${database}" with (force)`);
      await sql.unsafe(`drop role if exists "${runtimeRole}"`);
      await sql.unsafe(`drop role if exists "${ownerRole}"`);
      await sql.end();
    },
  };
}

/** A running `grantflow api` or `grantflow worker`, with what it printed. */
export type ServiceProcess = {
  kind: 'api' | 'worker';
  pid: number;
  /** The API's base URL. */
  url?: string;
  /** The worker's Temporal identity (the SDK's default, `<pid>@<host>`). */
  identity: string;
  output(): string;
  exited: Promise<unknown>;
  /** SIGTERM (drain, then exit) or SIGKILL (no goodbye); resolves once it is gone. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
};

/**
 * Starts `node bin/grantflow.js <kind>` as a user would, and waits until it is ready: the API
 * answers /readyz, the worker logs that it polls.
 */
export async function startService(
  kind: 'api' | 'worker',
  env: Record<string, string>,
  port?: number,
): Promise<ServiceProcess> {
  const listen = kind === 'api' ? (port ?? (await findFreePort())) : undefined;
  const child: ChildProcess = spawn(process.execPath, [bin, kind], {
    cwd: root,
    env: { ...env, LOG_LEVEL: 'info', ...(listen ? { PORT: String(listen) } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout?.on('data', (chunk) => (printed = (printed + chunk).slice(-200_000)));
  child.stderr?.on('data', (chunk) => (printed = (printed + chunk).slice(-200_000)));
  let gone = false;
  const exited = new Promise((resolve) => child.once('exit', resolve)).finally(() => (gone = true));
  const pid = child.pid ?? 0;
  const url = listen ? `http://127.0.0.1:${listen}` : undefined;
  const ready = async () => {
    if (gone) throw new Error(`grantflow ${kind} exited while starting:\n${printed.slice(-4_000)}`);
    if (url) return (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200;
    return printed.includes('worker polling');
  };
  await waitUntil(ready, { timeoutMs: 90_000, intervalMs: 200 });
  return {
    kind,
    pid,
    url,
    identity: `${pid}@${os.hostname()}`,
    output: () => printed,
    exited,
    async stop(signal) {
      if (gone) return;
      if (signal === 'SIGKILL') child.kill('SIGKILL');
      else await terminate(pid, 'SIGTERM', 30_000);
      await exited;
    },
  };
}
