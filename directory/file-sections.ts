// The schema of each section of the directory file (people, groups, policies, the catalog, separation of
// duties, access), each entry checked on its own; `sectionSchema` is the file's shape before its
// cross-references are checked (file-references.ts).
import { z } from 'zod';
import { CONNECTOR_KINDS } from '../domain/index.js';
import {
  email,
  envName,
  fileDuration,
  key,
  namedApprover,
  PG_ROLE,
  risk,
  SLACK_USER_ID,
  text,
} from './file-fields.js';
import { checkDefinition, definitionShape } from './policy-schema.js';

const personSchema = z.strictObject({
  email,
  name: text,
  slackUserId: z.string().regex(SLACK_USER_ID, 'must be a Slack user id like "U0ACME001"').optional(),
  manager: email.optional(),
  department: text.optional(),
  title: text.optional(),
  status: z.enum(['active', 'inactive']).default('active'),
});

const groupSchema = z.strictObject({
  key,
  name: text,
  description: text.optional(),
  members: z.array(email),
});

const policySchema = z.strictObject({ key, ...definitionShape(fileDuration) }).superRefine(checkDefinition);

const connectorSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('postgres'), databaseUrlEnv: envName }),
    z.strictObject({
      kind: z.literal('webhook'),
      url: z.string().refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
        message: 'must be an http:// or https:// URL',
      }),
      /** A variable whose URL, when set, is used instead of `url` (how `grantflow dev` reaches its demo receiver). */
      urlEnv: envName.optional(),
      secretEnv: envName,
      /** The receiver also answers `action: "check"` with `{ "present": true | false }`, so grants are read back. */
      readBack: z.boolean().optional(),
    }),
    z.strictObject({ kind: z.literal('manual') }),
  ],
  { error: `must be one of ${CONNECTOR_KINDS.map((kind) => `"${kind}"`).join(', ')}` },
);

const entitlementSchema = z.strictObject({
  key,
  name: text,
  description: text.optional(),
  risk,
  maxDuration: fileDuration,
  policy: key,
  /** What the connector acts on, e.g. `{ role: payments_read }` for postgres. */
  target: z.record(z.string(), z.unknown()).optional(),
});

const resourceSchema = z
  .strictObject({
    key,
    name: text,
    description: text.optional(),
    owner: email,
    connector: connectorSchema,
    entitlements: z.array(entitlementSchema).min(1, 'must list at least one entitlement'),
  })
  .superRefine((resource, ctx) => {
    if (resource.connector.kind !== 'postgres') return;
    resource.entitlements.forEach((entitlement, index) => {
      const role = entitlement.target?.role;
      if (typeof role !== 'string' || !PG_ROLE.test(role)) {
        ctx.addIssue({
          code: 'custom',
          path: ['entitlements', index, 'target', ...(entitlement.target ? ['role'] : [])],
          message:
            'a postgres entitlement needs target.role, a PostgreSQL role name of lower-case letters, digits and "_"' +
            (role === undefined ? '' : `, found ${JSON.stringify(role)}`),
        });
      }
    });
  });

const sodRuleSchema = z
  .strictObject({
    key,
    description: text.optional(),
    entitlements: z
      .array(z.string().regex(/^[a-z0-9_-]+\/[a-z0-9_-]+$/, 'must be "<resource key>/<entitlement key>"'))
      .min(2, 'must list at least two entitlements (holding all of them together is the conflict)'),
    action: z.enum(['deny', 'require_approval']),
    approvers: z.array(namedApprover).min(1, 'must list at least one approver').optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.action === 'require_approval' && !rule.approvers) {
      ctx.addIssue({
        code: 'custom',
        path: ['approvers'],
        message: 'is required when action is require_approval',
      });
    }
    if (rule.action === 'deny' && rule.approvers) {
      ctx.addIssue({
        code: 'custom',
        path: ['approvers'],
        message: 'only applies when action is require_approval (a deny rule has no approvers)',
      });
    }
  });

// A calendar date (midnight UTC) or a full ISO 8601 time with its offset.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;
const instant = z
  .string()
  .regex(ISO_TIME, 'must be a date like 2025-03-01 or a time like 2025-03-01T09:00:00Z')
  .refine((value) => !Number.isNaN(Date.parse(value)), { message: 'is not a real date' })
  .transform((value) => new Date(value));

/** Access someone already holds when grantflow takes over: imported as a grant from `import`. */
const accessSchema = z
  .strictObject({
    person: email,
    entitlement: z.string().regex(/^[a-z0-9_-]+\/[a-z0-9_-]+$/, 'must be "<resource key>/<entitlement key>"'),
    since: instant,
    until: instant.optional(),
    note: text.optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.since.getTime() > Date.now()) {
      ctx.addIssue({
        code: 'custom',
        path: ['since'],
        message: 'is in the future: list access that is held now',
      });
    }
    if (entry.until && entry.until.getTime() <= entry.since.getTime()) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'must be after since' });
    } else if (entry.until && entry.until.getTime() <= Date.now()) {
      ctx.addIssue({
        code: 'custom',
        path: ['until'],
        message: 'is in the past: this access has already ended',
      });
    }
  });

/** Every section's shape, each entry checked on its own but nothing across entries yet. */
export const sectionSchema = z.strictObject({
  people: z.array(personSchema),
  groups: z.array(groupSchema),
  policies: z.array(policySchema),
  resources: z.array(resourceSchema),
  separationOfDuties: z.array(sodRuleSchema),
  access: z.array(accessSchema).default([]),
});
