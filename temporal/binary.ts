import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { StartupError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

const execFileAsync = promisify(execFile);

/** The newest Temporal CLI tag `go install` accepts (later tags carry a `replace` directive). */
const TEMPORAL_CLI_VERSION = 'v1.5.1';
const TEMPORAL_CLI_MODULE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;
const MIN_GO = [1, 25] as const;

/** Where a `temporal` binary was found, so `grantflow dev` can say which one it runs. */
export type TemporalBinary =
  | { kind: 'path'; path: string; source: 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'go install' }
  | { kind: 'sdk-download'; downloadDir: string };

/** Thrown when no way to get a Temporal dev server is left; the message lists every option. */
export class TemporalBinaryError extends StartupError {
  constructor(message: string, cause?: unknown) {
    super('temporal_binary_unavailable', message, cause);
  }
}

/** `$XDG_CACHE_HOME/grantflow`, else `~/.cache/grantflow`: shared by every checkout on the machine. */
export function grantflowCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'grantflow');
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Parses `go version` output ("go version go1.26.8 linux/amd64") into [major, minor]. */
export function parseGoVersion(output: string): [number, number] | undefined {
  const match = /go(\d+)\.(\d+)/.exec(output);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

async function goVersion(env: NodeJS.ProcessEnv): Promise<[number, number] | undefined> {
  try {
    const { stdout } = await execFileAsync('go', ['version'], { env });
    return parseGoVersion(stdout);
  } catch {
    return undefined;
  }
}

async function goInstall(cacheDir: string, env: NodeJS.ProcessEnv, log: Logger): Promise<void> {
  mkdirSync(cacheDir, { recursive: true });
  log.warn(
    `Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${cacheDir}. This happens once per machine ` +
      'and takes a few minutes; every grantflow checkout reuses it.',
  );
  const started = Date.now();
  const child = spawn('go', ['install', TEMPORAL_CLI_MODULE], {
    env: { ...env, CGO_ENABLED: '0', GOBIN: cacheDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const progress = setInterval(() => {
    log.info(`still building the Temporal CLI (${Math.round((Date.now() - started) / 1000)} s)`);
  }, 20_000);
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(-1));
    child.on('close', resolve);
  }).finally(() => clearInterval(progress));
  if (code !== 0) {
    throw new TemporalBinaryError(
      `go install ${TEMPORAL_CLI_MODULE} failed (exit ${code}):\n${output.trim()}`,
    );
  }
  log.info(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * Finds a Temporal CLI in DESIGN's order: TEMPORAL_CLI_PATH, PATH, the shared cache, a one-time
 * `go install` into the cache, and last the SDK's own download (which needs the internet).
 */
export async function resolveTemporalBinary(
  options: { cliPath?: string; allowBuild?: boolean; allowDownload?: boolean },
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<TemporalBinary> {
  if (options.cliPath) {
    if (!isExecutable(options.cliPath)) {
      throw new TemporalBinaryError(`TEMPORAL_CLI_PATH=${options.cliPath} is not an executable file.`);
    }
    return { kind: 'path', path: options.cliPath, source: 'TEMPORAL_CLI_PATH' };
  }
  const fromPath = onPath('temporal', env);
  if (fromPath) return { kind: 'path', path: fromPath, source: 'PATH' };

  const cacheDir = grantflowCacheDir(env);
  const cached = path.join(cacheDir, 'temporal');
  if (isExecutable(cached)) return { kind: 'path', path: cached, source: 'cache' };

  const go = await goVersion(env);
  const goIsRecent = go !== undefined && (go[0] > MIN_GO[0] || (go[0] === MIN_GO[0] && go[1] >= MIN_GO[1]));
  if (goIsRecent && options.allowBuild !== false) {
    await goInstall(cacheDir, env, log);
    if (existsSync(cached)) return { kind: 'path', path: cached, source: 'go install' };
  }
  if (options.allowDownload !== false) return { kind: 'sdk-download', downloadDir: cacheDir };
  throw new TemporalBinaryError(noTemporalMessage(go));
}

/** The one error a user sees when every way to a Temporal server failed. */
export function noTemporalMessage(go: [number, number] | undefined, cause?: string): string {
  const goLine =
    go === undefined
      ? `no Go toolchain was found (Go >= ${MIN_GO.join('.')} builds it: go install ${TEMPORAL_CLI_MODULE})`
      : `Go ${go.join('.')} is older than ${MIN_GO.join('.')}, too old to build ${TEMPORAL_CLI_MODULE}`;
  return [
    'No Temporal server is available, and none could be started:',
    `  - ${goLine};`,
    `  - the Temporal SDK could not download a dev server${cause ? ` (${cause})` : ''}.`,
    'Do one of these, then start again:',
    '  1. point TEMPORAL_CLI_PATH at a `temporal` binary, or put one on PATH;',
    `  2. install Go >= ${MIN_GO.join('.')} (grantflow builds the CLI once, into ${grantflowCacheDir()});`,
    '  3. set TEMPORAL_ADDRESS to a running Temporal server or Temporal Cloud.',
  ].join('\n');
}

/** Probes Go so the error message can say exactly why the build route was unavailable. */
export { goVersion as detectGoVersion };
