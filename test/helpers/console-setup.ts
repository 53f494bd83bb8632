// Browser tests' global setup, beside the services': the console built once per run. A build older
// than any source under web/ is rebuilt, so a browser test never drives yesterday's console.
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { consoleDistDir } from '../../api/console.js';
import { ensureConsoleBuilt } from '../../api/console-build.js';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';

/** The newest modification time under `dir` (skipping `skip`), in ms. */
function newest(dir: string, skip: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (full === skip) continue;
    latest = Math.max(latest, entry.isDirectory() ? newest(full, skip) : statSync(full).mtimeMs);
  }
  return latest;
}

/** Builds web/ into web/dist unless the build there is newer than every source. */
export default async function setup(): Promise<void> {
  const index = path.join(consoleDistDir, 'index.html');
  const webDir = path.dirname(consoleDistDir);
  let builtAt = 0;
  try {
    builtAt = statSync(index).mtimeMs;
  } catch {
    // not built yet
  }
  if (builtAt > 0 && newest(webDir, consoleDistDir) > builtAt) rmSync(index);
  const log = createLogger(
    loadConfig({ ...process.env, LOG_LEVEL: 'warn', LOG_FORMAT: 'json' }),
    'console-build',
  );
  await ensureConsoleBuilt(log);
}
