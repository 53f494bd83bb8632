// The web console: the built single-page app (web/dist) served at `/`, and index.html for every
// console address the browser asks for directly (/approvals, /admin/campaigns/…), so deep links
// and reloads work. API, SCIM, Slack and sign-in paths are never shadowed: the pages are the
// root not-found handler's fallback, after every route and every plugin's own handler.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NotFoundFallback } from './errors.js';

/** Where `npm run build` (vite build) puts the console. */
export const consoleDistDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'web', 'dist');

/** Paths the console never answers for: they belong to the API's other doors. */
const NOT_CONSOLE = /^\/(api|auth|scim|slack|healthz|readyz)(\/|$|\?)/;

/**
 * Serves the console's files from `root` when it has been built, and returns the fallback that
 * answers a page address with index.html (or, unbuilt, says how to build it).
 */
export async function registerConsole(
  app: FastifyInstance,
  root = consoleDistDir,
): Promise<NotFoundFallback> {
  const built = existsSync(path.join(root, 'index.html'));
  if (built) {
    // Hashed assets never change under their name; index.html must be fetched fresh.
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: false,
      setHeaders: (reply, file) => {
        reply.header(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isPageAddress(request)) return false;
    if (!built) {
      await reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The web console has not been built: run `npm run build` (grantflow dev builds it on start).');
      return true;
    }
    await reply.header('cache-control', 'no-cache').sendFile('index.html');
    return true;
  };
}

/** A GET for a console page: not another door's path, and no file name (a missing asset is a 404). */
function isPageAddress(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (NOT_CONSOLE.test(request.url)) return false;
  const file = request.url.split('?')[0] ?? '/';
  return !file.startsWith('/assets/') && path.extname(file) === '';
}
