// Grants an entitlement in a SaaS app that accepts SCIM 2.0 (RFC 7643/7644) by making the person a
// member of a SCIM group: the entitlement's `target` names the group by display name
// (`{ group: 'Engineering' }`, found with `displayName eq`) or by id (`{ groupId: '...' }`). grant is
// a PATCH adding the user to `members`, revoke a PATCH removing `members[value eq "<user id>"]`;
// both read the group first, so a repeat is `already`.
//
// grantflow does not create users: the app's user must exist (the company IdP usually provisions
// it), found by `userName eq "<email>"` as IdPs look users up. A user that is not there refuses a
// grant non-retryably (`connector_unknown_role`, `which: member`) rather than invent an account
// whose attributes grantflow does not own.
//
// The connector's token needs: read of Users (filter by userName and by id), read of Groups
// (filter by displayName, get by id with `members`), and PATCH of group members. Nothing else;
// `deactivateAccount` (for a leaver) also needs PATCH of a user's `active`.
//
// Accounts: `accountOf(person)` is the email, lower-cased, and listAccess reports each member by
// its user's userName, lower-cased (SCIM userNames are case-insensitive), so reconciliation matches
// people from their email alone. A member that is no user of the app (a nested group, a user that
// is gone) is reported by its member value, an id no email equals: reconciliation shows it as an
// unknown account rather than the connector hiding it.
import { type Connector, ConnectorError, type ProvisionInput, type ProvisionResult } from './connector.js';
import { pageHolders } from './paging.js';
import { createScimClient, type ScimClientConfig, type ScimClientDeps } from './scim-client.js';
import {
  findGroup,
  findUser,
  type GroupRef,
  isMember,
  readMembers,
  resolveAccounts,
} from './scim-lookups.js';

/** Where a scim resource's service is and which variable holds its bearer token. */
export type ScimConnectorConfig = ScimClientConfig;

/** Dependencies a scim connector reads at call time. */
export type ScimConnectorDeps = ScimClientDeps;

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** The connector for `kind: scim`: group membership over SCIM 2.0, read back from the group. */
export function createScimConnector(config: ScimConnectorConfig, deps: ScimConnectorDeps): Connector {
  const { resourceKey } = config;
  const client = createScimClient(config, deps);

  /** The group and the user a grant, revoke or check acts on; undefined where the target has none. */
  const parties = async (input: ProvisionInput) => {
    const ref = groupRefOf(resourceKey, input.entitlementKey, input.target);
    const group = await findGroup(client, ref);
    const user = group && (await findUser(client, input.person.email));
    return { ref, group, user };
  };

  return {
    kind: 'scim',

    async grant(input) {
      const { ref, group, user } = await parties(input);
      if (!group) throw unknownGroup(resourceKey, ref);
      if (!user) throw unknownUser(resourceKey, input.person.email, ref);
      if (isMember(await readMembers(client, group.id, ref), user.id)) {
        return { outcome: 'already', detail: `${user.userName} is already a member of ${ref.label}` };
      }
      const added = await client.send({
        method: 'PATCH',
        path: `/Groups/${encodeURIComponent(group.id)}`,
        body: {
          schemas: [PATCH_OP],
          Operations: [{ op: 'add', path: 'members', value: [{ value: user.id }] }],
        },
        context: { subject: 'group', group: ref.label, email: input.person.email },
        tolerate: [409],
      });
      if (added.status === 409) {
        // A concurrent attempt (or an admin) may have added them first: the group says whether.
        if (isMember(await readMembers(client, group.id, ref), user.id)) {
          return { outcome: 'already', detail: `${user.userName} is already a member of ${ref.label}` };
        }
        throw new ConnectorError(
          'connector_rejected',
          `resource ${resourceKey}: adding ${user.userName} to ${ref.label} conflicted (409${added.scimType ? ` ${added.scimType}` : ''}) and they are not a member`,
          { details: { resource: resourceKey, group: ref.label, status: 409 } },
        );
      }
      return { outcome: 'done', detail: `added ${user.userName} to ${ref.label}` };
    },

    async revoke(input): Promise<ProvisionResult> {
      // A group or user that is not there holds nothing: deprovisioning is already complete.
      const { ref, group, user } = await parties(input);
      if (!group) return { outcome: 'already', detail: `${ref.label} does not exist` };
      if (!user) return { outcome: 'already', detail: `no user has userName ${input.person.email}` };
      if (!isMember(await readMembers(client, group.id, ref), user.id)) {
        return { outcome: 'already', detail: `${user.userName} is not a member of ${ref.label}` };
      }
      const removed = await client.send({
        method: 'PATCH',
        path: `/Groups/${encodeURIComponent(group.id)}`,
        body: {
          schemas: [PATCH_OP],
          Operations: [{ op: 'remove', path: `members[value eq ${JSON.stringify(user.id)}]` }],
        },
        context: { subject: 'group', group: ref.label, email: input.person.email },
        tolerate: [400],
      });
      // RFC 7644 §3.5.2.2: a value filter matching nothing is `noTarget`, so someone removed them first.
      if (removed.status === 400 && removed.scimType === 'noTarget') {
        return { outcome: 'already', detail: `${user.userName} is not a member of ${ref.label}` };
      }
      if (removed.status === 400) {
        throw new ConnectorError(
          'connector_rejected',
          `resource ${resourceKey}: the SCIM server refused to remove ${user.userName} from ${ref.label} (400${removed.scimType ? ` ${removed.scimType}` : ''})`,
          { details: { resource: resourceKey, group: ref.label, status: 400, scimType: removed.scimType } },
        );
      }
      return { outcome: 'done', detail: `removed ${user.userName} from ${ref.label}` };
    },

    async check(input) {
      const { ref, group, user } = await parties(input);
      if (!group || !user) return 'absent';
      return isMember(await readMembers(client, group.id, ref), user.id) ? 'present' : 'absent';
    },

    async listAccess(entitlements, page) {
      // Every target is checked before the first call: a bad catalog entry fails the whole listing
      // rather than the page it happens to fall on. A group the catalog names but the app lacks is a
      // catalog mistake, not a group held by nobody.
      const refs = new Map(
        entitlements.map((e) => [e.entitlementKey, groupRefOf(resourceKey, e.entitlementKey, e.target)]),
      );
      const ids = new Map<string, string>();
      return pageHolders(resourceKey, entitlements, page, async (entitlement, after, limit) => {
        const ref = refs.get(entitlement.entitlementKey) as GroupRef;
        let id = ids.get(entitlement.entitlementKey);
        if (id === undefined) {
          const group = await findGroup(client, ref);
          if (!group) throw unknownGroup(resourceKey, ref);
          id = group.id;
          ids.set(entitlement.entitlementKey, id);
        }
        const members = (await readMembers(client, id, ref)).filter(
          (member) => after === undefined || member.value > (after[0] ?? ''),
        );
        return resolveAccounts(client, members.slice(0, limit));
      });
    },

    accountOf: (person) => person.email.toLowerCase(),

    deactivateAccount: (person) => deactivateScimUser(client, person),
  };
}

