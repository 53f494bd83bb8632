import type { FastifyReply, FastifyRequest } from 'fastify';
import { GrantflowError } from '../core/errors.js';
import type { Database } from '../db/client.js';
import { type ApiRole, findPrincipalByToken, type TokenPrincipal } from '../db/queries/api-tokens.js';
import { hasSessionCookie, readSession } from './session/cookies.js';
import { checkCsrf } from './session/csrf.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set by `authenticate`. */
    principal?: TokenPrincipal;
  }
}

/** 401: no or unknown credentials. */
class UnauthenticatedError extends GrantflowError {
  constructor(message: string) {
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
    );
  }
  const principal = await findPrincipalByToken(db, match[1]);
  if (!principal) {
    reply.header('www-authenticate', 'Bearer error="invalid_token"');
    throw new UnauthenticatedError('The API token is unknown, revoked or expired.');
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

/**
 * A preHandler that admits bearer tokens or console sessions of the given roles. Tokens are
 * looked up by SHA-256, so the database never holds a usable secret; a bearer token is no ambient
 * credential, so only cookie-authenticated writes need the CSRF token.
 */
export function requireRole(db: Database, ...roles: ApiRole[]) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization;
    let principal: TokenPrincipal;
    if (header !== undefined) principal = await tokenPrincipal(db, header, reply);
    else if (hasSessionCookie(request)) principal = await sessionPrincipal(db, request);
    else {
      reply.header('www-authenticate', 'Bearer');
      throw new UnauthenticatedError(
        'Send an API token as "Authorization: Bearer <token>" (grantflow token create), or sign in to the console.',
      );
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
