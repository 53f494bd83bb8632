// The schema of each section of the directory file (people, groups, policies, the catalog, separation of
// duties, birthright rules, access), each entry checked on its own; `sectionSchema` is the file's shape
// before its cross-references are checked (file-references.ts).
import { z } from 'zod';
import {
  CONNECTOR_KINDS,
  MISSING_ACTIONS,
  MOVE_ACTIONS,
  ORPHAN_ACTIONS,
  STEP_UP_SETTINGS,
} from '../domain/index.js';
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

// MariaDB role names and account hosts the mysql connector will quote (connectors/mysql.ts keeps the same rules).
const MYSQL_ROLE = /^[a-z_][a-z0-9_]{0,63}$/;
const MYSQL_HOST = /^[A-Za-z0-9.%_:-]{1,255}$/;

// LDAP DNs (`attr=value` components, values may hold escaped characters) and attribute names, as
// connectors/ldap.ts checks them.
const LDAP_DN =
  /^\s*[A-Za-z][A-Za-z0-9-]*\s*=(?:[^,\\]|\\.)+(?:,\s*[A-Za-z][A-Za-z0-9-]*\s*=(?:[^,\\]|\\.)+)*$/;
const ldapDn = z.string().regex(LDAP_DN, 'must be a DN like "ou=people,dc=example,dc=test"');

const httpUrl = z
  .string()
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
    message: 'must be an http:// or https:// URL',
  });

const connectorSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('postgres'), databaseUrlEnv: envName }),
    z.strictObject({
      kind: z.literal('mysql'),
      databaseUrlEnv: envName,
      /** The host part of the accounts roles are granted to (`'user'@'host'`); default '%'. */
      host: z.string().regex(MYSQL_HOST, 'must be an account host like "%" or "10.0.%"').optional(),
    }),
    z.strictObject({
      kind: z.literal('ldap'),
      /** Variables holding the server URL (ldap:// or ldaps://) and the connector account's DN and password. */
      urlEnv: envName,
      bindDnEnv: envName,
      bindPasswordEnv: envName,
      /** Where people's entries are searched, by `(<userAttribute>=<email>)`. */
      usersBaseDn: ldapDn,
      userAttribute: z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'must be an LDAP attribute name like "mail"'),
      /** Kept in every group so removing the last person never empties it (groupOfNames needs a member). */
      placeholderMemberDn: ldapDn.optional(),
    }),
    z
      .strictObject({
        kind: z.literal('scim'),
        /** The SCIM 2.0 base URL, e.g. https://api.example.com/scim/v2 (or a variable holding it). */
        baseUrl: httpUrl.optional(),
        /** A variable holding the base URL; when set it wins over `baseUrl`. */
        baseUrlEnv: envName.optional(),
        /** The variable holding the bearer token the connector sends. */
        tokenEnv: envName,
      })
      .refine((scim) => scim.baseUrl !== undefined || scim.baseUrlEnv !== undefined, {
        message: 'a scim connector needs baseUrl or baseUrlEnv',
        path: ['baseUrl'],
      }),
    z.strictObject({
      kind: z.literal('webhook'),
      url: httpUrl,
      /** A variable whose URL, when set, is used instead of `url` (how `grantflow dev` reaches its demo receiver). */
      urlEnv: envName.optional(),
      secretEnv: envName,
      /** The receiver also answers `action: "check"` with `{ "present": true | false }`, so grants are read back. */
      readBack: z.boolean().optional(),
      /** The receiver also answers `action: "list"` with who holds what, so reconciliation covers it. */
      list: z.boolean().optional(),
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
  /** Whether approving needs a passkey (`webauthn`) or not (`none`); wins over the policy's. */
  stepUp: z.enum(STEP_UP_SETTINGS).optional(),
  /** What the connector acts on, e.g. `{ role: payments_read }` for postgres. */
  target: z.record(z.string(), z.unknown()).optional(),
});

// The connector kinds whose entitlements name a database role in `target.role`, and the names each accepts.
const ROLE_RULES = {
  postgres: {
    pattern: PG_ROLE,
    message:
      'a postgres entitlement needs target.role, a PostgreSQL role name of lower-case letters, digits and "_"',
  },
  mysql: {
    pattern: MYSQL_ROLE,
    message:
      'a mysql entitlement needs target.role, a MariaDB role name of lower-case letters, digits and "_" (at most 64)',
  },
} as const;

