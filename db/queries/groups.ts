import { and, asc, count, eq, inArray, like, or, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { type Group, groupMembers, groups, people } from '../schema.js';
import { isUuid } from './ids.js';
import { type FieldSql, filterSql, type RecordFilter } from './record-filter.js';

/** Columns a new group row needs. */
export type NewGroup = typeof groups.$inferInsert;
/** Fields an update may change; `updated_at` is set by the query. */
export type GroupPatch = Partial<Pick<Group, 'name' | 'description' | 'source' | 'externalId'>>;
/** A group with how many people belong to it. */
export type GroupWithCount = Group & { memberCount: number };
/** One membership with the keys people read (group key, member email). */
export type Membership = { groupId: string; groupKey: string; personId: string; email: string };

/** Every group ordered by key, with its member count. */
export async function listGroups(db: Executor): Promise<GroupWithCount[]> {
  const rows = await db
    .select({ group: groups, memberCount: count(groupMembers.personId) })
    .from(groups)
    .leftJoin(groupMembers, eq(groupMembers.groupId, groups.id))
    .groupBy(groups.id)
    .orderBy(asc(groups.key));
  return rows.map((row) => ({ ...row.group, memberCount: row.memberCount }));
}

/** Keys of the groups a person belongs to, for policy checks like `requesterInGroups`. */
export async function listGroupKeysOfPerson(db: Executor, personId: string): Promise<string[]> {
  const rows = await db
    .select({ key: groups.key })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(eq(groupMembers.personId, personId))
    .orderBy(asc(groups.key));
  return rows.map((row) => row.key);
}

/** Every membership, ordered by group key then email. */
export async function listMemberships(db: Executor): Promise<Membership[]> {
  return db
    .select({ groupId: groups.id, groupKey: groups.key, personId: people.id, email: people.email })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .innerJoin(people, eq(people.id, groupMembers.personId))
    .orderBy(asc(groups.key), asc(people.email));
}

/** Inserts one group and returns it. */
export async function insertGroup(db: Executor, row: NewGroup): Promise<Group> {
  const [group] = await db.insert(groups).values(row).returning();
  return group as Group;
}

/** Applies `patch` to one group and bumps `updated_at`. */
export async function updateGroup(db: Executor, id: string, patch: GroupPatch): Promise<void> {
  await db
    .update(groups)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(groups.id, id));
}

/** Deletes groups and their memberships (memberships first, so it needs no cascade privileges). */
export async function deleteGroups(db: Executor, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.delete(groupMembers).where(inArray(groupMembers.groupId, ids));
  await db.delete(groups).where(inArray(groups.id, ids));
}

/** Adds memberships; ones that already exist are left alone. */
export async function addMemberships(
  db: Executor,
  rows: { groupId: string; personId: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(groupMembers).values(rows).onConflictDoNothing();
}

/** Removes memberships. */
export async function removeMemberships(
  db: Executor,
  rows: { groupId: string; personId: string }[],
): Promise<void> {
  const byGroup = new Map<string, string[]>();
  for (const row of rows) byGroup.set(row.groupId, [...(byGroup.get(row.groupId) ?? []), row.personId]);
  for (const [groupId, personIds] of byGroup) {
    await db
      .delete(groupMembers)
      .where(and(eq(groupMembers.groupId, groupId), inArray(groupMembers.personId, personIds)));
  }
}

/** One member of a group, with what a listing shows of them. */
export type GroupMemberRow = { groupId: string; personId: string; email: string; name: string };

/** The fields a group filter may name. */
export type GroupField = 'id' | 'name' | 'externalId' | 'member' | 'createdAt' | 'updatedAt';

const GROUP_FIELDS: Record<GroupField, FieldSql> = {
  id: { kind: 'exact', expr: sql`${groups.id}::text` },
  name: { kind: 'text', expr: sql`${groups.name}` },
  externalId: { kind: 'exact', expr: sql`${groups.externalId}` },
  // `members eq "<person id>"`: whether that person belongs to the group.
  member: {
    kind: 'custom',
    build: (op, value) => {
      const exists = sql`exists (select 1 from ${groupMembers} gm where gm.group_id = ${groups.id}${
        op === 'pr' ? sql`` : sql` and gm.person_id::text = ${String(value)}`
      })`;
      return op === 'ne' ? sql`not ${exists}` : op === 'eq' || op === 'pr' ? exists : sql`false`;
    },
  },
  createdAt: { kind: 'time', expr: sql`${groups.createdAt}` },
  updatedAt: { kind: 'time', expr: sql`${groups.updatedAt}` },
};

/** One page of the groups matching `filter` (all without one), oldest first, and how many match. */
export async function findGroups(
  db: Executor,
  options: { filter?: RecordFilter<GroupField>; limit: number; offset: number },
): Promise<{ rows: Group[]; total: number }> {
  const where = options.filter ? filterSql(options.filter, GROUP_FIELDS) : undefined;
  const [counted] = await db.select({ value: count() }).from(groups).where(where);
  const rows =
    options.limit === 0
      ? []
      : await db
          .select()
          .from(groups)
          .where(where)
          .orderBy(asc(groups.createdAt), asc(groups.id))
          .limit(options.limit)
          .offset(options.offset);
  return { rows, total: counted?.value ?? 0 };
}

/** The group with this id, locked until the transaction ends when `lock` is set. */
export async function getGroupById(
  db: Executor,
  id: string,
  options: { lock?: boolean } = {},
): Promise<Group | undefined> {
  if (!isUuid(id)) return undefined;
  const query = db.select().from(groups).where(eq(groups.id, id));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

/** A group of `source` whose name is `name`, compared case-insensitively. */
export async function findGroupByName(
  db: Executor,
  source: string,
  name: string,
): Promise<Group | undefined> {
  const [row] = await db
    .select()
    .from(groups)
    .where(and(eq(groups.source, source), sql`lower(${groups.name}) = lower(${name})`))
    .limit(1);
  return row;
}

/** The keys in use that are `base` or `base-<something>`, to derive a free one. */
export async function groupKeysLike(db: Executor, base: string): Promise<string[]> {
  const rows = await db
    .select({ key: groups.key })
    .from(groups)
    .where(or(eq(groups.key, base), like(groups.key, `${base.replaceAll('_', '\\_')}-%`)));
  return rows.map((row) => row.key);
}

/** The members of these groups, by group then email. */
export async function listMembersOfGroups(db: Executor, groupIds: string[]): Promise<GroupMemberRow[]> {
  if (groupIds.length === 0) return [];
  return db
    .select({
      groupId: groupMembers.groupId,
      personId: people.id,
      email: people.email,
      name: people.name,
    })
    .from(groupMembers)
    .innerJoin(people, eq(people.id, groupMembers.personId))
    .where(inArray(groupMembers.groupId, groupIds))
    .orderBy(asc(groupMembers.groupId), asc(people.email));
}
