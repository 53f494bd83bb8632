// Passkey routes: the options to register one, registering it, and listing one's own. Each person
// manages only their own passkeys; step-up on decisions is in requests.ts.

import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TokenPrincipal } from '../../db/queries/api-tokens.js';
import {
  listPasskeys,
  type PasskeyActor,
  type PasskeyDeps,
  type PasskeyView,
  passkeyRegistrationOptions,
  registerPasskey,
} from '../../identity/passkeys/register.js';
import { relyingPartyOf } from '../../identity/passkeys/relying-party.js';
import { actorOf, sourceOf } from '../actor.js';
import type { ApiServer } from '../api-server.js';
import { ANY_ROLE, principalOf, requireRole } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { errorBody, iso, routePlugin } from './shared.js';
import { creationOptions, registrationResponse } from './webauthn-schemas.js';

const passkeyBody = z.object({
  id: z.uuid(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});

const unauthenticated = errorBody.describe('No token or session, or an unknown, revoked or expired one');

const passkeyDeps = (deps: ApiDeps): PasskeyDeps => ({
  db: deps.db,
  relyingParty: relyingPartyOf(deps.config.publicUrl),
});

function passkeyActor(principal: TokenPrincipal, request: FastifyRequest): PasskeyActor {
  return {
    personId: principal.personId,
    email: principal.email,
    name: principal.name,
    audit: actorOf(principal),
    source: { service: 'grantflow-api', ...sourceOf(request) },
  };
}

const toBody = (passkey: PasskeyView): z.infer<typeof passkeyBody> => ({
  id: passkey.id,
  name: passkey.name,
  createdAt: iso(passkey.createdAt) ?? '',
  lastUsedAt: iso(passkey.lastUsedAt),
});

function optionsRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/passkeys/registration-options',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['passkeys'],
        operationId: 'createPasskeyRegistrationOptions',
        summary: 'Options for registering a new passkey of yours (valid for five minutes, once)',
        response: { 200: creationOptions, 401: unauthenticated },
      },
    },
    async (request) =>
      passkeyRegistrationOptions(passkeyDeps(deps), passkeyActor(principalOf(request), request)),
  );
}

function registerRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/passkeys',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['passkeys'],
        operationId: 'registerPasskey',
        summary: 'Register the passkey your browser created for the options; recorded in the ledger',
        body: z.object({
          name: z.string().trim().min(1).max(100).optional(),
          response: registrationResponse,
        }),
        response: {
          201: passkeyBody,
          400: errorBody.describe(
            'The response does not verify, or answers no challenge handed to you (expired, used)',
          ),
          401: unauthenticated,
          409: errorBody.describe('This passkey is already registered'),
        },
      },
    },
    async (request, reply) => {
      const registered = await registerPasskey(
        passkeyDeps(deps),
        { name: request.body.name, response: request.body.response },
        passkeyActor(principalOf(request), request),
      );
      return reply.status(201).send(toBody(registered));
    },
  );
}

function listRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/passkeys',
    {
      preHandler: requireRole(deps.db, ...ANY_ROLE),
      schema: {
        tags: ['passkeys'],
        operationId: 'listPasskeys',
        summary: 'Your registered passkeys, oldest first',
        response: { 200: z.object({ items: z.array(passkeyBody) }), 401: unauthenticated },
      },
    },
    async (request) => ({
      items: (await listPasskeys(deps, principalOf(request).personId)).map(toBody),
    }),
  );
}

/** Passkeys: registration options, registering one, listing one's own. */
export function passkeyRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return routePlugin(deps, [optionsRoute, registerRoute, listRoute]);
}
