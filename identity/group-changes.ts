// Writing one group as an identity provider describes it: a unique key derived from its name, its
// members, and the ledger events (`identity.group.*`) with before and after, in the caller's transaction.

import type { AuditEventType } from '../audit/events.js';
import { ConflictError, ValidationError } from '../core/errors.js';
import type { Transaction } from '../db/client.js';
import {
  addMemberships,
  findGroupByName,
  type GroupMemberRow,
  type GroupPatch,
  groupKeysLike,
  insertGroup,
  removeMemberships,
  updateGroup,
} from '../db/queries/groups.js';
import { getPeopleByIds } from '../db/queries/people.js';
import type { Group } from '../db/schema.js';
import { recordIdentityChange, type ScimActor, sourceOf, uniqueViolation } from './context.js';

/** A group as an identity provider states it: its name, its externalId and every member's id. */
export type GroupInput = { name: string; externalId: string | null; memberIds: string[] };

/** A group and its members. */
export type GroupWithMembers = { group: Group; members: GroupMemberRow[] };

const KEY_MAX = 60;

/** `Platform Engineers (EU)` → `platform-engineers-eu`: a directory key (`[a-z0-9]` with `-`). */
function keyBase(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, KEY_MAX)
    .replace(/-+$/, '');
  return slug || 'group';
}

/** The first free key of `base`, `base-2`, `base-3`, ... */
async function freeKey(tx: Transaction, name: string): Promise<string> {
  const base = keyBase(name);
  const taken = new Set(await groupKeysLike(tx, base));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

async function checkName(tx: Transaction, actor: ScimActor, name: string, selfId?: string): Promise<void> {
  const same = await findGroupByName(tx, sourceOf(actor), name);
  if (same && same.id !== selfId) {
    throw new ConflictError(`a group named ${JSON.stringify(name)} already exists`, { field: 'displayName' });
  }
}

/** The people behind `ids`, refusing the whole change when one is unknown. */
async function membersOf(tx: Transaction, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const found = await getPeopleByIds(tx, unique);
  const emails = new Map(found.map((person) => [person.id, person.email]));
  const unknown = unique.filter((id) => !emails.has(id));
  if (unknown.length > 0) {
    throw new ValidationError(`members ${unknown.join(', ')} are not known users`, { field: 'members' });
  }
  return emails;
}

async function unique<T>(input: GroupInput, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (!constraint) throw error;
    throw new ConflictError(
      constraint === 'groups_source_external_id_key'
        ? `externalId ${input.externalId} is already used by another group`
        : `a group like ${JSON.stringify(input.name)} was created at the same time; try again`,
      { field: constraint === 'groups_source_external_id_key' ? 'externalId' : 'displayName' },
    );
  }
}

/** Inserts a group of the actor's source with its members and records the events. */
export async function insertScimGroup(tx: Transaction, input: GroupInput, actor: ScimActor): Promise<Group> {
  await checkName(tx, actor, input.name);
  const emails = await membersOf(tx, input.memberIds);
  const key = await freeKey(tx, input.name);
  const group = await unique(input, () =>
    insertGroup(tx, { key, name: input.name, source: sourceOf(actor), externalId: input.externalId }),
  );
  await addMemberships(
    tx,
    [...emails.keys()].map((personId) => ({ groupId: group.id, personId })),
  );
  const after = { key, name: group.name, externalId: group.externalId, source: group.source };
  await record(tx, actor, 'identity.group.created', 'create', group, { before: null, after });
  if (emails.size > 0) await recordMembers(tx, actor, group, [...emails], []);
  return group;
}

/** Makes `current` match `input` (taking a file group over) and records what changed. */
export async function updateScimGroup(
  tx: Transaction,
  current: GroupWithMembers,
  input: GroupInput,
  actor: ScimActor,
): Promise<Group> {
  const { group } = current;
  if (input.name !== group.name) await checkName(tx, actor, input.name, group.id);
  const emails = await membersOf(tx, input.memberIds);
  const patch: GroupPatch = {};
  if (input.name !== group.name) patch.name = input.name;
  if (input.externalId !== group.externalId) patch.externalId = input.externalId;
  if (group.source !== sourceOf(actor)) patch.source = sourceOf(actor);
  const updated = { ...group, ...patch };
  if (Object.keys(patch).length > 0) {
    await unique(input, () => updateGroup(tx, group.id, patch));
    const fields = Object.keys(patch) as (keyof GroupPatch)[];
    const details: Record<string, unknown> = {
      before: Object.fromEntries(fields.map((field) => [field, group[field]])),
      after: Object.fromEntries(fields.map((field) => [field, updated[field]])),
    };
    if (patch.source) details.took_over_from = group.source;
    await record(
      tx,
      actor,
      'identity.group.updated',
      patch.source ? 'take_over' : 'update',
      updated,
      details,
    );
  }
  const had = new Map(current.members.map((m) => [m.personId, m.email]));
  const added = [...emails].filter(([id]) => !had.has(id));
  const removed = [...had].filter(([id]) => !emails.has(id));
  await addMemberships(
    tx,
    added.map(([personId]) => ({ groupId: group.id, personId })),
  );
  await removeMemberships(
    tx,
    removed.map(([personId]) => ({ groupId: group.id, personId })),
  );
  if (added.length + removed.length > 0) await recordMembers(tx, actor, updated, added, removed);
  return updated;
}

/** Records a deleted group with what it was and who belonged to it. */
export async function recordGroupDeleted(tx: Transaction, actor: ScimActor, current: GroupWithMembers) {
  const { group, members } = current;
  await record(tx, actor, 'identity.group.deleted', 'delete', group, {
    before: {
      key: group.key,
      name: group.name,
      externalId: group.externalId,
      source: group.source,
      members: members.map((m) => ({ id: m.personId, email: m.email })),
    },
    after: null,
  });
}

async function recordMembers(
  tx: Transaction,
  actor: ScimActor,
  group: Group,
  added: [string, string][],
  removed: [string, string][],
): Promise<void> {
  const list = (entries: [string, string][]) => entries.map(([id, email]) => ({ id, email }));
  await record(tx, actor, 'identity.group.members_changed', 'change_members', group, {
    added: list(added),
    removed: list(removed),
  });
}

function record(
  tx: Transaction,
  actor: ScimActor,
  type: AuditEventType,
  action: string,
  group: Group,
  details: Record<string, unknown>,
): Promise<void> {
  const target = { type: 'group' as const, id: group.id, name: group.key };
  return recordIdentityChange(tx, actor, { type, action, target, details });
}
