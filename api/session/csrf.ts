// CSRF protection for cookie-authenticated writes. Why a session-bound token and not
// @fastify/csrf-protection: that plugin keeps its secret in @fastify/session, secure-session or a
// signed cookie, and our sessions are server-side rows; a random token stored in the session row
// (the synchronizer-token pattern), compared in constant time, needs no second secret and dies
// with the session. On top, Fetch Metadata and Origin: a browser request from another site is
// refused even if a token leaked.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { recordAudit } from '../../audit/intake.js';
import { GrantflowError } from '../../core/errors.js';
import type { Database } from '../../db/client.js';
import type { SessionRecord } from '../../db/queries/console-sessions.js';
import type { ConsoleSessionPolicy } from '../../identity/console-sign-in.js';
import { sourceOf } from '../actor.js';

/** The header a cookie-authenticated write must carry. */
const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** 403 `csrf_failed`: the write did not prove it came from the console. */
class CsrfError extends GrantflowError {
  constructor(message: string) {
    super('csrf_failed', message, { status: 403 });
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The console's origin (scheme://host:port of the public URL), for the Origin check. */
    consoleOrigin: string | undefined;
    /** The role mapping sessions are held to (undefined: console sign-in not configured). */
    consolePolicy: ConsoleSessionPolicy | undefined;
  }
}

/** Why a write fails the check, or undefined when it passes. */
function problemOf(request: FastifyRequest, session: SessionRecord): string | undefined {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return `the request came from another site (Sec-Fetch-Site: ${site})`;
  }
  const origin = request.headers.origin;
  const expected = request.server.consoleOrigin ?? `${request.protocol}://${request.host}`;
  if (origin !== undefined && origin !== expected) return `the request came from another origin (${origin})`;
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || sent === '') return `the ${CSRF_HEADER} header is missing`;
  const a = Buffer.from(sent);
  const b = Buffer.from(session.csrfToken);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return `the ${CSRF_HEADER} header is wrong`;
  return undefined;
}

/**
 * Refuses (403, recorded as `auth.csrf.refused`) an unsafe-method request authenticated by the
 * session cookie unless it carries the session's token and no foreign origin; safe methods pass.
 */
export async function checkCsrf(
  db: Database,
  request: FastifyRequest,
  session: SessionRecord,
): Promise<void> {
  if (SAFE_METHODS.has(request.method)) return;
  const problem = problemOf(request, session);
  if (!problem) return;
  await recordAudit(
    db,
    {
      event_type: 'auth.csrf.refused',
      actor: { type: 'person', id: session.email, email: session.email },
      target: { type: 'api_route', id: `${request.method} ${request.routeOptions.url ?? request.url}` },
      action: 'write',
      result: 'denied',
      reason: problem,
    },
    { source: { ...sourceOf(request), service: 'grantflow-console' } },
  );
  throw new CsrfError(`Refused: ${problem}. Cookie-authenticated writes must send ${CSRF_HEADER}.`);
}
