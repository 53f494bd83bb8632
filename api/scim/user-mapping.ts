// SCIM User ↔ person. userName (or the primary email) → email, lower-cased; name.formatted, else
// givenName + familyName, else displayName → name; active (true/false, or Entra's "True"/"False") →
// status; externalId, title; enterprise department, employeeNumber and manager (its `value` is the
// manager's SCIM id). Attributes not listed here are ignored (RFC 7643 §3: unknown attributes).
import { z } from 'zod';
import type { Person } from '../../db/schema.js';
import type { PersonInput } from '../../identity/scim-users.js';
import { ENTERPRISE_SCHEMA, USER_SCHEMA } from './discovery.js';
import { ScimError } from './errors.js';

const text = z.string().trim().max(1_000);
const optionalText = z
  .union([text, z.null()])
  .optional()
  .transform((value) => (value ? value : null));
const flag = z.union([
  z.boolean(),
  z
    .string()
    .regex(/^(true|false)$/i, 'must be true or false')
    .transform((value) => value.toLowerCase() === 'true'),
]);
const email = z.email();

const userBody = z.object({
  userName: text.min(1, 'is required'),
  externalId: optionalText,
  displayName: optionalText,
  title: optionalText,
  active: flag.optional().default(true),
  name: z.object({ formatted: optionalText, givenName: optionalText, familyName: optionalText }).nullish(),
  emails: z
    .array(z.object({ value: z.string().trim(), primary: flag.optional(), type: z.string().nullish() }))
    .nullish(),
  [ENTERPRISE_SCHEMA]: z
    .object({
      department: optionalText,
      employeeNumber: optionalText,
      manager: z
        .union([z.object({ value: z.string().nullish() }), z.string(), z.null()])
        .optional()
        .transform((value) => (typeof value === 'string' ? value : (value?.value ?? null)) || null),
    })
    .nullish(),
});
type UserBody = z.output<typeof userBody>;

/** The parts of a stored name a SCIM client may patch one at a time. */
function splitName(name: string): { givenName: string; familyName?: string } {
  const at = name.trim().lastIndexOf(' ');
  return at < 0 ? { givenName: name } : { givenName: name.slice(0, at), familyName: name.slice(at + 1) };
}

/** A person as a SCIM User, at `base` (`https://host/scim/v2`). */
export function toScimUser(person: Person, base: string): Record<string, unknown> {
  const extension = {
    ...(person.department ? { department: person.department } : {}),
    ...(person.employeeNumber ? { employeeNumber: person.employeeNumber } : {}),
    ...(person.managerId
      ? { manager: { value: person.managerId, $ref: `${base}/Users/${person.managerId}` } }
      : {}),
  };
  return {
    schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
    id: person.id,
    ...(person.externalId ? { externalId: person.externalId } : {}),
    userName: person.email,
    name: { formatted: person.name, ...splitName(person.name) },
    displayName: person.name,
    emails: [{ value: person.email, type: 'work', primary: true }],
    active: person.status === 'active',
    ...(person.title ? { title: person.title } : {}),
    [ENTERPRISE_SCHEMA]: extension,
    meta: {
      resourceType: 'User',
      created: person.createdAt.toISOString(),
      lastModified: person.updatedAt.toISOString(),
      location: `${base}/Users/${person.id}`,
    },
  };
}

function parseUser(resource: unknown): UserBody {
  const parsed = userBody.safeParse(resource);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.map(String).join('.') || 'body';
  throw new ScimError(400, `${where}: ${issue?.message ?? 'is invalid'}`, 'invalidValue');
}

function emailOf(user: UserBody): string {
  if (email.safeParse(user.userName).success) return user.userName.toLowerCase();
  const emails = user.emails ?? [];
  const chosen = emails.find((e) => e.primary) ?? emails.find((e) => e.type === 'work') ?? emails[0];
  if (chosen && email.safeParse(chosen.value).success) return chosen.value.toLowerCase();
  throw new ScimError(400, 'userName (or the primary email) must be an email address.', 'invalidValue');
}

function joined(user: UserBody): string | null {
  return [user.name?.givenName, user.name?.familyName].filter(Boolean).join(' ') || null;
}

/**
 * The person a SCIM User describes (POST and PUT: the whole record). With `before` (PATCH), the name
 * follows whichever of name.formatted, givenName/familyName or displayName the patch changed.
 */
export function personInputOf(resource: unknown, before?: { resource: unknown; name: string }): PersonInput {
  const user = parseUser(resource);
  let name = user.name?.formatted ?? joined(user) ?? user.displayName ?? user.userName;
  if (before) {
    const old = userBody.safeParse(before.resource).data;
    if (old && user.name?.formatted !== old.name?.formatted && user.name?.formatted)
      name = user.name.formatted;
    else if (old && joined(user) !== joined(old) && joined(user)) name = joined(user) as string;
    else if (old && user.displayName !== old.displayName && user.displayName) name = user.displayName;
    else name = before.name;
  }
  const extension = user[ENTERPRISE_SCHEMA];
  return {
    email: emailOf(user),
    name,
    active: user.active,
    externalId: user.externalId,
    title: user.title,
    department: extension?.department ?? null,
    employeeNumber: extension?.employeeNumber ?? null,
    managerId: extension?.manager ?? null,
  };
}
