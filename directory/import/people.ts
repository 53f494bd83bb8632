// Imports the `people` section: adds, updates and deactivates people (never deletes them), moving
// Slack ids between people safely and linking managers once everyone exists. People managed by a SCIM
// connection (source `scim:<name>`) are the identity provider's: the file never rewrites or
// deactivates them, and the ones it lists are reported in `managedElsewhere`.
import type { Transaction } from '../../db/client.js';
import {
  insertPeople,
  listAllPeople,
  type PersonPatch,
  releaseSlackUserIds,
  updatePerson,
} from '../../db/queries/people.js';
import type { Person } from '../../db/schema.js';
import type { ParsedDirectory } from '../parse.js';
import { diff } from './diff.js';
import type { FieldChange, KindReport } from './report.js';

export async function applyPeople(
  tx: Transaction,
  filePeople: ParsedDirectory['directory']['people'],
  report: KindReport,
  managedElsewhere: { key: string; source: string }[] = [],
): Promise<Map<string, Person>> {
  const existing = await listAllPeople(tx);
  const byEmail = new Map(existing.map((person) => [person.email, person]));
  const emailById = new Map(existing.map((person) => [person.id, person.email]));
  const inFile = new Set(filePeople.map((person) => person.email));
  const claimedSlackIds = new Set(
    filePeople.flatMap((person) => (person.slackUserId ? [person.slackUserId] : [])),
  );

  type Pending = { person: Person; fields: FieldChange[]; patch: PersonPatch; managerEmail?: string | null };
  const updates: Pending[] = [];
  const added: ParsedDirectory['directory']['people'] = [];
  for (const entry of filePeople) {
    const current = byEmail.get(entry.email);
    if (!current) {
      added.push(entry);
      continue;
    }
    if (current.source !== 'file') {
      managedElsewhere.push({ key: entry.email, source: current.source });
      continue;
    }
    const currentManager = current.managerId ? (emailById.get(current.managerId) ?? null) : null;
    const fields = diff([
      ['name', current.name, entry.name],
      ['slackUserId', current.slackUserId, entry.slackUserId],
      ['manager', currentManager, entry.manager],
      ['department', current.department, entry.department],
      ['title', current.title, entry.title],
      ['status', current.status, entry.status],
    ]);
    if (fields.length === 0) {
      report.unchanged += 1;
      continue;
    }
    const patch: PersonPatch = {};
    let managerEmail: string | null | undefined;
    for (const { field, after } of fields) {
      if (field === 'manager') managerEmail = after as string | null;
      else Object.assign(patch, { [field]: after });
    }
    // A move (the worker's sweep starts the mover workflow): a new manager or department, active throughout.
    const moved = fields.some((f) => f.field === 'manager' || f.field === 'department');
    if (moved && current.status === 'active' && entry.status === 'active') patch.movedAt = new Date();
    updates.push({ person: current, fields, patch, managerEmail });
    report.changed.push({ key: entry.email, fields });
  }
  // People who left: deactivated, never deleted. A Slack id now used by someone in the file moves over.
  for (const person of existing) {
    if (inFile.has(person.email) || person.source !== 'file') continue;
    const patch: PersonPatch = {};
    if (person.status === 'active') patch.status = 'inactive';
    if (person.slackUserId && claimedSlackIds.has(person.slackUserId)) patch.slackUserId = null;
    if (Object.keys(patch).length === 0) continue;
    updates.push({ person, fields: [], patch });
    if (patch.status) report.deactivated.push(person.email);
    else
      report.changed.push({ key: person.email, fields: diff([['slackUserId', person.slackUserId, null]]) });
  }

  // The Slack id index is unique and not deferrable: free every id that moves before anyone takes it.
  await releaseSlackUserIds(
    tx,
    updates.filter((u) => u.patch.slackUserId !== undefined && u.person.slackUserId).map((u) => u.person.id),
  );
  const inserted = await insertPeople(
    tx,
    added.map((entry) => ({
      email: entry.email,
      name: entry.name,
      slackUserId: entry.slackUserId ?? null,
      department: entry.department ?? null,
      title: entry.title ?? null,
      status: entry.status,
    })),
  );
  report.added.push(...added.map((entry) => entry.email));

  const all = new Map(existing.map((person) => [person.email, person]));
  for (const person of inserted) all.set(person.email, person);
  const idOf = (email: string) => all.get(email)?.id ?? null;
  for (const update of updates) {
    const patch = { ...update.patch };
    // Dated as SCIM dates it: the leaver SLA counts from here, and the leaver workflow's id is the
    // person and this moment (without it the sweep would date the departure by the last update).
    if (patch.status === 'inactive' && update.person.status === 'active') patch.deactivatedAt = new Date();
    if (patch.status === 'active' && update.person.status === 'inactive') patch.deactivatedAt = null;
    if (update.managerEmail !== undefined)
      patch.managerId = update.managerEmail ? idOf(update.managerEmail) : null;
    await updatePerson(tx, update.person.id, patch);
  }
  // Managers last: a manager may appear later in the file than the people they manage.
  for (const entry of added) {
    if (entry.manager)
      await updatePerson(tx, idOf(entry.email) as string, { managerId: idOf(entry.manager) });
  }
  return all;
}
