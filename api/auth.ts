import type { FastifyReply, FastifyRequest } from 'fastify';
import { GrantflowError } from '../core/errors.js';
import type { Database } from '../db/client.js';
import { type ApiRole, findPrincipalByToken, type TokenPrincipal } from '../db/queries/api-tokens.js';

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

/**
 * A preHandler that admits bearer tokens of the given roles. Tokens are looked up by SHA-256, so
 * the database never holds a usable secret.
 */
export function requireRole(db: Database, ...roles: ApiRole[]) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
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
    if (!roles.includes(principal.role)) {
      throw new ForbiddenError(
        `This needs the ${roles.join(' or ')} role; your token has ${principal.role}.`,
        {
          required: roles,
          actual: principal.role,
        },
      );
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
