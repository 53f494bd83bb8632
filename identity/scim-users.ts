// The SCIM Users use cases: an identity provider's connection creates, replaces, patches and deletes
// people. A connection manages its own people (source `scim:<name>`), takes over people of the
// directory file on first touch, and is refused another connection's. People are never deleted:
// DELETE deactivates, since grants, decisions and the ledger point at them.
import { ConflictError, NotFoundError } from '../core/errors.js';
import {
  findPeople,
  getPersonById,
  lockPersonByEmail,
  lockPersonById,
  type PersonField,
} from '../db/queries/people.js';
import type { RecordFilter } from '../db/queries/record-filter.js';
import type { Person } from '../db/schema.js';
import { assertMayManage, type IdentityDeps, refusalsRecorded, type ScimActor, sourceOf } from './context.js';
import { handOffLifecycle } from './lifecycle.js';
import { insertScimPerson, type PersonInput, type PersonResult, updateScimPerson } from './person-changes.js';

export type { PersonInput, PersonResult } from './person-changes.js';

/** A page of people: which ones, counted how. */
export type PeoplePage = { rows: Person[]; total: number };

/** One person by SCIM id (our id); 404 when unknown. Any connection may read the directory. */
export async function getScimUser(deps: IdentityDeps, id: string): Promise<Person> {
  const person = await getPersonById(deps.db, id);
  if (!person) throw new NotFoundError('User', id);
  return person;
}

/** The people matching `filter`, a page at a time. */
export async function listScimUsers(
  deps: IdentityDeps,
  query: { filter?: RecordFilter<PersonField>; limit: number; offset: number },
): Promise<PeoplePage> {
  return findPeople(deps.db, query);
}

/**
 * Creates a person (POST). A person with that email from the directory file is taken over instead;
 * one already managed by a connection (this one or another) is a conflict.
 */
export async function createScimUser(
  deps: IdentityDeps,
  input: PersonInput,
  actor: ScimActor,
): Promise<PersonResult> {
  const result = await refusalsRecorded(deps, actor, 'create', () =>
    deps.db.transaction(async (tx) => {
      const existing = await lockPersonByEmail(tx, input.email);
      if (!existing) return insertScimPerson(tx, input, actor);
      if (existing.source !== 'file') throw conflictFor(existing, actor);
      return updateScimPerson(tx, existing, input, actor);
    }),
  );
  await handOffLifecycle(deps, result.changes);
  return result;
}

function conflictFor(existing: Person, actor: ScimActor): ConflictError {
  const owner = existing.source === sourceOf(actor) ? '' : ` (managed by ${existing.source})`;
  return new ConflictError(`userName ${existing.email} already exists${owner}`, { field: 'userName' });
}

/** Replaces a person with `input` (PUT). */
export async function replaceScimUser(
  deps: IdentityDeps,
  id: string,
  input: PersonInput,
  actor: ScimActor,
): Promise<PersonResult> {
  return changeScimUser(deps, id, actor, 'replace', () => input);
}

/**
 * Patches a person (PATCH): `apply` turns the locked current record into the whole new one (the door
 * applies the SCIM operations); anything it throws changes nothing.
 */
export async function patchScimUser(
  deps: IdentityDeps,
  id: string,
  apply: (current: Person) => PersonInput,
  actor: ScimActor,
): Promise<PersonResult> {
  return changeScimUser(deps, id, actor, 'patch', apply);
}

/** Deletes a person (DELETE): deactivates them and records `identity.person.deleted`. */
export async function deleteScimUser(
  deps: IdentityDeps,
  id: string,
  actor: ScimActor,
): Promise<PersonResult> {
  return changeScimUser(deps, id, actor, 'delete', (current) => ({ ...inputOf(current), active: false }), {
    deleted: true,
  });
}

async function changeScimUser(
  deps: IdentityDeps,
  id: string,
  actor: ScimActor,
  action: string,
  apply: (current: Person) => PersonInput,
  options: { deleted?: boolean } = {},
): Promise<PersonResult> {
  const result = await refusalsRecorded(deps, actor, action, () =>
    deps.db.transaction(async (tx) => {
      const current = await lockPersonById(tx, id);
      if (!current) throw new NotFoundError('User', id);
      assertMayManage(actor, current, { type: 'person', name: current.email });
      return updateScimPerson(tx, current, apply(current), actor, options);
    }),
  );
  await handOffLifecycle(deps, result.changes);
  return result;
}

/** A stored person as a full input (what a DELETE keeps, apart from `active`). */
function inputOf(person: Person): PersonInput {
  return {
    email: person.email,
    name: person.name,
    active: person.status === 'active',
    externalId: person.externalId,
    title: person.title,
    department: person.department,
    employeeNumber: person.employeeNumber,
    managerId: person.managerId,
  };
}
