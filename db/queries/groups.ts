import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { type Group, groupMembers, groups, people } from '../schema.js';

/** Columns a new group row needs. */
export type NewGroup = typeof groups.$inferInsert;
/** Fields an update may change; `updated_at` is set by the query. */
export type GroupPatch = Partial<Pick<Group, 'name' | 'description'>>;
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
