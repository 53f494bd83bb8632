// /scim/v2/Users: list (with filter and paging), read, create, replace, patch, delete.
// DELETE deactivates and answers 204; the user stays readable with `active: false` afterwards
// (people are never deleted: grants and the ledger refer to them).
import {
  createScimUser,
  deleteScimUser,
  getScimUser,
  listScimUsers,
  patchScimUser,
  replaceScimUser,
} from '../../identity/scim-users.js';
import type { ApiServer } from '../api-server.js';
import type { ApiDeps } from '../deps.js';
import { baseOf, bodyObject, identityDeps, scimActorOf } from './context.js';
import { USER_SCHEMA } from './discovery.js';
import { userFilter } from './filter.js';
import { listResponse, pageOf, project, type ScimQuery } from './list.js';
import { applyPatch } from './patch.js';
import { scimRoute } from './route-options.js';
import { personInputOf, toScimUser } from './user-mapping.js';

type WithId = { Params: { id: string } };

/** The Users routes, relative to /scim/v2. */
export function userRoutes(app: ApiServer, deps: ApiDeps): void {
  const identity = identityDeps(deps);

  app.get<{ Querystring: ScimQuery }>('/Users', scimRoute('listScimUsers'), async (request) => {
    const { limit, offset, startIndex } = pageOf(request.query);
    const filter = userFilter(request.query.filter);
    const { rows, total } = await listScimUsers(identity, { filter, limit, offset });
    const base = baseOf(request);
    const resources = rows.map((person) => project(toScimUser(person, base), request.query, USER_SCHEMA));
    return listResponse(resources, total, startIndex);
  });

  app.get<WithId & { Querystring: ScimQuery }>('/Users/:id', scimRoute('getScimUser'), async (request) =>
    project(
      toScimUser(await getScimUser(identity, request.params.id), baseOf(request)),
      request.query,
      USER_SCHEMA,
    ),
  );

  app.post('/Users', scimRoute('createScimUser'), async (request, reply) => {
    const input = personInputOf(bodyObject(request.body));
    const { person } = await createScimUser(identity, input, scimActorOf(request));
    const resource = toScimUser(person, baseOf(request));
    return reply
      .status(201)
      .header('location', (resource.meta as { location: string }).location)
      .send(resource);
  });

  app.put<WithId>('/Users/:id', scimRoute('replaceScimUser'), async (request) => {
    const input = personInputOf(bodyObject(request.body));
    const { person } = await replaceScimUser(identity, request.params.id, input, scimActorOf(request));
    return toScimUser(person, baseOf(request));
  });

  app.patch<WithId>('/Users/:id', scimRoute('patchScimUser'), async (request) => {
    const base = baseOf(request);
    const body = bodyObject(request.body);
    const { person } = await patchScimUser(
      identity,
      request.params.id,
      (current) => {
        const resource = toScimUser(current, base);
        return personInputOf(applyPatch(resource, body), { resource, name: current.name });
      },
      scimActorOf(request),
    );
    return toScimUser(person, base);
  });

  app.delete<WithId>('/Users/:id', scimRoute('deleteScimUser'), async (request, reply) => {
    await deleteScimUser(identity, request.params.id, scimActorOf(request));
    return reply.status(204).send();
  });
}