/**
 * Deactivates the person's user at the app (`active: false`, what IdPs do for a leaver), keeping
 * the account and its history; `already` when the user is inactive or not there.
 */
async function deactivateScimUser(
  client: ReturnType<typeof createScimClient>,
  person: { email: string },
): Promise<ProvisionResult> {
  const user = await findUser(client, person.email);
  if (!user) return { outcome: 'already', detail: `no user has userName ${person.email}` };
  if (user.active === false) return { outcome: 'already', detail: `${user.userName} is already inactive` };
  await client.send({
    method: 'PATCH',
    path: `/Users/${encodeURIComponent(user.id)}`,
    body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] },
    context: { subject: 'user', email: person.email },
  });
  return { outcome: 'done', detail: `deactivated ${user.userName}` };
}

// ---- targets ----

function groupRefOf(resourceKey: string, entitlementKey: string, target: Record<string, unknown>): GroupRef {
  const { group, groupId } = target;
  const named = typeof group === 'string' && group.trim() !== '';
  const byId = typeof groupId === 'string' && groupId.trim() !== '';
  if (named !== byId) {
    return named
      ? { by: 'displayName', value: group as string, label: `group "${group}"` }
      : { by: 'id', value: groupId as string, label: `group ${groupId}` };
  }
  throw new ConnectorError(
    'connector_misconfigured',
    `resource ${resourceKey}, entitlement ${entitlementKey}: target must name a SCIM group by display name ({ group: "Engineering" }) or by id ({ groupId: "..." }), one of the two, found ${JSON.stringify(target)}`,
    { details: { resource: resourceKey, entitlement: entitlementKey, target } },
  );
}

function unknownGroup(resourceKey: string, ref: GroupRef): ConnectorError {
  return new ConnectorError(
    'connector_unknown_role',
    `resource ${resourceKey}: ${ref.label} does not exist at the SCIM server`,
    { details: { resource: resourceKey, which: 'target', group: ref.value } },
  );
}

function unknownUser(resourceKey: string, email: string, ref: GroupRef): ConnectorError {
  return new ConnectorError(
    'connector_unknown_role',
    `resource ${resourceKey}: the SCIM server has no user with userName ${email}; provision the person to the app (usually from the IdP) before granting ${ref.label}`,
    { details: { resource: resourceKey, which: 'member', email } },
  );
}
