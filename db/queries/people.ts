import { asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { type Person, people } from '../schema.js';

/** Columns a new person row needs (id and timestamps default). */
export type NewPerson = typeof people.$inferInsert;
/** Fields an update may change; `updated_at` is set by the query. */
export type PersonPatch = Partial<
  Pick<Person, 'name' | 'slackUserId' | 'managerId' | 'department' | 'title' | 'status'>
>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One page of people ordered by email, optionally only those with `status`. */
export async function listPeople(
  db: Executor,
  options: { limit?: number; offset?: number; status?: Person['status'] } = {},
): Promise<Person[]> {
  return db
    .select()
    .from(people)
    .where(options.status ? eq(people.status, options.status) : undefined)
    .orderBy(asc(people.email))
    .limit(options.limit ?? 100)
    .offset(options.offset ?? 0);
}

/** How many people there are (with `status`, if given), for paging. */
export async function countPeople(
  db: Executor,
  options: { status?: Person['status'] } = {},
): Promise<number> {
  const [row] = await db
    .select({ value: count() })
    .from(people)
    .where(options.status ? eq(people.status, options.status) : undefined);
  return row?.value ?? 0;
}

/** Every person, active or not, ordered by email (the import compares the whole directory). */
export async function listAllPeople(db: Executor): Promise<Person[]> {
  return db.select().from(people).orderBy(asc(people.email));
}

/** The person with this id; undefined when there is none or `id` is not a UUID. */
export async function getPersonById(db: Executor, id: string): Promise<Person | undefined> {
  if (!UUID.test(id)) return undefined;
  const [row] = await db.select().from(people).where(eq(people.id, id));
  return row;
}

/** The person with this email (compared lower-cased, as stored). */
export async function getPersonByEmail(db: Executor, email: string): Promise<Person | undefined> {
  const [row] = await db.select().from(people).where(eq(people.email, email.trim().toLowerCase()));
  return row;
}

/** The people with these emails (lower-cased, as stored); unknown emails are left out. */
export async function getPeopleByEmails(db: Executor, emails: string[]): Promise<Person[]> {
  if (emails.length === 0) return [];
  return db
    .select()
    .from(people)
    .where(
      inArray(
        people.email,
        emails.map((email) => email.trim().toLowerCase()),
      ),
    );
}

/** The person behind a Slack user id, for Slack handlers. */
export async function getPersonBySlackUserId(db: Executor, slackUserId: string): Promise<Person | undefined> {
  const [row] = await db.select().from(people).where(eq(people.slackUserId, slackUserId));
  return row;
}

/** The manager of a person, when they have one. */
export async function getManagerOf(db: Executor, personId: string): Promise<Person | undefined> {
  const person = await getPersonById(db, personId);
  return person?.managerId ? getPersonById(db, person.managerId) : undefined;
}

/** Inserts people and returns the stored rows. */
export async function insertPeople(db: Executor, rows: NewPerson[]): Promise<Person[]> {
  if (rows.length === 0) return [];
  return db.insert(people).values(rows).returning();
}

/** Applies `patch` to one person and bumps `updated_at`. */
export async function updatePerson(db: Executor, id: string, patch: PersonPatch): Promise<void> {
  await db
    .update(people)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(people.id, id));
}

/**
 * Clears the Slack user id of these people without touching `updated_at`: the unique index is not
 * deferrable, so ids that move between people are freed first and then set by `updatePerson`.
 */
export async function releaseSlackUserIds(db: Executor, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.update(people).set({ slackUserId: null }).where(inArray(people.id, ids));
}
