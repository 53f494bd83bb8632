import { ApplicationFailure } from '@temporalio/activity';
import type { Database } from '../db/client.js';
import { getPersonByEmail } from '../db/queries/people.js';

/** The id of the person with `email`; a permanent failure when the directory has no such person. */
export async function personIdOf(db: Database, email: string): Promise<string> {
  const person = await getPersonByEmail(db, email);
  if (!person) throw ApplicationFailure.nonRetryable(`no person ${email} in the directory`, 'unknown_person');
  return person.id;
}
