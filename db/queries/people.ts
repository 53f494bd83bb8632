import { and, asc, count, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { type Person, people } from '../schema.js';
import { isUuid } from './ids.js';
import { type FieldSql, filterSql, type RecordFilter } from './record-filter.js';

/** Columns a new person row needs (id and timestamps default). */
export type NewPerson = typeof people.$inferInsert;
/** Fields an update may change; `updated_at` is set by the query. */
export type PersonPatch = Partial<
  Pick<
    Person,
    | 'name'
    | 'slackUserId'
    | 'managerId'
    | 'department'
    | 'title'
    | 'status'
    | 'email'
    | 'source'
    | 'externalId'
    | 'employeeNumber'
    | 'deactivatedAt'
    | 'movedAt'
    | 'moveHandledAt'
  >
>;

/**
 * One page of people ordered by email (unique), optionally only those with `status`; page by
 * `afterEmail` (the last one shown) or by `offset`.
 */
export async function listPeople(
  db: Executor,
  options: { limit?: number; offset?: number; status?: Person['status']; afterEmail?: string } = {},
): Promise<Person[]> {
  return db
    .select()
    .from(people)
    .where(
      and(
        options.status ? eq(people.status, options.status) : undefined,
        options.afterEmail !== undefined ? gt(people.email, options.afterEmail) : undefined,
      ),
    )
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
  if (!isUuid(id)) return undefined;
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

/** The fields a person filter may name (an identity provider's lookups). */
export type PersonField =
  | 'id'
  | 'email'
  | 'name'
  | 'externalId'
  | 'active'
  | 'title'
  | 'department'
  | 'employeeNumber'
  | 'managerId'
  | 'createdAt'
  | 'updatedAt';

const PERSON_FIELDS: Record<PersonField, FieldSql> = {
  id: { kind: 'exact', expr: sql`${people.id}::text` },
  // Stored lower-cased (people_email_lowercase): `userName eq` uses people_email_key.
  email: { kind: 'lowercased', expr: sql`${people.email}` },
  name: { kind: 'text', expr: sql`${people.name}` },
  externalId: { kind: 'exact', expr: sql`${people.externalId}` },
  active: { kind: 'bool', expr: sql`(${people.status} = 'active')` },
  title: { kind: 'text', expr: sql`${people.title}` },
  department: { kind: 'text', expr: sql`${people.department}` },
  employeeNumber: { kind: 'exact', expr: sql`${people.employeeNumber}` },
  managerId: { kind: 'exact', expr: sql`${people.managerId}::text` },
  createdAt: { kind: 'time', expr: sql`${people.createdAt}` },
  updatedAt: { kind: 'time', expr: sql`${people.updatedAt}` },
};

/** One page of the people matching `filter` (all without one), oldest first, and how many match. */
export async function findPeople(
  db: Executor,
  options: { filter?: RecordFilter<PersonField>; limit: number; offset: number },
): Promise<{ rows: Person[]; total: number }> {
  const where = options.filter ? filterSql(options.filter, PERSON_FIELDS) : undefined;
  const [counted] = await db.select({ value: count() }).from(people).where(where);
  const rows =
    options.limit === 0
      ? []
      : await db
          .select()
          .from(people)
          .where(where)
          .orderBy(asc(people.createdAt), asc(people.id))
          .limit(options.limit)
          .offset(options.offset);
  return { rows, total: counted?.value ?? 0 };
}

/** The person with this id, locked until the transaction ends; undefined when there is none. */
export async function lockPersonById(db: Executor, id: string): Promise<Person | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db.select().from(people).where(eq(people.id, id)).for('update');
  return row;
}

/** The person with this email (lower-cased), locked until the transaction ends. */
export async function lockPersonByEmail(db: Executor, email: string): Promise<Person | undefined> {
  const [row] = await db
    .select()
    .from(people)
    .where(eq(people.email, email.trim().toLowerCase()))
    .for('update');
  return row;
}

/** The people with these ids (unknown ids and non-UUIDs are left out). */
export async function getPeopleByIds(db: Executor, ids: string[]): Promise<Person[]> {
  const valid = ids.filter((id) => isUuid(id));
  if (valid.length === 0) return [];
  return db.select().from(people).where(inArray(people.id, valid));
}

/** An inactive person who still holds active grants: a leaver whose removal has to run. */
export type PendingLeaver = { id: string; email: string; source: string; deactivatedAt: Date };

/**
 * Inactive people who still hold something to take away or hand on: active grants, undecided
 * review items, or a place as an approver on a request still waiting. Oldest deactivation first;
 * people deactivated before `deactivated_at` was kept are dated by their last update.
 */
export async function listLeaversHoldingAccess(db: Executor, limit: number): Promise<PendingLeaver[]> {
  const rows = await db.execute<{
    id: string;
    email: string;
    source: string;
    deactivated_at: Date | string;
  }>(sql`
    select p.id, p.email, p.source, coalesce(p.deactivated_at, p.updated_at) as deactivated_at
    from people p
    where p.status = 'inactive'
      and (
        exists (select 1 from grants g where g.person_id = p.id and g.status = 'active')
        or exists (select 1 from campaign_items i where i.reviewer_id = p.id and i.decision is null)
        or exists (
          select 1 from access_requests r
          where r.status = 'pending_approval'
            and jsonb_path_exists(r.plan, '$.steps[*] ? (@.eligible[*] == $e || @.escalation.approvers[*] == $e)',
                                  jsonb_build_object('e', p.email))
        )
      )
    order by 4, p.id
    limit ${limit}`);
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    source: row.source,
    deactivatedAt: new Date(row.deactivated_at),
  }));
}