const resourceSchema = z
  .strictObject({
    key,
    name: text,
    description: text.optional(),
    owner: email,
    connector: connectorSchema,
    /** What reconciliation does with differences it finds at this resource's target. */
    reconcile: z
      .strictObject({
        onOrphan: z.enum(ORPHAN_ACTIONS).default('alert'),
        onMissing: z.enum(MISSING_ACTIONS).default('alert'),
      })
      .optional(),
    /** What a holder's move (new manager or department) does to this access; default `review`. */
    onMove: z.enum(MOVE_ACTIONS).default('review'),
    entitlements: z.array(entitlementSchema).min(1, 'must list at least one entitlement'),
  })
  .superRefine((resource, ctx) => {
    const { kind } = resource.connector;
    if (kind !== 'postgres' && kind !== 'mysql') return;
    const rule = ROLE_RULES[kind];
    resource.entitlements.forEach((entitlement, index) => {
      const role = entitlement.target?.role;
      if (typeof role !== 'string' || !rule.pattern.test(role)) {
        ctx.addIssue({
          code: 'custom',
          path: ['entitlements', index, 'target', ...(entitlement.target ? ['role'] : [])],
          message: rule.message + (role === undefined ? '' : `, found ${JSON.stringify(role)}`),
        });
      }
    });
  })
  .superRefine((resource, ctx) => {
    if (resource.connector.kind !== 'ldap') return;
    resource.entitlements.forEach((entitlement, index) => {
      const groupDn = entitlement.target?.groupDn;
      if (typeof groupDn !== 'string' || !LDAP_DN.test(groupDn)) {
        ctx.addIssue({
          code: 'custom',
          path: ['entitlements', index, 'target', ...(entitlement.target ? ['groupDn'] : [])],
          message:
            'an ldap entitlement needs target.groupDn, a group\'s DN like "cn=payroll-admins,ou=groups,dc=example,dc=test"' +
            (groupDn === undefined ? '' : `, found ${JSON.stringify(groupDn)}`),
        });
      }
    });
  });

/** An entitlement as other sections name it: `<resource key>/<entitlement key>`. */
const entitlementRef = z
  .string()
  .regex(/^[a-z0-9_-]+\/[a-z0-9_-]+$/, 'must be "<resource key>/<entitlement key>"');

const sodRuleSchema = z
  .strictObject({
    key,
    description: text.optional(),
    entitlements: z
      .array(entitlementRef)
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
    entitlement: entitlementRef,
    since: instant,
    until: instant.optional(),
    note: text.optional(),
  })
  .superRefine((entry, ctx) => {
    // Zod runs this even when a field failed (a `since` that is no date stays the text it was),
    // and those fields have their own problem already.
    if (!(entry.since instanceof Date) || (entry.until !== undefined && !(entry.until instanceof Date)))
      return;
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

/**
 * A birthright rule: standing access everyone in one department, or one group, holds without asking.
 * The worker grants it to each active person the rule applies to and revokes it when it stops applying.
 */
const birthrightSchema = z.strictObject({
  name: key,
  when: z
    .strictObject({
      /** People whose department is this, compared without regard to case. */
      department: text.optional(),
      /** Members of the group with this key. */
      group: key.optional(),
    })
    .superRefine((when, ctx) => {
      if (when.department === undefined && when.group === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: 'needs a department or a group, like { department: Engineering }',
        });
      } else if (when.department !== undefined && when.group !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: 'names both a department and a group: a rule has one condition (write a rule for each)',
        });
      }
    }),
  grant: z.array(entitlementRef).min(1, 'must list at least one entitlement'),
});

/** Every section's shape, each entry checked on its own but nothing across entries yet. */
export const sectionSchema = z.strictObject({
  people: z.array(personSchema),
  groups: z.array(groupSchema),
  policies: z.array(policySchema),
  resources: z.array(resourceSchema),
  separationOfDuties: z.array(sodRuleSchema),
  birthright: z.array(birthrightSchema).default([]),
  access: z.array(accessSchema).default([]),
});
