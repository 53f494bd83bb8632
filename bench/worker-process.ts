// A real `grantflow worker` as a child process, started with the environment a deployment gives
// it, so benches can read its memory from /proc: the campaigns bench (peak while snapshotting) and
// the worker bench (idle size and start-up time).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/grantflow.js', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Resident memory of a process, from /proc/<pid>/status, in megabytes: now (VmRSS) and peak (VmHWM). */
type Memory = { rssMb: number; peakMb: number };

/** A `grantflow worker` (or another measured Node) child process and its resident memory. */
export type WorkerProcess = {
  pid: number;
  /** From spawning the process to its ready line, in milliseconds. */
  startupMs: number;
  /** RSS now, in megabytes. */
  rssMb(): number;
  /** Starts the peak again from the current RSS. */
  resetPeak(): void;
  /**
   * The peak RSS since `resetPeak`, in megabytes: VmHWM, restarted by Linux clear_refs; where that
   * is refused, the highest RSS seen by sampling every 50 ms (which can miss a short spike).
   */
  peakMb(): number;
  stop(): Promise<void>;
};

function readMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/**
 * Starts `node bin/grantflow.js worker` with the environment a deployment gives it (as the crash
 * tests do) and resolves once it logs that it polls. Its warnings and errors go to stderr.
 */
export function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  return startMeasuredProcess([BIN, 'worker'], env, 'worker polling');
}

/**
 * Starts `node <args>` with a scratch data dir and `env`, and resolves once it logs a JSON line
 * whose `msg` starts with `ready` (JSON lines on stdout or stderr, pino's shape).
 */
export async function startMeasuredProcess(
  args: string[],
  env: Record<string, string>,
  ready: string,
): Promise<WorkerProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'grantflow-bench-worker-'));
  const spawnedAt = performance.now();
  let startupMs = Number.NaN;
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      GRANTFLOW_DATA_DIR: dataDir,
      // A checkpoint seal over the growing ledger mid-measurement would be noise, not campaign cost.
      GRANTFLOW_AUDIT_CHECKPOINT_SECONDS: '86400',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start node ${args.join(' ')}`);
  let exited: { code: number | null; signal: string | null } | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );
  let resolveReady: () => void = () => {};
  const polling = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });
  // Every line is read (a full pipe would stall the worker); only warnings and errors are shown.
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      let entry: { level?: number; msg?: string } | undefined;
      try {
        entry = JSON.parse(line) as { level?: number; msg?: string };
      } catch {
        process.stderr.write(`  worker: ${line}\n`);
        return;
      }
      if (entry.msg?.startsWith(ready) && Number.isNaN(startupMs)) {
        startupMs = performance.now() - spawnedAt;
        resolveReady();
      }
      if ((entry.level ?? 0) >= 40) process.stderr.write(`  worker: ${line}\n`);
    });
  }
  let sampledPeak = 0;
  const sampler = setInterval(() => {
    try {
      sampledPeak = Math.max(sampledPeak, readMemory(pid).rssMb);
    } catch {
      // Exited between ticks.
    }
  }, 50);
  sampler.unref();
  const stop = async () => {
    clearInterval(sampler);
    if (!exited) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const started = await Promise.race([
    polling.then(() => true),
    exit.then(() => false),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), 120_000).unref()),
  ]);
  if (!started) {
    await stop();
    throw new Error(
      `node ${args.join(' ')} did not log "${ready}" (${exited ? `exited ${exited.code ?? exited.signal}` : 'timed out'})`,
    );
  }
  let kernelPeak = false;
  return {
    pid,
    startupMs,
    rssMb: () => readMemory(pid).rssMb,
    resetPeak() {
      sampledPeak = readMemory(pid).rssMb;
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
        kernelPeak = true;
      } catch {
        kernelPeak = false;
      }
    },
    peakMb: () => (kernelPeak ? readMemory(pid).peakMb : sampledPeak),
    stop,
  };
}
