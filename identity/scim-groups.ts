// The SCIM Groups use cases: an identity provider's connection creates, replaces, patches and
// deletes groups and their memberships. The same source rule as for people applies: its own groups,
// the file's groups (taken over on first change), never another connection's. A group's key is
// derived from its name once, at creation, and stays when the group is renamed, so policies that
// name `group:<key>` keep working.
import { NotFoundError } from '../core/errors.js';
import type { Transaction } from '../db/client.js';
import {
  deleteGroups,
  findGroups,
  type GroupField,
  getGroupById,
  listMembersOfGroups,
} from '../db/queries/groups.js';
import type { RecordFilter } from '../db/queries/record-filter.js';
import type { Group } from '../db/schema.js';
import { assertMayManage, type IdentityDeps, refusalsRecorded, type ScimActor } from './context.js';
import {
  type GroupInput,
  type GroupWithMembers,
  insertScimGroup,
  recordGroupDeleted,
  updateScimGroup,
} from './group-changes.js';

export type { GroupInput, GroupWithMembers } from './group-changes.js';

/** Whether to load members: an IdP asking with `excludedAttributes=members` does not need them. */
type MemberOption = { members: boolean };

async function withMembers(deps: IdentityDeps, groups: Group[], options: MemberOption) {
  const members = options.members
    ? await listMembersOfGroups(
        deps.db,
        groups.map((g) => g.id),
      )
    : [];
  return groups.map((group) => ({ group, members: members.filter((m) => m.groupId === group.id) }));
}

/** One group by SCIM id; 404 when unknown. Any connection may read. */
export async function getScimGroup(
  deps: IdentityDeps,
  id: string,
  options: MemberOption,
): Promise<GroupWithMembers> {
  const group = await getGroupById(deps.db, id);
  if (!group) throw new NotFoundError('Group', id);
  const [found] = await withMembers(deps, [group], options);
  return found as GroupWithMembers;
}

/** The groups matching `filter`, a page at a time. */
export async function listScimGroups(
  deps: IdentityDeps,
  query: { filter?: RecordFilter<GroupField>; limit: number; offset: number } & MemberOption,
): Promise<{ rows: GroupWithMembers[]; total: number }> {
  const { rows, total } = await findGroups(deps.db, query);
  return { rows: await withMembers(deps, rows, query), total };
}

/** Creates a group (POST); a second group of the same name from this connection is a conflict. */
export async function createScimGroup(
  deps: IdentityDeps,
  input: GroupInput,
  actor: ScimActor,
): Promise<GroupWithMembers> {
  const group = await deps.db.transaction((tx) => insertScimGroup(tx, input, actor));
  return getScimGroup(deps, group.id, { members: true });
}

/** Replaces a group with `input` (PUT): name, externalId and the whole member list. */
export async function replaceScimGroup(
  deps: IdentityDeps,
  id: string,
  input: GroupInput,
  actor: ScimActor,
): Promise<GroupWithMembers> {
  return patchScimGroup(deps, id, () => input, actor, 'replace');
}

/**
 * Patches a group (PATCH): `apply` turns the locked group and its members into the whole new group
 * (the door applies the SCIM operations); anything it throws changes nothing.
 */
export async function patchScimGroup(
  deps: IdentityDeps,
  id: string,
  apply: (current: GroupWithMembers) => GroupInput,
  actor: ScimActor,
  action = 'patch',
): Promise<GroupWithMembers> {
  await refusalsRecorded(deps, actor, action, () =>
    deps.db.transaction(async (tx) => {
      const current = await lockedGroup(tx, id, actor);
      return updateScimGroup(tx, current, apply(current), actor);
    }),
  );
  return getScimGroup(deps, id, { members: true });
}

/** Deletes a group and its memberships (DELETE); people are untouched. */
export async function deleteScimGroup(deps: IdentityDeps, id: string, actor: ScimActor): Promise<void> {
  await refusalsRecorded(deps, actor, 'delete', () =>
    deps.db.transaction(async (tx) => {
      const current = await lockedGroup(tx, id, actor);
      await deleteGroups(tx, [id]);
      await recordGroupDeleted(tx, actor, current);
    }),
  );
}

async function lockedGroup(tx: Transaction, id: string, actor: ScimActor): Promise<GroupWithMembers> {
  const group = await getGroupById(tx, id, { lock: true });
  if (!group) throw new NotFoundError('Group', id);
  assertMayManage(actor, group, { type: 'group', name: group.key });
  return { group, members: await listMembersOfGroups(tx, [id]) };
}
