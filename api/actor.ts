import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { AuditActor, AuditSource } from '../audit/events.js';
import type { TokenPrincipal } from '../db/queries/api-tokens.js';
import type { ActorInput } from '../workflows/messages.js';

/** The authenticated person as the ledger records them. */
export function actorOf(principal: TokenPrincipal): AuditActor {
  return { type: 'person', id: principal.email, email: principal.email };
}

/** Where an API call came from, for the event's `source` (IP and user agent, when usable). */
export function sourceOf(request: FastifyRequest): Partial<AuditSource> {
  const userAgent = request.headers['user-agent']?.slice(0, 10_000);
  return {
    // The console's calls go through the same API; the service says which door the person used.
    service: request.principal?.via === 'console' ? 'grantflow-console' : 'grantflow-api',
    ...(isIP(request.ip) ? { ip: request.ip } : {}),
    ...(userAgent ? { user_agent: userAgent } : {}),
  };
}

/** The caller as a workflow update's actor: who, whether the API vouches they are an admin, and why. */
export function actorInput(principal: TokenPrincipal, reason?: string): ActorInput {
  return { by: principal.email, asAdmin: principal.role === 'admin', ...(reason ? { reason } : {}) };
}
