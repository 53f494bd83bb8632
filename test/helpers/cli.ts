import { execFile } from 'node:child_process';
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
