// The workflows' code, bundled for the Temporal sandbox ahead of time and kept on disk: a worker
// start loads one file instead of running webpack, which takes seconds and leaves the worker idling
// about twice as large. The file is named after a hash of everything that goes into it, so an edit
// to a workflow (or an SDK upgrade) can never run on a stale bundle: it just names a bundle that
// does not exist yet, and the next start or `npm run build` makes it.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from '../core/logger.js';

const here = fileURLToPath(import.meta.url);
/** `.ts` from the sources (tsx), `.js` from the compiled dist/ tree. */
const extension = path.extname(here);
/** The tree the running code comes from: the checkout, or dist/. */
const sourceRoot = path.resolve(path.dirname(here), '..');
const workflowsEntry = path.join(sourceRoot, 'workflows', `index${extension}`);
/** Everything the sandbox runs of ours: lint (workflows-are-deterministic) keeps workflows/ to these. */
const BUNDLED_FOLDERS = ['workflows', 'domain'];
/** The SDK's side of the bundle: its runtime and the bundler's own entry code. */
const SDK_PACKAGES = ['@temporalio/workflow', '@temporalio/common', '@temporalio/worker'];

/** The folder holding package.json: the same for the sources and for dist/. */
function packageRoot(): string {
  for (let dir = sourceRoot; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return sourceRoot;
  }
}

/** Where bundles are kept: `dist/workflow-bundle/` of the package (`npm run build` writes there too). */
const workflowBundleDir = path.join(packageRoot(), 'dist', 'workflow-bundle');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.[cm]?[jt]s$/u.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** A hash of the bundle's inputs: our workflow and domain sources and the SDK versions. */
function workflowSourceHash(): string {
  const hash = createHash('sha256');
  const require = createRequire(import.meta.url);
  for (const name of SDK_PACKAGES) {
    const { version } = require(`${name}/package.json`) as { version: string };
    hash.update(`${name}@${version}\n`);
  }
  for (const folder of BUNDLED_FOLDERS) {
    for (const file of filesUnder(path.join(sourceRoot, folder))) {
      hash.update(`${path.relative(sourceRoot, file)}\n`);
      hash.update(readFileSync(file));
      hash.update('\n');
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/** The bundle the current sources need (it may not exist yet). */
export function workflowBundlePath(hash = workflowSourceHash()): string {
  const tree = extension === '.ts' ? 'src' : 'dist';
  return path.join(workflowBundleDir, `workflows-${tree}-${hash}.js`);
}

/**
 * Bundles the workflows with webpack, here in this process, and writes the bundle where
 * `workflowBundlePath` says (atomically: concurrent builds each write a whole file). Bundles of
 * other sources of this tree are removed. Returns the bundle's path.
 */
export async function buildWorkflowBundle(): Promise<string> {
  // Imported only here: a worker that loads a prebuilt bundle never loads webpack.
  const { bundleWorkflowCode } = await import('@temporalio/worker');
  const hash = workflowSourceHash();
  const target = workflowBundlePath(hash);
  const { code } = await bundleWorkflowCode({ workflowsPath: workflowsEntry });
  mkdirSync(workflowBundleDir, { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  writeFileSync(partial, code);
  renameSync(partial, target);
  const prefix = path.basename(target).replace(/-[0-9a-f]+\.js$/u, '-');
  for (const name of readdirSync(workflowBundleDir)) {
    if (name.startsWith(prefix) && name.endsWith('.js') && name !== path.basename(target)) {
      rmSync(path.join(workflowBundleDir, name), { force: true });
    }
  }
  return target;
}

/**
 * The bundle for the current sources, built first when it is missing or stale. The build runs in a
 * child process, so webpack's memory never stays behind in the worker that asked for it.
 */
export async function ensureWorkflowBundle(log: Logger): Promise<string> {
  const target = workflowBundlePath();
  if (existsSync(target)) return target;
  log.info('bundling the workflows (first start after a change; `npm run build` does it ahead of time)');
  const started = Date.now();
  await runBundlerProcess();
  if (!existsSync(target)) {
    throw new Error(`bundling the workflows wrote no ${target}: did the sources change meanwhile?`);
  }
  log.info(`workflows bundled in ${((Date.now() - started) / 1000).toFixed(1)} s: ${target}`);
  return target;
}

/** Runs worker/bundle-workflows.(ts|js) in a child Node process; its errors become ours. */
function runBundlerProcess(): Promise<void> {
  const script = path.join(sourceRoot, 'worker', `bundle-workflows${extension}`);
  // TypeScript sources run as bin/grantflow.js runs them: through tsx's loader.
  const loader =
    extension === '.ts'
      ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]
      : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...loader, script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = `${stderr}${chunk.toString()}`.slice(-8_000);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(new Error(`bundling the workflows failed (${signal ?? `exit ${code}`}):\n${stderr.trim()}`));
    });
  });
}
