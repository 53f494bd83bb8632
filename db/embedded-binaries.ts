import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
} from 'node:fs';
import path from 'node:path';
import { StartupError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/**
 * Where root keeps what the `postgres` user must reach when the checkout sits in a folder it cannot
 * enter: /var/lib is root-owned and not writable by others (nobody can pre-create or swap our folder,
 * unlike /tmp), is not cleaned like /tmp, and survives reboots, which the cluster data needs.
 */
export const SHARED_DIR = '/var/lib/grantflow';

/** The user PostgreSQL runs as when grantflow runs as root. */
export type PostgresUser = { uid: number; gid: number };

/** Why a folder on the path to `dir` cannot be trusted to stay root's, or undefined when it can. */
export function untrustedFolder(
  chain: { dir: string; stat: Pick<Stats, 'uid' | 'mode'> }[],
): string | undefined {
  for (const { dir, stat } of chain) {
    if (stat.uid !== 0) return `${dir} is owned by uid ${stat.uid}, not root`;
    // A sticky folder (/tmp) is safe above a root-owned entry: others cannot rename or delete it.
    const sticky = (stat.mode & 0o1000) !== 0;
    if ((stat.mode & 0o022) !== 0 && !sticky) return `${dir} is writable by users other than root`;
  }
  return undefined;
}

/** The folder a data directory's cluster lives in under the shared folder, stable per absolute path. */
export function clusterFolderName(dataDir: string): string {
  return `cluster-${createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16)}`;
}

/** Whether `user` (with the same credentials the server gets: no supplementary groups) passes `test -<flag> target`. */
export function reachableBy(user: PostgresUser, target: string, flag: 'x' | 'r' = 'x'): boolean {
  return (
    spawnSync('test', [`-${flag}`, target], { uid: user.uid, gid: user.gid, stdio: 'ignore' }).status === 0
  );
}

/**
 * The `native` tree (bin/, lib/, share/) the `postgres` user can run: the package's own when it can
 * reach it, else a root-owned copy under the shared folder, keyed by package version and platform.
 */
export function reachableNativeTree(
  nativeDir: string,
  user: PostgresUser,
  log: Logger,
  sharedDir = SHARED_DIR,
): string {
  const canRun = (dir: string) =>
    reachableBy(user, path.join(dir, 'bin', 'initdb')) &&
    reachableBy(user, path.join(dir, 'bin', 'postgres')) &&
    reachableBy(user, path.join(dir, 'share', 'postgresql', 'postgres.bki'), 'r');
  if (canRun(nativeDir)) return nativeDir;

  const version = packageVersion(nativeDir);
  const shared = trustedSharedDir(sharedDir, `the PostgreSQL binaries in ${nativeDir}`);
  const target = path.join(shared, `postgres-${version}-${process.platform}-${process.arch}`);
  if (!existsSync(target)) {
    log.info(
      { from: nativeDir, to: target },
      'copying the embedded PostgreSQL binaries where user postgres can run them',
    );
    const staging = mkdtempSync(path.join(shared, '.copy-'));
    try {
      cpSync(nativeDir, path.join(staging, 'native'), { recursive: true, verbatimSymlinks: true });
      openToOthers(path.join(staging, 'native'));
      renameSync(path.join(staging, 'native'), target);
    } catch (error) {
      // Another grantflow may have finished the same copy first; the rename is what makes it visible.
      if (!existsSync(target))
        throw cannotPlace(`copy the PostgreSQL binaries to ${target}`, nativeDir, error);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  const problem = untrustedFolder([{ dir: target, stat: lstatSync(target) }]);
  if (problem || !canRun(target)) {
    throw new StartupError(
      'embedded_postgres_unreachable',
      `The copied PostgreSQL binaries in ${target} cannot be used (${problem ?? 'user postgres cannot run them'}); ` +
        `remove ${target} and start again, or set DATABASE_URL to a PostgreSQL >= 15 server.`,
    );
  }
  return target;
}

/** The shared folder, created root-owned 0755, after checking nobody but root can change it or its parents. */
export function trustedSharedDir(sharedDir: string, forWhat: string): string {
  try {
    mkdirSync(sharedDir, { recursive: true, mode: 0o755 });
  } catch (error) {
    throw cannotPlace(`create ${sharedDir}`, forWhat, error);
  }
  const real = realpathSync(sharedDir);
  const chain: { dir: string; stat: Stats }[] = [];
  for (let dir = real; ; dir = path.dirname(dir)) {
    chain.push({ dir, stat: lstatSync(dir) });
    if (dir === path.dirname(dir)) break;
  }
  const problem = untrustedFolder(chain);
  if (problem) {
    throw new StartupError(
      'embedded_postgres_unreachable',
      `Cannot keep ${forWhat} in ${real}: ${problem}. Fix its ownership, or set DATABASE_URL to a PostgreSQL >= 15 server.`,
    );
  }
  return real;
}

/** The one explanation for "the postgres user cannot reach this and we cannot put it elsewhere". */
export function cannotPlace(action: string, forWhat: string, error: unknown): StartupError {
  return new StartupError(
    'embedded_postgres_unreachable',
    `Running as root, PostgreSQL runs as user postgres, who cannot reach ${forWhat}, and grantflow could not ` +
      `${action} (${(error as Error).message}). Move the checkout (or GRANTFLOW_DATA_DIR) to a folder other users ` +
      'can enter, run grantflow as an ordinary user, or set DATABASE_URL to a PostgreSQL >= 15 server.',
    error,
  );
}

function packageVersion(nativeDir: string): string {
  const file = path.join(nativeDir, '..', 'package.json');
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch (error) {
    throw new StartupError(
      'embedded_postgres_unavailable',
      `Cannot read the embedded PostgreSQL version from ${file}`,
      error,
    );
  }
}

/** Read (and, where the owner may, execute) for everyone; writable by root only. */
function openToOthers(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) chmodSync(file, 0o755);
    else chmodSync(file, lstatSync(file).mode & 0o100 ? 0o755 : 0o644);
  }
}
