// The directory file: people, groups, approval policies, the catalog and separation-of-duties rules in
// one YAML document. The file is the whole truth for what it lists, so the schema is strict: an unknown
// or misspelt field is an error rather than something silently ignored.
import { z } from 'zod';
import { CONNECTOR_KINDS, formatDuration } from '../domain/index.js';
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

// The format's pieces that other layers read: durations and approver references, and the policy schemas.
export { type ApproverRef, parseApproverRef, parseDuration } from './file-fields.js';
export {
  type PolicyDefinition,
  policyDefinitionSchema,
  storedPolicyDefinitionSchema,
} from './policy-schema.js';

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

const sectionSchema = z.strictObject({
  people: z.array(personSchema),
  groups: z.array(groupSchema),
  policies: z.array(policySchema),
  resources: z.array(resourceSchema),
  separationOfDuties: z.array(sodRuleSchema),
  access: z.array(accessSchema).default([]),
});

/** The sections of a directory file, in the order the file presents them. */
export const DIRECTORY_SECTIONS = Object.keys(sectionSchema.shape) as (keyof typeof sectionSchema.shape)[];

/** The whole directory file: shape first, then every cross-reference (only once the shape is valid). */
export const directoryFileSchema = sectionSchema.superRefine((file, ctx) => {
  for (const issue of checkReferences(file)) ctx.addIssue({ code: 'custom', ...issue });
});
/** A validated directory file. */
export type DirectoryFile = z.output<typeof directoryFileSchema>;
/** One person as parsed from the file. */
export type DirectoryPerson = DirectoryFile['people'][number];
/** One group as parsed from the file. */
export type DirectoryGroup = DirectoryFile['groups'][number];
/** One policy (its key plus its definition) as parsed from the file. */
export type DirectoryPolicy = DirectoryFile['policies'][number];
/** One resource with its entitlements as parsed from the file. */
export type DirectoryResource = DirectoryFile['resources'][number];
/** One entitlement as parsed from the file. */
export type DirectoryEntitlement = DirectoryResource['entitlements'][number];
/** One separation-of-duties rule as parsed from the file. */
export type DirectorySodRule = DirectoryFile['separationOfDuties'][number];

/** One line of the `access` section. */
export type DirectoryAccess = DirectoryFile['access'][number];

/** A cross-reference problem: where in the file (zod-style path) and what is wrong. */
export type ReferenceIssue = { path: (string | number)[]; message: string };

