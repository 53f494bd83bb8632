// Imports the `groups` section: groups are added, updated or deleted, and their memberships follow
// the file exactly (memberships of a deleted group go with it). Groups managed by a SCIM connection
// are the identity provider's: never updated or deleted here (a file group of the same key is left
// out and reported in `managedElsewhere`).
import type { Transaction } from '../../db/client.js';
import {
  addMemberships,
  deleteGroups,
  type GroupPatch,
  insertGroup,
  listGroups,
  listMemberships,
  removeMemberships,
  updateGroup,
} from '../../db/queries/groups.js';
import type { ParsedDirectory } from '../parse.js';
import { diff } from './diff.js';
import type { ImportReport } from './report.js';

export async function applyGroups(
  tx: Transaction,
  listedGroups: ParsedDirectory['directory']['groups'],
  personId: (email: string) => string,
  report: ImportReport,
): Promise<void> {
  const all = await listGroups(tx);
  const scimGroups = new Map(all.filter((g) => g.source !== 'file').map((g) => [g.key, g.source]));
  const fileGroups = listedGroups.filter((group) => {
    const source = scimGroups.get(group.key);
    if (source) report.managedElsewhere?.push({ key: `group ${group.key}`, source });
    return !source;
  });
  const existing = new Map(all.filter((g) => g.source === 'file').map((group) => [group.key, group]));
  const currentMemberships = (await listMemberships(tx)).filter((m) => !scimGroups.has(m.groupKey));
  const groupIds = new Map([...existing.values()].map((group) => [group.key, group.id]));

  for (const entry of fileGroups) {
    const current = existing.get(entry.key);
    if (!current) {
      const group = await insertGroup(tx, {
        key: entry.key,
        name: entry.name,
        description: entry.description ?? null,
      });
      groupIds.set(entry.key, group.id);
      report.groups.added.push(entry.key);
      continue;
    }
    const fields = diff([
      ['name', current.name, entry.name],
      ['description', current.description, entry.description],
    ]);
    if (fields.length === 0) {
      report.groups.unchanged += 1;
      continue;
    }
    const patch: GroupPatch = {};
    for (const { field, after } of fields) Object.assign(patch, { [field]: after });
    await updateGroup(tx, current.id, patch);
    report.groups.changed.push({ key: entry.key, fields });
  }

  const wanted = new Set(
    fileGroups.flatMap((group) => group.members.map((email) => `${group.key}/${email}`)),
  );
  const have = new Set(currentMemberships.map((m) => `${m.groupKey}/${m.email}`));
  const keptGroups = new Set(fileGroups.map((group) => group.key));
  const removedGroups = [...existing.values()].filter((group) => !keptGroups.has(group.key));

  const toRemove = currentMemberships.filter((m) => !wanted.has(`${m.groupKey}/${m.email}`));
  // Memberships of removed groups go with the group.
  await removeMemberships(
    tx,
    toRemove.filter((m) => keptGroups.has(m.groupKey)),
  );
  await deleteGroups(
    tx,
    removedGroups.map((group) => group.id),
  );
  report.groups.removed.push(...removedGroups.map((group) => group.key));
  report.memberships.removed.push(...toRemove.map((m) => `${m.groupKey}/${m.email}`));

  const toAdd = fileGroups.flatMap((group) =>
    group.members
      .filter((email) => !have.has(`${group.key}/${email}`))
      .map((email) => ({ group: group.key, email })),
  );
  await addMemberships(
    tx,
    toAdd.map(({ group, email }) => ({ groupId: groupIds.get(group) as string, personId: personId(email) })),
  );
  report.memberships.added.push(...toAdd.map(({ group, email }) => `${group}/${email}`));
  report.memberships.unchanged = wanted.size - toAdd.length;
}
