// Turns approver references into people. The rules that keep approvals honest live here: inactive or
// unknown people never approve, and the requester never approves their own request.
import { parseApproverRef } from '../directory/file-schema.js';
import type { DirectoryPersonView, DirectoryView, PlanEscalation, ResourceView } from './types.js';

/** What resolution needs besides the reference itself; `requester` is a lower-cased email. */
export type ApproverContext = { requester: string; directory: DirectoryView; resource: ResourceView };

/** One reference resolved: who may approve through it and how to name it to the requester. */
export type ResolvedApprovers = {
  /** Eligible people, sorted and unique. */
  people: string[];
  label: string;
};

/** Sorted by code unit, not locale, so the order is the same on every machine. */
export function sortedUnique(emails: Iterable<string>): string[] {
  return [...new Set(emails)].sort();
}

/** A person by email; `Object.hasOwn` so an odd key can never reach the prototype. */
export function findPerson(
  directory: Pick<DirectoryView, 'people'>,
  email: string | undefined,
): DirectoryPersonView | undefined {
  if (email === undefined) return undefined;
  const key = email.toLowerCase();
  return Object.hasOwn(directory.people, key) ? directory.people[key] : undefined;
}

/** Whether the requester is a listed member of the group (an unknown group has no members). */
export function isGroupMember(directory: DirectoryView, groupKey: string, email: string): boolean {
  if (!Object.hasOwn(directory.groups, groupKey)) return false;
  return (directory.groups[groupKey]?.members ?? []).some((member) => member.toLowerCase() === email);
}

function isEligible(context: ApproverContext, email: string | undefined): email is string {
  if (email === undefined || email.toLowerCase() === context.requester) return false;
  return findPerson(context.directory, email)?.status === 'active';
}

// "Dana Reyes", "Dana Reyes, inactive", "dana@acme.test, not in the directory".
function personText(context: ApproverContext, email: string): string {
  const person = findPerson(context.directory, email);
  if (!person) return `${email}, not in the directory`;
  return person.status === 'active' ? person.name : `${person.name}, inactive`;
}

function relative(context: ApproverContext, role: string, email: string | undefined): ResolvedApprovers {
  const who = email === undefined ? 'none on record' : personText(context, email);
  return {
    people: isEligible(context, email) ? [email.toLowerCase()] : [],
    label: `${role} (${who})`,
  };
}

function managerOf(context: ApproverContext, email: string | undefined): string | undefined {
  return findPerson(context.directory, email)?.manager?.toLowerCase();
}

/** Resolves one reference as written (`manager`, `resource_owner`, `user:<email>`, `group:<key>`, ...). */
export function resolveApproverRef(ref: string, context: ApproverContext): ResolvedApprovers {
  const parsed = parseApproverRef(ref);
  const { requester, directory, resource } = context;
  switch (parsed?.kind) {
    case 'manager':
      return relative(context, 'your manager', managerOf(context, requester));
    case 'manager_of_manager':
      return relative(context, "your manager's manager", managerOf(context, managerOf(context, requester)));
    case 'resource_owner': {
      const owner = resource.owner.toLowerCase();
      if (owner === requester) return { people: [], label: `the owner of ${resource.name} (you)` };
      return relative(context, `the owner of ${resource.name}`, owner);
    }
    case 'user': {
      if (parsed.email === requester) return { people: [], label: 'you' };
      const person = findPerson(directory, parsed.email);
      const label = !person
        ? `${parsed.email} (not in the directory)`
        : person.status === 'active'
          ? person.name
          : `${person.name} (inactive)`;
      return { people: isEligible(context, parsed.email) ? [parsed.email] : [], label };
    }
    case 'group': {
      if (!Object.hasOwn(directory.groups, parsed.key)) {
        return { people: [], label: `group "${parsed.key}" (not in the directory)` };
      }
      const group = directory.groups[parsed.key] as DirectoryView['groups'][string];
      const members = group.members.filter((member) => isEligible(context, member));
      return { people: sortedUnique(members.map((m) => m.toLowerCase())), label: group.name };
    }
    default:
      // The schema refuses such references; a stored one from an older version approves nobody.
      return { people: [], label: `"${ref}" (not understood)` };
  }
}

/**
 * Resolves where a step escalates. Without `escalateTo` it is the manager's manager: one level above
 * the people who could not or did not act. When that chain ends at the manager (the manager reports
 * to nobody, or is the top of the org), the manager stands in: they have authority over the requester
 * and are not the requester, so stalling or refusing would block the top of the org for no safety
 * gain. The same fallback applies when the policy names `manager_of_manager` itself.
 */
export function resolveEscalation(escalateTo: string | undefined, context: ApproverContext): PlanEscalation {
  const source = escalateTo === undefined ? 'default' : 'policy';
  const ref = escalateTo ?? 'manager_of_manager';
  const resolved = resolveApproverRef(ref, context);
  if (ref === 'manager_of_manager' && resolved.people.length === 0) {
    const manager = resolveApproverRef('manager', context);
    if (manager.people.length > 0) {
      return { ref: 'manager', source, approvers: manager.people, label: manager.label };
    }
  }
  return { ref, source, approvers: resolved.people, label: resolved.label };
}
