// Loads from the database everything the policy engine looks at for one request, so the API (to
// refuse bad input) and the workflow's planning activity see exactly the same facts.
import { NotFoundError } from '../core/errors.js';
import type { Executor } from '../db/client.js';
import { listOpenRequestedEntitlements } from '../db/queries/access-requests.js';
import { getEntitlementById } from '../db/queries/entitlements.js';
import { listHeldEntitlements } from '../db/queries/grants.js';
import { listMemberships } from '../db/queries/groups.js';
import { listAllPeople } from '../db/queries/people.js';
import { getCurrentPolicyById } from '../db/queries/policies.js';
import { listSodRules } from '../db/queries/sod-rules.js';
import { storedPolicyDefinitionSchema } from '../directory/file-schema.js';
import { connectorKindOf } from '../domain/index.js';
import type { DirectoryView, PolicyEvaluationInput } from '../policy/types.js';
import type { AccessTarget } from '../workflows/messages.js';

/** The policy engine's input plus what the workflow needs to name the resource and entitlement. */
export type RequestContext = { policyInput: PolicyEvaluationInput; target: AccessTarget };

/** People by email and groups by key, as the policy engine reads them, plus emails by person id. */
async function loadDirectoryView(
  db: Executor,
): Promise<{ view: DirectoryView; emailById: Map<string, string> }> {
  const everyone = await listAllPeople(db);
  const emailById = new Map(everyone.map((person) => [person.id, person.email]));
  const view: DirectoryView = { people: {}, groups: {} };
  for (const person of everyone) {
    const manager = person.managerId ? emailById.get(person.managerId) : undefined;
    view.people[person.email] = {
      email: person.email,
      name: person.name,
      status: person.status,
      ...(manager ? { manager } : {}),
      ...(person.slackUserId ? { slackUserId: person.slackUserId } : {}),
    };
  }
  for (const membership of await listMemberships(db)) {
    view.groups[membership.groupKey] ??= { key: membership.groupKey, name: membership.groupKey, members: [] };
    view.groups[membership.groupKey]?.members.push(membership.email);
  }
  return { view, emailById };
}

/**
 * Everything a decision about `requesterId` asking for `entitlementId` depends on: the directory,
 * the entitlement's current policy version, the SoD rules, and what the requester already holds or
 * has asked for. `excludeRequest` keeps the request being planned out of "has asked for".
 */
export async function loadRequestContext(
  db: Executor,
  input: { requesterId: string; entitlementId: string; excludeRequest?: boolean },
): Promise<RequestContext> {
  const found = await getEntitlementById(db, input.entitlementId);
  if (!found) throw new NotFoundError('entitlement', input.entitlementId);
  const { entitlement, resource } = found;
  const current = await getCurrentPolicyById(db, entitlement.policyId);
  if (!current) throw new NotFoundError('policy', entitlement.policyId);
  const { view, emailById } = await loadDirectoryView(db);
  const requester = emailById.get(input.requesterId);
  if (!requester) throw new NotFoundError('person', input.requesterId);
  const owner = emailById.get(resource.ownerId) ?? '';
  const requestedKey = `${resource.key}/${entitlement.key}`;
  const pending = await listOpenRequestedEntitlements(db, input.requesterId);
  const held = new Set([...(await listHeldEntitlements(db, input.requesterId)), ...pending]);
  // The request being planned is itself open; it must not conflict with itself.
  if (input.excludeRequest) held.delete(requestedKey);
  const connectorKind = connectorKindOf(resource.connectorKind);
  const sodRules = await listSodRules(db);
  return {
    policyInput: {
      requester,
      entitlement: {
        key: entitlement.key,
        name: entitlement.name,
        risk: entitlement.riskLevel,
        maxDurationSeconds: entitlement.maxDurationSeconds,
        ...(entitlement.stepUp ? { stepUp: entitlement.stepUp } : {}),
      },
      resource: { key: resource.key, name: resource.name, owner },
      policy: {
        key: current.policy.key,
        version: current.version.version,
        definition: storedPolicyDefinitionSchema.parse(current.version.definition),
      },
      heldEntitlements: [...held].sort(),
      sodRules: sodRules.map((rule) => ({
        key: rule.key,
        ...(rule.description ? { description: rule.description } : {}),
        entitlements: rule.entitlementKeys,
        action: rule.action === 'deny' ? 'deny' : 'require_approval',
        ...(rule.approvers.length > 0 ? { approvers: rule.approvers } : {}),
      })),
      directory: view,
    },
    target: {
      resource: { key: resource.key, name: resource.name, owner, connectorKind },
      entitlement: {
        id: entitlement.id,
        key: entitlement.key,
        name: entitlement.name,
        risk: entitlement.riskLevel,
        maxDurationSeconds: entitlement.maxDurationSeconds,
      },
    },
  };
}
