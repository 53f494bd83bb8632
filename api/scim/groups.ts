// /scim/v2/Groups: list (with filter and paging), read, create, replace, patch (204), delete.
import {
  createScimGroup,
  deleteScimGroup,
  getScimGroup,
  listScimGroups,
  patchScimGroup,
  replaceScimGroup,
} from '../../identity/scim-groups.js';
import type { ApiServer } from '../api-server.js';
import type { ApiDeps } from '../deps.js';
import { baseOf, bodyObject, identityDeps, scimActorOf } from './context.js';
import { GROUP_SCHEMA } from './discovery.js';
import { groupFilter } from './filter.js';
import { groupInputOf, toScimGroup } from './group-mapping.js';
import { listResponse, pageOf, project, type ScimQuery, wantsMembers } from './list.js';
import { applyPatch } from './patch.js';
import { scimRoute } from './route-options.js';

type WithId = { Params: { id: string } };

/** The Groups routes, relative to /scim/v2. */
export function groupRoutes(app: ApiServer, deps: ApiDeps): void {
  const identity = identityDeps(deps);
  const shown = (query: ScimQuery) => ({
    members: wantsMembers(query) ? ('full' as const) : ('none' as const),
  });

  app.get<{ Querystring: ScimQuery }>('/Groups', scimRoute('listScimGroups'), async (request) => {
    const { limit, offset, startIndex } = pageOf(request.query);
    const filter = groupFilter(request.query.filter);
    const members = wantsMembers(request.query);
    const { rows, total } = await listScimGroups(identity, { filter, limit, offset, members });
    const base = baseOf(request);
    const resources = rows.map((group) =>
      project(toScimGroup(group, base, shown(request.query)), request.query, GROUP_SCHEMA),
    );
    return listResponse(resources, total, startIndex);
  });

  app.get<WithId & { Querystring: ScimQuery }>('/Groups/:id', scimRoute('getScimGroup'), async (request) => {
    const members = wantsMembers(request.query);
    const group = await getScimGroup(identity, request.params.id, { members });
    return project(toScimGroup(group, baseOf(request), shown(request.query)), request.query, GROUP_SCHEMA);
  });

  app.post('/Groups', scimRoute('createScimGroup'), async (request, reply) => {
    const group = await createScimGroup(
      identity,
      groupInputOf(bodyObject(request.body)),
      scimActorOf(request),
    );
    const resource = toScimGroup(group, baseOf(request));
    return reply
      .status(201)
      .header('location', (resource.meta as { location: string }).location)
      .send(resource);
  });

  app.put<WithId>('/Groups/:id', scimRoute('replaceScimGroup'), async (request) => {
    const input = groupInputOf(bodyObject(request.body));
    const group = await replaceScimGroup(identity, request.params.id, input, scimActorOf(request));
    return toScimGroup(group, baseOf(request));
  });

  // 204: IdPs patch large groups member by member and need no echo of every member.
  app.patch<WithId>('/Groups/:id', scimRoute('patchScimGroup'), async (request, reply) => {
    const base = baseOf(request);
    const body = bodyObject(request.body);
    await patchScimGroup(
      identity,
      request.params.id,
      (current) => groupInputOf(applyPatch(toScimGroup(current, base, { members: 'ids' }), body)),
      scimActorOf(request),
    );
    return reply.status(204).send();
  });

  app.delete<WithId>('/Groups/:id', scimRoute('deleteScimGroup'), async (request, reply) => {
    await deleteScimGroup(identity, request.params.id, scimActorOf(request));
    return reply.status(204).send();
  });
}
