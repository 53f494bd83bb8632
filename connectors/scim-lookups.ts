// How the scim connector reads a SCIM service provider: a user by userName, a group by display name
// or id, a group's members, and members' userNames. Every answer is checked against the shape
// RFC 7643 gives it before it is believed, and a filter's results against the filter: a server
// that ignores filters must never get someone else granted.
import { z } from 'zod';
import { ConnectorError } from './connector.js';
import type { KeyedHolding } from './paging.js';
import type { ScimClient } from './scim-client.js';

/** How the catalog names a group: by display name or by id, and how messages name it. */
export type GroupRef = { by: 'displayName' | 'id'; value: string; label: string };

// Member ids resolved to userNames per filter (`id eq "a" or id eq "b" ...`): short enough for
// any server's URL limit.
const RESOLVE_BATCH = 50;

const listResponse = <T extends z.ZodType>(resource: T) =>
  z.object({
    totalResults: z.number().int().nonnegative(),
    Resources: z.array(resource).optional(),
  });
const userSchema = z.object({
  id: z.string().min(1),
  userName: z.string().min(1),
  active: z.boolean().optional(),
});
const groupSchema = z.object({ id: z.string().min(1), displayName: z.string().optional() });
const memberSchema = z.object({ value: z.string().min(1), type: z.string().optional() });
const membersSchema = z.object({ id: z.string().min(1), members: z.array(memberSchema).optional() });

/** A user as the connector reads it. */
export type ScimUser = z.output<typeof userSchema>;
/** A group member as the connector reads it: its value (an id) and type (`User`, `Group`), if given. */
export type Member = z.output<typeof memberSchema>;

function answerAs<T extends z.ZodType>(
  schema: T,
  body: unknown,
  resourceKey: string,
  what: string,
): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new ConnectorError(
    'connector_rejected',
    `resource ${resourceKey}: the SCIM server's answer to ${what} is not what SCIM 2.0 defines: ${parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
      .join('; ')}`,
    { details: { resource: resourceKey } },
  );
}

/**
 * The one user whose userName is `email`, or undefined. Results that do not match are refused
 * rather than skipped: a server that ignores the filter must never get someone else granted.
 */
export async function findUser(client: ScimClient, email: string): Promise<ScimUser | undefined> {
  const { resourceKey } = client;
  const { body } = await client.send({
    method: 'GET',
    path: '/Users',
    // Two are enough to tell "one" from "ambiguous".
    query: { filter: `userName eq ${JSON.stringify(email)}`, attributes: 'userName,active', count: '2' },
    context: { subject: 'collection', email },
  });
  const users = answerAs(listResponse(userSchema), body, resourceKey, 'a userName filter').Resources ?? [];
  const wanted = email.toLowerCase();
  if (users.some((user) => user.userName.toLowerCase() !== wanted)) {
    throw new ConnectorError(
      'connector_rejected',
      `resource ${resourceKey}: asked for userName eq ${JSON.stringify(email)}, the SCIM server answered other users; it does not apply the filter`,
      { details: { resource: resourceKey, email } },
    );
  }
  if (users.length > 1) {
    throw new ConnectorError(
      'connector_rejected',
      `resource ${resourceKey}: more than one user has userName ${email}; make it unique before granting`,
      { details: { resource: resourceKey, email, ids: users.map((user) => user.id) } },
    );
  }
  return users[0];
}

