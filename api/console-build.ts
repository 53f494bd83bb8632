// Building the console when it is missing, so `npm install && npm start` serves it with no extra
// step. Production installs build it once with `npm run build`; Vite is only needed here.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../core/logger.js';
import { consoleDistDir } from './console.js';

/** Runs `vite build` for web/ unless web/dist already holds a build. */
export async function ensureConsoleBuilt(log: Logger, dist = consoleDistDir): Promise<void> {
  if (existsSync(path.join(dist, 'index.html'))) return;
  const webDir = path.dirname(dist);
  if (!existsSync(path.join(webDir, 'vite.config.ts'))) {
    log.warn('the web console sources are not here; the API runs without a console');
    return;
  }
  log.info('building the web console (first start; `npm run build` does it ahead of time)');
  const started = Date.now();
  // Imported only when needed: production images ship web/dist and no Vite.
  const vite = await import('vite');
  await vite.build({ configFile: path.join(webDir, 'vite.config.ts'), logLevel: 'warn' });
  log.info(`web console built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
