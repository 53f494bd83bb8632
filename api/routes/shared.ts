// What the REST route plugins share: a plugin made of named route functions, the common schemas
// (`:id`, `{ reason }`, email, ISO times), and actorUpdateRoute() for the repeated shape "POST
// /x/:id/<verb> with an optional reason, by the authenticated caller, through one use case".
// Refusals and not-found errors are thrown by the use cases and mapped to HTTP by ../errors.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiRole, TokenPrincipal } from '../../db/queries/api-tokens.js';
import type { ApiServer } from '../api-server.js';
import { principalOf, requireRole } from '../auth.js';
import type { ApiDeps } from '../deps.js';

/** One route: registers itself on the plugin's instance, with what it needs from `deps`. */
export type Route = (app: ApiServer, deps: ApiDeps) => void;

/** A plugin registering `routes` in order (the order the OpenAPI document lists them in). */
export function routePlugin(deps: ApiDeps, routes: readonly Route[]): FastifyPluginAsyncZod {
  return async (app) => {
    for (const route of routes) route(app, deps);
  };
}

/** The error shape (api/errors.ts), for documenting a route's 4xx answers in the OpenAPI document. */
export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** `/…/:id`: the record's UUID. */
export const idParams = z.object({ id: z.uuid() });

/** Why the caller does this, in their words; the ledger records it. */
export const reason = z.string().trim().min(1).max(2_000).optional();

/** A body holding only an optional reason; no body at all means none. */
const reasonBody = z.object({ reason }).default({});

/** An email address as given, compared lower-case. */
export const email = z.email().transform((value) => value.toLowerCase());

/** A stored time as ISO 8601; null stays null. */
export const iso = (value: string | Date | null) => (value === null ? null : new Date(value).toISOString());

/** A "POST /x/:id/<verb> with a reason" route: who may call it, its docs, and the one use case. */
export type ActorUpdate<Actor, Result> = {
  url: `/${string}/:id/${string}`;
  roles: readonly ApiRole[];
  tags: string[];
  operationId: string;
  summary: string;
  /** Its own error answers (the shared 400, 401 and 403 are added by api/openapi.ts). */
  errors: { 404: z.ZodType; 409?: z.ZodType };
  /** The 200 body's schema, when the route declares one. */
  response?: z.ZodType<Result>;
  /** The caller as the use case takes them, with the reason they gave. */
  actor: (principal: TokenPrincipal, reason?: string) => Actor;
  /** Calls the use case for record `id` and formats its answer. */
  update: (deps: ApiDeps, id: string, actor: Actor) => Promise<Result>;
};

/** The route for `spec`: authenticate, build the actor, call the use case, reply 200 with its answer. */
export function actorUpdateRoute<Actor, Result>(spec: ActorUpdate<Actor, Result>): Route {
  return (app, deps) => {
    app.post(
      spec.url,
      {
        preHandler: requireRole(deps.db, ...spec.roles),
        schema: {
          tags: spec.tags,
          operationId: spec.operationId,
          summary: spec.summary,
          params: idParams,
          body: reasonBody,
          response: { ...(spec.response ? { 200: spec.response } : {}), ...spec.errors },
        },
      },
      async (request) =>
        spec.update(deps, request.params.id, spec.actor(principalOf(request), request.body.reason)),
    );
  };
}
