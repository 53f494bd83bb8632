import type { FastifyReply, FastifyRequest } from 'fastify';
import { GrantflowError } from '../core/errors.js';
import type { Database } from '../db/client.js';
import { type ApiRole, findPrincipalByToken, type TokenPrincipal } from '../db/queries/api-tokens.js';
import { sourceOf } from './actor.js';
import { hasSessionCookie, readSession } from './session/cookies.js';
import { checkCsrf } from './session/csrf.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set by `authenticate`. */
    principal?: TokenPrincipal;
  }
}

/**
 * 401: no or unknown credentials. `recordAs` names the refusal kind when it is worth a ledger
 * record: a token presented and refused is someone trying credentials; no credentials at all, or
 * a console session that ended, is a browser or a script that has not signed in (counted, not recorded).
 */
class UnauthenticatedError extends GrantflowError {
  constructor(
    message: string,
    readonly recordAs?: 'token.malformed' | 'token.unknown',
  ) {
    super('unauthenticated', message, { status: 401 });
  }
}

/** 403: authenticated, but this role may not do this. */
class ForbiddenError extends GrantflowError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('forbidden', message, { status: 403, details });
  }
}

/** The bearer token's principal; a request with an Authorization header is judged by it alone. */
async function tokenPrincipal(db: Database, header: string, reply: FastifyReply): Promise<TokenPrincipal> {
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) {
    reply.header('www-authenticate', 'Bearer');
    throw new UnauthenticatedError(
      'Send an API token as "Authorization: Bearer <token>" (grantflow token create).',
      'token.malformed',
    );
  }
  const principal = await findPrincipalByToken(db, match[1]);
  if (!principal) {
    reply.header('www-authenticate', 'Bearer error="invalid_token"');
    throw new UnauthenticatedError('The API token is unknown, revoked or expired.', 'token.unknown');
  }
  return principal;
}

/** The console session's principal; unsafe methods must pass the CSRF check first. */
async function sessionPrincipal(db: Database, request: FastifyRequest): Promise<TokenPrincipal> {
  const session = await readSession(db, request);
  if (!session) {
    throw new UnauthenticatedError(
      'Your console session has ended (signed out, timed out, or your role changed); sign in again.',
    );
  }
  await checkCsrf(db, request, session);
  const { personId, email, name, role } = session;
  return { personId, email, name, role, via: 'console' };
}

/** The caller's principal from their bearer token or console session; 401 without either. */
async function authenticate(
  db: Database,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<TokenPrincipal> {
  const header = request.headers.authorization;
  if (header !== undefined) return tokenPrincipal(db, header, reply);
  if (hasSessionCookie(request)) return sessionPrincipal(db, request);
  reply.header('www-authenticate', 'Bearer');
  throw new UnauthenticatedError(
    'Send an API token as "Authorization: Bearer <token>" (grantflow token create), or sign in to the console.',
  );
}

/**
 * Counts a 401 against its source (api/refusal-limits.ts): the refusal to throw, which is a 429
 * once the source is past its limit. A refused token is recorded, a handful of events per flood.
 */
async function refusalOf(
  request: FastifyRequest,
  reply: FastifyReply,
  error: UnauthenticatedError,
): Promise<GrantflowError> {
  const record = error.recordAs && {
    kind: error.recordAs,
    source: sourceOf(request),
    event: {
      event_type: 'security.auth.denied' as const,
      actor: { type: 'system' as const, id: 'unauthenticated-caller' },
      target: { type: 'endpoint', id: request.routeOptions.url ?? request.url.split('?')[0] ?? '/' },
      action: 'authenticate',
      result: 'denied' as const,
      reason: error.message,
      details: { method: request.method },
    },
  };
  const limited = await request.server.refusals.refuse(request, reply, {
    door: 'api',
    ...(record ? { record } : {}),
  });
  return limited ?? error;
}

/**
 * A preHandler that admits bearer tokens or console sessions of the given roles. Tokens are
 * looked up by SHA-256, so the database never holds a usable secret; a bearer token is no ambient
 * credential, so only cookie-authenticated writes need the CSRF token.
 */
export function requireRole(db: Database, ...roles: ApiRole[]) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    let principal: TokenPrincipal;
    try {
      principal = await authenticate(db, request, reply);
    } catch (error) {
      throw error instanceof UnauthenticatedError ? await refusalOf(request, reply, error) : error;
    }
    if (!roles.includes(principal.role)) {
      const held = principal.via === 'console' ? 'you are signed in as' : 'your token has';
      throw new ForbiddenError(`This needs the ${roles.join(' or ')} role; ${held} ${principal.role}.`, {
        required: roles,
        actual: principal.role,
      });
    }
    request.principal = principal;
  };
}

/** Every role: for routes any authenticated person may call. */
export const ANY_ROLE: ApiRole[] = ['employee', 'admin', 'auditor'];

/** The caller on a route guarded by `requireRole`; a route without the guard is a programming error. */
export function principalOf(request: FastifyRequest): TokenPrincipal {
  if (!request.principal) throw new Error(`route ${request.routeOptions.url} has no requireRole guard`);
  return request.principal;
}
