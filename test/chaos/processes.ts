// `grantflow worker` and `grantflow api` as real child processes, each under a small supervisor
// that does what systemd's Restart=always or a Kubernetes Deployment does: a process that exits
// when nobody asked it to is started again (and counted). `kill()` is a real SIGKILL.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { lastLines } from '../../core/files.js';
import { bin, root } from '../helpers/cli.js';

/** A supervised `grantflow <command>` process. */
export type Supervised = {
  name: string;
  pid(): number | undefined;
  /** SIGKILL the running process and wait for it to die; the caller restarts it with `start`. */
  kill(): Promise<void>;
  start(): void;
  /** Times it died without being killed by the suite, and was restarted. */
  unexpectedExits(): number;
  /** The last lines it wrote to stderr and stdout. */
  tail(): string;
  stop(): Promise<void>;
};

/** Starts `grantflow <command>` with `env`, writing its output to `logFile`. */
export function supervise(
  name: string,
  command: 'worker' | 'api',
  env: Record<string, string>,
  logFile: string,
): Supervised {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let expectingExit = false;
  let stopped = false;
  let unexpected = 0;

  const start = () => {
    expectingExit = false;
    const out = openSync(logFile, 'a');
    const started = spawn(process.execPath, [bin, command], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_FORMAT: 'json', ...env },
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    child = started;
    exited = new Promise((resolve) =>
      started.once('exit', () => {
        if (child === started) child = undefined;
        resolve();
        if (!expectingExit && !stopped) {
          unexpected += 1;
          // As a supervisor would: a short pause, then the process again.
          void sleep(1_000).then(() => {
            if (!stopped && child === undefined) start();
          });
        }
      }),
    );
  };

  return {
    name,
    pid: () => child?.pid,
    async kill() {
      if (!child) throw new Error(`${name} is not running`);
      expectingExit = true;
      child.kill('SIGKILL');
      await exited;
    },
    start,
    unexpectedExits: () => unexpected,
    tail: () => lastLines(logFile),
    async stop() {
      stopped = true;
      expectingExit = true;
      child?.kill('SIGTERM');
      const forced = setTimeout(() => child?.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(forced);
    },
  };
}
