// SCIM Group ↔ group: displayName → name (the key is derived from it once, at creation), externalId,
// members → memberships (each `value` is a User's SCIM id). Nested groups are not supported.
import { z } from 'zod';
import type { GroupInput, GroupWithMembers } from '../../identity/scim-groups.js';
import { GROUP_SCHEMA } from './discovery.js';
import { ScimError } from './errors.js';

const groupBody = z.object({
  displayName: z.string().trim().min(1, 'is required').max(1_000),
  externalId: z
    .union([z.string().trim().max(1_000), z.null()])
    .optional()
    .transform((value) => value || null),
  members: z
    .array(
      z.object({
        value: z.string().min(1, 'is required'),
        type: z
          .string()
          .nullish()
          .refine((type) => !type || type.toLowerCase() === 'user', 'only User members are supported'),
      }),
    )
    .nullish(),
});

/** A group as a SCIM Group at `base`; with `members: 'ids'` only their ids (the shape PATCH works on). */
export function toScimGroup(
  { group, members }: GroupWithMembers,
  base: string,
  options: { members: 'full' | 'ids' | 'none' } = { members: 'full' },
): Record<string, unknown> {
  const shown =
    options.members === 'none'
      ? {}
      : {
          members: members.map((m) =>
            options.members === 'ids'
              ? { value: m.personId }
              : { value: m.personId, display: m.name, $ref: `${base}/Users/${m.personId}`, type: 'User' },
          ),
        };
  return {
    schemas: [GROUP_SCHEMA],
    id: group.id,
    ...(group.externalId ? { externalId: group.externalId } : {}),
    displayName: group.name,
    ...shown,
    meta: {
      resourceType: 'Group',
      created: group.createdAt.toISOString(),
      lastModified: group.updatedAt.toISOString(),
      location: `${base}/Groups/${group.id}`,
    },
  };
}

/** The group a SCIM Group describes: the whole record (PUT, POST, and the result of a PATCH). */
export function groupInputOf(resource: unknown): GroupInput {
  const parsed = groupBody.safeParse(resource);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.map(String).join('.') || 'body';
    throw new ScimError(400, `${where}: ${issue?.message ?? 'is invalid'}`, 'invalidValue');
  }
  const { displayName, externalId, members } = parsed.data;
  return { name: displayName, externalId, memberIds: (members ?? []).map((m) => m.value) };
}