/** The group the catalog names, or undefined when the app has none. */
export async function findGroup(client: ScimClient, ref: GroupRef): Promise<{ id: string } | undefined> {
  if (ref.by === 'id') {
    const { status, body } = await client.send({
      method: 'GET',
      path: `/Groups/${encodeURIComponent(ref.value)}`,
      query: { attributes: 'id' },
      context: { subject: 'group', group: ref.label },
      tolerate: [404],
    });
    return status === 404 ? undefined : { id: answerAs(groupSchema, body, client.resourceKey, ref.label).id };
  }
  const { body } = await client.send({
    method: 'GET',
    path: '/Groups',
    query: { filter: `displayName eq ${JSON.stringify(ref.value)}`, attributes: 'displayName', count: '2' },
    context: { subject: 'collection', group: ref.label },
  });
  const groups = answerAs(
    listResponse(groupSchema),
    body,
    client.resourceKey,
    'a displayName filter',
  ).Resources;
  const wanted = ref.value.toLowerCase();
  const matching = (groups ?? []).filter((group) => group.displayName?.toLowerCase() === wanted);
  if (matching.length !== (groups ?? []).length || matching.length > 1) {
    throw new ConnectorError(
      'connector_rejected',
      matching.length > 1
        ? `resource ${client.resourceKey}: more than one SCIM group is named "${ref.value}"; name it by groupId in the catalog`
        : `resource ${client.resourceKey}: asked for displayName eq ${JSON.stringify(ref.value)}, the SCIM server answered other groups; it does not apply the filter`,
      { details: { resource: client.resourceKey, group: ref.value } },
    );
  }
  return matching[0];
}

/** The group's direct members, each value once, in code-unit order of the value (the paging keyset). */
export async function readMembers(client: ScimClient, groupId: string, ref: GroupRef): Promise<Member[]> {
  const { body } = await client.send({
    method: 'GET',
    path: `/Groups/${encodeURIComponent(groupId)}`,
    query: { attributes: 'members' },
    context: { subject: 'group', group: ref.label },
  });
  const members = answerAs(membersSchema, body, client.resourceKey, ref.label).members ?? [];
  const byValue = new Map(members.map((member) => [member.value, member]));
  return [...byValue.values()].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** Whether the user with this id is one of the members. */
export function isMember(members: Member[], userId: string): boolean {
  return members.some((member) => member.value === userId);
}

/** Each member as the account reconciliation matches, keyed by its value for the next page. */
export async function resolveAccounts(client: ScimClient, members: Member[]): Promise<KeyedHolding[]> {
  const users = members.filter((member) => member.type === undefined || member.type.toLowerCase() === 'user');
  const names = new Map<string, string>();
  for (let offset = 0; offset < users.length; offset += RESOLVE_BATCH) {
    const batch = users.slice(offset, offset + RESOLVE_BATCH).map((member) => member.value);
    for (const [id, userName] of await userNamesOf(client, batch)) names.set(id, userName);
  }
  return members.map((member) => ({
    account: names.get(member.value)?.toLowerCase() ?? member.value,
    key: [member.value],
  }));
}

/**
 * The userNames of these user ids, by one `id eq ... or ...` filter read a page (startIndex,
 * count) at a time. A server that refuses that filter or ignores it is asked for each id instead.
 * An id the server does not know is left out.
 */
async function userNamesOf(client: ScimClient, ids: string[]): Promise<Map<string, string>> {
  const wanted = new Set(ids);
  const names = new Map<string, string>();
  const filter = ids.map((id) => `id eq ${JSON.stringify(id)}`).join(' or ');
  let startIndex = 1;
  while (true) {
    const { status, body } = await client.send({
      method: 'GET',
      path: '/Users',
      query: { filter, attributes: 'userName', startIndex: String(startIndex), count: String(ids.length) },
      context: { subject: 'collection' },
      tolerate: [400, 501],
    });
    if (status === 400 || status === 501) return userNamesOneByOne(client, ids);
    const page = answerAs(listResponse(userSchema), body, client.resourceKey, 'an id filter');
    const users = page.Resources ?? [];
    if (users.some((user) => !wanted.has(user.id))) return userNamesOneByOne(client, ids);
    const known = names.size;
    for (const user of users) names.set(user.id, user.userName);
    startIndex += users.length;
    // Done when all are found, the list is read to its end, or a page brings nothing new (a
    // server that ignores startIndex would otherwise be asked forever).
    if (names.size === wanted.size || names.size === known || startIndex > page.totalResults) return names;
  }
}

async function userNamesOneByOne(client: ScimClient, ids: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of ids) {
    const { status, body } = await client.send({
      method: 'GET',
      path: `/Users/${encodeURIComponent(id)}`,
      query: { attributes: 'userName' },
      context: { subject: 'user' },
      tolerate: [404],
    });
    if (status !== 404) names.set(id, answerAs(userSchema, body, client.resourceKey, `user ${id}`).userName);
  }
  return names;
}
