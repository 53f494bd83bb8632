// One person as an admin or auditor needs to see them: who manages their identity (the file or an
// IdP connection), whether they are active, what they hold now and what reconciliation found.
import { NotFoundError } from '../core/errors.js';
import type { Executor } from '../db/client.js';
import { type FindingView, listFindings } from '../db/queries/findings.js';
import { type GrantView, listGrants } from '../db/queries/grants.js';
import { getPersonByEmail, getPersonById } from '../db/queries/people.js';
import type { Person } from '../db/schema.js';

/** A person with their manager, active grants and open findings. */
export type PersonOverview = {
  person: Person;
  managerEmail: string | null;
  grants: GrantView[];
  openFindings: FindingView[];
};

/** The overview of the person with `email`; unknown is a 404. */
export async function personOverview(deps: { db: Executor }, email: string): Promise<PersonOverview> {
  const person = await getPersonByEmail(deps.db, email.toLowerCase());
  if (!person) throw new NotFoundError('person', email);
  const [manager, grants, openFindings] = await Promise.all([
    person.managerId ? getPersonById(deps.db, person.managerId) : undefined,
    listGrants(deps.db, { personId: person.id, status: ['active'], limit: 500 }),
    listFindings(deps.db, { personId: person.id, status: 'open', limit: 100 }),
  ]);
  return { person, managerEmail: manager?.email ?? null, grants, openFindings };
}
