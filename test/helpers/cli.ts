import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The checkout's root, where the CLI runs. */
export const root = path.resolve(import.meta.dirname, '../..');
/** The `grantflow` entrypoint (package.json `bin`). */
export const bin = path.join(root, 'bin', 'grantflow.js');

/** Runs the real `grantflow` command in plain Node (no vitest transform), as a user would. */
export async function grantflow(args: string[], env: NodeJS.ProcessEnv) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      cwd: root,
      env,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A real `grantflow worker` child process and the promise of its exit. */
export type WorkerProcess = { child: ChildProcess; exited: Promise<unknown> };

/**
 * Starts a real `grantflow worker` with `env` (a stack's `workerEnv()`) and its own data folder
 * (unless `dataDir` is given), so a test can SIGKILL it mid-work: no drain, no goodbye.
 */
export function spawnWorker(env: Record<string, string>, dataDir?: string): WorkerProcess {
  const child = spawn(process.execPath, [bin, 'worker'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'error',
      LOG_FORMAT: 'json',
      GRANTFLOW_DATA_DIR: dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'gf-worker-')),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { child, exited: new Promise((resolve) => child.once('exit', resolve)) };
}
