// What the SCIM routes share: the connection behind the request, where links point, and the body check.
import type { FastifyRequest } from 'fastify';
import type { ScimConnection } from '../../db/schema.js';
import type { IdentityDeps, ScimActor } from '../../identity/context.js';
import { leaverHook } from '../../identity/leaver.js';
import { allHooks } from '../../identity/lifecycle.js';
import { moverHook } from '../../identity/mover.js';
import { sourceOf } from '../actor.js';
import type { ApiDeps } from '../deps.js';
import { ScimError } from './errors.js';
import { isObject } from './patch.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The SCIM connection whose bearer token authenticated this request; set under /scim/v2 only. */
    scimConnection?: ScimConnection;
  }
}

/** The SCIM base URL as the caller reached it, for `location` and `$ref`. */
export function baseOf(request: { protocol: string; host: string }): string {
  return `${request.protocol}://${request.host}/scim/v2`;
}

/** The connection acting, as the identity use cases take it, with the caller's IP and user agent. */
export function scimActorOf(request: FastifyRequest): ScimActor {
  if (!request.scimConnection) throw new Error(`SCIM route ${request.routeOptions.url} ran unauthenticated`);
  const { service: _service, ...source } = sourceOf(request);
  return { connection: request.scimConnection.name, source };
}

/** The identity use cases' dependencies, from the API's. */
export function identityDeps(deps: ApiDeps): IdentityDeps {
  const starting = { db: deps.db, temporal: deps.temporal, taskQueue: deps.config.TEMPORAL_TASK_QUEUE };
  return {
    db: deps.db,
    onLifecycle: allHooks(
      leaverHook({ ...starting, slaSeconds: deps.config.GRANTFLOW_LEAVER_SLA_SECONDS }),
      moverHook({ ...starting, reviewSeconds: deps.config.GRANTFLOW_MOVER_REVIEW_SECONDS }),
    ),
  };
}

/** The request body as a JSON object, or a SCIM 400. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (!isObject(body)) throw new ScimError(400, 'The body must be a SCIM JSON object.', 'invalidSyntax');
  return body;
}