/** Checks everything that spans entries: duplicates, dangling references, manager cycles, duration limits. */
export function checkReferences(file: z.output<typeof sectionSchema>): ReferenceIssue[] {
  const issues: ReferenceIssue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push({ path, message });

  const people = new Map<string, { index: number; status: string; manager?: string | undefined }>();
  const slackIds = new Map<string, number>();
  file.people.forEach((person, index) => {
    const first = people.get(person.email);
    if (first)
      add(
        ['people', index, 'email'],
        `duplicate email "${person.email}": also used by people[${first.index}]`,
      );
    else people.set(person.email, { index, status: person.status, manager: person.manager });
    if (person.slackUserId !== undefined) {
      const other = slackIds.get(person.slackUserId);
      if (other !== undefined) {
        add(
          ['people', index, 'slackUserId'],
          `duplicate Slack user id "${person.slackUserId}": also used by people[${other}]`,
        );
      } else slackIds.set(person.slackUserId, index);
    }
  });
  const personExists = (path: (string | number)[], address: string, role: string, mustBeActive: boolean) => {
    const person = people.get(address);
    if (!person) add(path, `no person with email "${address}" in people`);
    else if (mustBeActive && person.status !== 'active') {
      add(path, `"${address}" is inactive and cannot act as ${role}`);
    }
  };

  file.people.forEach((person, index) => {
    if (person.manager === undefined) return;
    if (person.manager === person.email)
      add(['people', index, 'manager'], `"${person.email}" cannot be their own manager`);
    else personExists(['people', index, 'manager'], person.manager, 'manager', false);
  });
  issues.push(...findManagerCycles(file.people));

  const groups = new Map<string, number>();
  file.groups.forEach((group, index) => {
    const first = groups.get(group.key);
    if (first !== undefined)
      add(['groups', index, 'key'], `duplicate group key "${group.key}": also used by groups[${first}]`);
    else groups.set(group.key, index);
    const seen = new Set<string>();
    group.members.forEach((member, i) => {
      if (seen.has(member)) add(['groups', index, 'members', i], `"${member}" is listed twice in this group`);
      seen.add(member);
      personExists(['groups', index, 'members', i], member, 'group member', false);
    });
  });
  const memberCount = (groupKey: string) => {
    const index = groups.get(groupKey);
    return index === undefined ? 0 : (file.groups[index]?.members.length ?? 0);
  };

  // `user:` and `group:` references, wherever they appear.
  const checkRef = (path: (string | number)[], ref: string, role: string) => {
    if (ref.startsWith('user:')) personExists(path, ref.slice(5), role, true);
    else if (ref.startsWith('group:') && !groups.has(ref.slice(6))) {
      add(path, `no group with key "${ref.slice(6)}" in groups`);
    }
  };

  const policies = new Map<string, number>();
  file.policies.forEach((policy, index) => {
    const first = policies.get(policy.key);
    if (first !== undefined) {
      add(
        ['policies', index, 'key'],
        `duplicate policy key "${policy.key}": also used by policies[${first}]`,
      );
    } else policies.set(policy.key, index);
    policy.steps.forEach((step, s) => {
      step.approvers.forEach((approver, a) => {
        checkRef(['policies', index, 'steps', s, 'approvers', a], approver, 'an approver');
      });
      // Upper bound of distinct people who could approve; manager and resource owner count once each.
      const pool = new Set<string>();
      for (const approver of step.approvers) {
        if (approver.startsWith('group:')) {
          const g = groups.get(approver.slice(6));
          for (const member of g === undefined ? [] : (file.groups[g]?.members ?? []))
            pool.add(`user:${member}`);
        } else pool.add(approver);
      }
      const needed = step.require === 'any' ? 1 : step.require === 'all' ? 1 : step.require;
      const allGroupsKnown = step.approvers.every((a) => !a.startsWith('group:') || groups.has(a.slice(6)));
      if (allGroupsKnown && pool.size < needed) {
        const empty = step.approvers.filter((a) => a.startsWith('group:') && memberCount(a.slice(6)) === 0);
        add(
          ['policies', index, 'steps', s, 'require'],
          pool.size === 0
            ? `no one can approve this step: ${empty.join(', ')} has no members`
            : `requires ${needed} approvals but the approvers add up to at most ${pool.size} people`,
        );
      }
    });
    policy.autoApprove?.forEach((rule, r) => {
      rule.requesterInGroups?.forEach((groupKey, g) => {
        if (!groups.has(groupKey)) {
          add(
            ['policies', index, 'autoApprove', r, 'requesterInGroups', g],
            `no group with key "${groupKey}" in groups`,
          );
        }
      });
    });
    if (policy.escalateTo !== undefined)
      checkRef(['policies', index, 'escalateTo'], policy.escalateTo, 'an escalation target');
  });

  const entitlementRefs = new Set<string>();
  const resources = new Map<string, number>();
  file.resources.forEach((resource, index) => {
    const first = resources.get(resource.key);
    if (first !== undefined) {
      add(
        ['resources', index, 'key'],
        `duplicate resource key "${resource.key}": also used by resources[${first}]`,
      );
    } else resources.set(resource.key, index);
    personExists(['resources', index, 'owner'], resource.owner, 'resource owner', true);
    const keys = new Map<string, number>();
    resource.entitlements.forEach((entitlement, e) => {
      const path = ['resources', index, 'entitlements', e];
      const other = keys.get(entitlement.key);
      if (other !== undefined) {
        add(
          [...path, 'key'],
          `duplicate entitlement key "${entitlement.key}": also used by resources[${index}].entitlements[${other}]`,
        );
      } else keys.set(entitlement.key, e);
      entitlementRefs.add(`${resource.key}/${entitlement.key}`);
      const policyIndex = policies.get(entitlement.policy);
      if (policyIndex === undefined) {
        add([...path, 'policy'], `no policy with key "${entitlement.policy}" in policies`);
        return;
      }
      const policyMax = file.policies[policyIndex]?.maxDuration;
      if (policyMax !== undefined && entitlement.maxDuration > policyMax) {
        add(
          [...path, 'maxDuration'],
          `${formatDuration(entitlement.maxDuration)} exceeds the maxDuration of policy "${entitlement.policy}" (${formatDuration(policyMax)})`,
        );
      }
    });
  });

  const rules = new Map<string, number>();
  file.separationOfDuties.forEach((rule, index) => {
    const first = rules.get(rule.key);
    if (first !== undefined) {
      add(
        ['separationOfDuties', index, 'key'],
        `duplicate rule key "${rule.key}": also used by separationOfDuties[${first}]`,
      );
    } else rules.set(rule.key, index);
    const seen = new Set<string>();
    rule.entitlements.forEach((ref, e) => {
      const path = ['separationOfDuties', index, 'entitlements', e];
      if (seen.has(ref)) add(path, `"${ref}" is listed twice in this rule`);
      seen.add(ref);
      entitlementExists(path, ref);
    });
    rule.approvers?.forEach((approver, a) => {
      checkRef(['separationOfDuties', index, 'approvers', a], approver, 'an approver');
    });
  });

  // Inactive holders are allowed on purpose: access a leaver still holds is exactly what to surface.
  const held = new Map<string, number>();
  file.access.forEach((entry, index) => {
    personExists(['access', index, 'person'], entry.person, 'holder', false);
    entitlementExists(['access', index, 'entitlement'], entry.entitlement);
    const pair = `${entry.person} ${entry.entitlement}`;
    const first = held.get(pair);
    if (first !== undefined) {
      add(['access', index], `${entry.person} already holds ${entry.entitlement} in access[${first}]`);
    } else held.set(pair, index);
  });
  return issues;

  function entitlementExists(path: (string | number)[], ref: string): void {
    if (entitlementRefs.has(ref)) return;
    const [resourceKey] = ref.split('/');
    add(
      path,
      resources.has(resourceKey as string)
        ? `resource "${resourceKey}" has no entitlement "${ref.slice((resourceKey as string).length + 1)}"`
        : `no resource with key "${resourceKey}" in resources`,
    );
  }
}

