// The web console: the built single-page app (web/dist) served at `/`, and index.html for every
// console address the browser asks for directly (/approvals, /admin/campaigns/…), so deep links
// and reloads work. API, SCIM, Slack and sign-in paths are never shadowed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where `npm run build` (vite build) puts the console. */
export const consoleDistDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'web', 'dist');

/** Paths the console never answers for: they belong to the API's other doors. */
const NOT_CONSOLE = /^\/(api|auth|scim|slack|healthz|readyz)(\/|$|\?)/;

/** Serves the console from `root` when it has been built; says how to build it otherwise. */
export async function registerConsole(app: FastifyInstance, root = consoleDistDir): Promise<void> {
  const built = existsSync(path.join(root, 'index.html'));
  if (built) {
    // Hashed assets never change under their name; index.html must be fetched fresh.
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: false,
      setHeaders: (res, file) => {
        res.setHeader(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    if (NOT_CONSOLE.test(request.url)) return reply.callNotFound();
    if (!built) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The web console has not been built: run `npm run build` (grantflow dev builds it on start).');
    }
    const file = request.url.split('?')[0] ?? '/';
    // An asset that is missing is a 404, not the app: a stale tab must not get HTML as JavaScript.
    if (file.startsWith('/assets/') || path.extname(file) !== '') return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
