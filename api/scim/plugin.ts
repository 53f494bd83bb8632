// The SCIM 2.0 service provider at /scim/v2 (RFC 7643/7644), for Okta, Microsoft Entra ID and any
// other IdP that pushes people and groups. Its own scope: SCIM bodies (`application/scim+json`, or
// `application/json`), SCIM error bodies for every failure, and SCIM connection tokens only — an API
// token is not valid here, and a SCIM token is not valid anywhere else.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authenticateConnection } from '../../identity/connections.js';
import type { ApiDeps } from '../deps.js';
import { baseOf } from './context.js';
import { discoveryRoutes } from './discovery.js';
import { registerScimErrorHandling, SCIM_MEDIA_TYPE, ScimError } from './errors.js';
import { groupRoutes } from './groups.js';
import { userRoutes } from './users.js';

const JSON_TYPES = ['application/json', 'application/scim+json'];

/** The /scim/v2 plugin; register it with that prefix. */
export function scimPlugin(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    registerScimErrorHandling(app);
    // The API's JSON parser, but an empty body (a DELETE that still names its content type) is none.
    const json = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser(JSON_TYPES, { parseAs: 'string' }, (request, body, done) =>
      body === '' ? done(null, undefined) : json(request, body as string, done),
    );

    app.addHook('onRequest', async (request, reply) => {
      reply.type(SCIM_MEDIA_TYPE);
      const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
      const connection = match?.[1] ? await authenticateConnection(deps.db, match[1]) : undefined;
      if (!connection) {
        reply.header('www-authenticate', 'Bearer realm="grantflow-scim"');
        throw new ScimError(
          401,
          match
            ? 'The SCIM token is unknown or revoked.'
            : 'Send the SCIM connection token as "Authorization: Bearer <token>" (grantflow scim token create).',
        );
      }
      request.scimConnection = connection;
    });

    discoveryRoutes(app, baseOf);
    userRoutes(app, deps);
    groupRoutes(app, deps);
  };
}