// Each cycle is reported once, at the person of the cycle who comes first in the file.
function findManagerCycles(people: DirectoryPerson[]): ReferenceIssue[] {
  const index = new Map(people.map((person, i) => [person.email, i]));
  const state = new Map<string, 'visiting' | 'done'>();
  const issues: ReferenceIssue[] = [];
  for (const start of people) {
    const chain: string[] = [];
    let current: string | undefined = start.email;
    while (current !== undefined && state.get(current) === undefined) {
      state.set(current, 'visiting');
      chain.push(current);
      const i = index.get(current);
      const manager: string | undefined = i === undefined ? undefined : people[i]?.manager;
      current = manager === chain[chain.length - 1] ? undefined : manager; // self-management is reported elsewhere
    }
    if (current !== undefined && state.get(current) === 'visiting') {
      const cycle = chain.slice(chain.indexOf(current));
      const first = cycle.reduce((a, b) => ((index.get(a) ?? 0) <= (index.get(b) ?? 0) ? a : b));
      const rotated = [...cycle.slice(cycle.indexOf(first)), ...cycle.slice(0, cycle.indexOf(first)), first];
      issues.push({
        path: ['people', index.get(first) ?? 0, 'manager'],
        message: `manager chain loops back to "${first}": ${rotated.join(' → ')}`,
      });
    }
    for (const email of chain) state.set(email, 'done');
  }
  return issues;
}
