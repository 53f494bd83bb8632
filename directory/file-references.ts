// The directory file's cross-references: everything that spans entries (duplicates, dangling
// references, manager cycles, duration limits, what birthright rules may grant), checked once every
// section has a valid shape.
import type { z } from 'zod';
import { formatDuration } from '../domain/index.js';
import type { sectionSchema } from './file-sections.js';

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

  // Birthright access is given with nobody acting, so it must come from a connector, not by hand.
  const manualResources = new Set(
    file.resources.filter((resource) => resource.connector.kind === 'manual').map((resource) => resource.key),
  );
  const birthrightNames = new Map<string, number>();
  file.birthright.forEach((rule, index) => {
    const first = birthrightNames.get(rule.name);
    if (first !== undefined) {
      add(
        ['birthright', index, 'name'],
        `duplicate rule name "${rule.name}": also used by birthright[${first}]`,
      );
    } else birthrightNames.set(rule.name, index);
    if (rule.when.group !== undefined && !groups.has(rule.when.group)) {
      add(['birthright', index, 'when', 'group'], `no group with key "${rule.when.group}" in groups`);
    }
    const seen = new Set<string>();
    rule.grant.forEach((ref, g) => {
      const path = ['birthright', index, 'grant', g];
      if (seen.has(ref)) add(path, `"${ref}" is listed twice in this rule`);
      seen.add(ref);
      const resourceKey = ref.slice(0, ref.indexOf('/'));
      if (!entitlementRefs.has(ref)) entitlementExists(path, ref);
      else if (manualResources.has(resourceKey)) {
        add(
          path,
          `resource "${resourceKey}" is granted by hand (connector kind manual); birthright access is granted by a connector, with nobody acting`,
        );
      }
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
function findManagerCycles(people: z.output<typeof sectionSchema>['people']): ReferenceIssue[] {
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
