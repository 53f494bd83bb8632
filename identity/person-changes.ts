// Writing one person as an identity provider describes them: the checks (manager known, email free),
// the row, and the ledger event with before and after, all in the caller's transaction.

import type { AuditEventType } from '../audit/events.js';
import { ConflictError, ValidationError } from '../core/errors.js';
import type { Transaction } from '../db/client.js';
import {
  getPersonByEmail,
  getPersonById,
  insertPeople,
  type PersonPatch,
  updatePerson,
} from '../db/queries/people.js';
import type { Person } from '../db/schema.js';
import { recordIdentityChange, type ScimActor, sourceOf, uniqueViolation } from './context.js';
import { type IdentityChange, isMove, lifecycleChanges } from './lifecycle.js';

/** A person as an identity provider states them: every field, as a full replacement. */
export type PersonInput = {
  email: string;
  name: string;
  active: boolean;
  externalId: string | null;
  title: string | null;
  department: string | null;
  employeeNumber: string | null;
  managerId: string | null;
};

/** The person after a change and what it means for their lifecycle. */
export type PersonResult = { person: Person; changes: IdentityChange[] };

const TRACKED = [
  'email',
  'name',
  'status',
  'externalId',
  'title',
  'department',
  'employeeNumber',
  'managerId',
  'source',
] as const;
type Tracked = (typeof TRACKED)[number];

/** The fields the ledger shows of a person. */
function snapshot(person: Pick<Person, Tracked>): Record<Tracked, unknown> {
  return Object.fromEntries(TRACKED.map((field) => [field, person[field]])) as Record<Tracked, unknown>;
}

async function checkManager(tx: Transaction, input: PersonInput, selfId?: string): Promise<void> {
  if (input.managerId === null) return;
  if (input.managerId === selfId) throw new ValidationError('a person cannot be their own manager');
  if (!(await getPersonById(tx, input.managerId))) {
    throw new ValidationError(`manager ${input.managerId} is not a known user`, { field: 'manager' });
  }
}

function emailTaken(email: string, owner?: string): ConflictError {
  return new ConflictError(
    owner && owner !== 'file'
      ? `userName ${email} already exists (managed by ${owner})`
      : `userName ${email} already exists`,
    { field: 'userName' },
  );
}

/** Runs a write, turning a unique violation (a racing writer, a reused externalId) into a 409. */
async function unique<T>(input: PersonInput, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint === 'people_source_external_id_key') {
      throw new ConflictError(`externalId ${input.externalId} is already used by another user`, {
        field: 'externalId',
      });
    }
    if (constraint) throw emailTaken(input.email);
    throw error;
  }
}

/** Inserts a new person of the actor's source and records `identity.person.created`. */
export async function insertScimPerson(
  tx: Transaction,
  input: PersonInput,
  actor: ScimActor,
): Promise<PersonResult> {
  await checkManager(tx, input);
  const [person] = await unique(input, () =>
    insertPeople(tx, [
      {
        email: input.email,
        name: input.name,
        status: input.active ? 'active' : 'inactive',
        source: sourceOf(actor),
        externalId: input.externalId,
        title: input.title,
        department: input.department,
        employeeNumber: input.employeeNumber,
        managerId: input.managerId,
        deactivatedAt: input.active ? null : new Date(),
      },
    ]),
  );
  if (!person) throw new Error('insert returned no row');
  await record(tx, actor, 'identity.person.created', 'create', person, {
    before: null,
    after: snapshot(person),
  });
  return { person, changes: lifecycleChanges(null, person) };
}

/**
 * Makes `current` match `input` (taking a file person over for the actor's source) and records the
 * change; writes nothing when nothing differs. `deleted` records an IdP's DELETE, which deactivates.
 */
export async function updateScimPerson(
  tx: Transaction,
  current: Person,
  input: PersonInput,
  actor: ScimActor,
  options: { deleted?: boolean } = {},
): Promise<PersonResult> {
  await checkManager(tx, input, current.id);
  if (input.email !== current.email) {
    const holder = await getPersonByEmail(tx, input.email);
    if (holder) throw emailTaken(input.email, holder.source);
  }
  const wanted: Pick<Person, Tracked> = {
    email: input.email,
    name: input.name,
    status: input.active ? 'active' : 'inactive',
    externalId: input.externalId,
    title: input.title,
    department: input.department,
    employeeNumber: input.employeeNumber,
    managerId: input.managerId,
    source: sourceOf(actor),
  };
  const patch: PersonPatch = {};
  for (const field of TRACKED) {
    if (wanted[field] !== current[field]) Object.assign(patch, { [field]: wanted[field] });
  }
  if (patch.status === 'inactive') patch.deactivatedAt = new Date();
  if (isMove(current, wanted)) patch.movedAt = new Date();
  if (Object.keys(patch).length === 0 && !options.deleted) return { person: current, changes: [] };

  if (Object.keys(patch).length > 0) await unique(input, () => updatePerson(tx, current.id, patch));
  const person = { ...current, ...patch } as Person;
  const changed = Object.keys(patch).filter((field): field is Tracked =>
    (TRACKED as readonly string[]).includes(field),
  );
  const details: Record<string, unknown> = {
    before: Object.fromEntries(changed.map((field) => [field, current[field]])),
    after: Object.fromEntries(changed.map((field) => [field, person[field]])),
  };
  if (patch.source) details.took_over_from = current.source;
  const [type, action] = options.deleted
    ? (['identity.person.deleted', 'delete'] as const)
    : patch.status === 'inactive'
      ? (['identity.person.deactivated', 'deactivate'] as const)
      : patch.status === 'active'
        ? (['identity.person.reactivated', 'reactivate'] as const)
        : (['identity.person.updated', patch.source ? 'take_over' : 'update'] as const);
  await record(tx, actor, type, action, person, details);
  return { person, changes: lifecycleChanges(current, person) };
}

function record(
  tx: Transaction,
  actor: ScimActor,
  type: AuditEventType,
  action: string,
  person: Person,
  details: Record<string, unknown>,
): Promise<void> {
  const target = { type: 'person' as const, id: person.id, name: person.email };
  return recordIdentityChange(tx, actor, { type, action, target, details });
}
