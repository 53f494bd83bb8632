// Grants an entitlement in an LDAP directory by adding the person's entry to a group: the
// entitlement's `target.groupDn` names a groupOfNames, and membership is a `member` value holding
// the person's DN. grantflow does not create people: the person's entry must exist under
// `usersBaseDn`, found by `(<userAttribute>=<email>)`.
//
// The connector's own account (bindDnEnv / bindPasswordEnv) needs: search and read of
// `userAttribute` on entries under `usersBaseDn`, read and compare of `member` on the target
// groups, and write of `member` on them. Nothing else; it never adds or deletes entries.
// In OpenLDAP:
//   olcAccess: to dn.subtree="ou=groups,dc=example,dc=test" attrs=member
//     by dn.exact="cn=grantflow,ou=services,dc=example,dc=test" write by * read
//
// groupOfNames must keep at least one member, so a revoke can never empty a group. With
// `placeholderMemberDn` set, removing the last person swaps the placeholder in, in the same modify
// (atomic), and listAccess leaves the placeholder out; the placeholder need not exist as an entry.
// Without it, the connector refuses (non-retryably, `connector_rejected`) to remove the last member,
// saying so, rather than delete the group or invent a member.
//
// Accounts: `accountOf(person)` is the person's email, lower-cased, and listAccess reports each
// member under `usersBaseDn` by its entry's `userAttribute` value, lower-cased, so reconciliation
// matches people from their email alone. Every other member (outside `usersBaseDn`, an entry that
// is gone, one without that attribute) is reported by its DN, which no email equals: reconciliation
// shows it as an account nobody in the directory has, rather than the connector hiding it.
import { Attribute, Change, Client, type Entry, EqualityFilter, ResultCodeError } from 'ldapts';
import { type Connector, ConnectorError, type ProvisionInput, type ProvisionResult } from './connector.js';
import { type Context, classifyLdapError, RESULT, unknownGroup } from './ldap-errors.js';
import { type KeyedHolding, pageHolders } from './paging.js';

/** Where an ldap resource's directory is and how people are found in it. */
export type LdapConnectorConfig = {
  resourceKey: string;
  /** Variable holding the server URL, `ldap://` or `ldaps://`. */
  urlEnv: string;
  /** Variables holding the connector account's DN and password. */
  bindDnEnv: string;
  bindPasswordEnv: string;
  /** Where people's entries are searched. */
  usersBaseDn: string;
  /** The attribute holding a person's email, e.g. `mail`. */
  userAttribute: string;
  /** A member kept in every group so it is never empty (groupOfNames needs one); see above. */
  placeholderMemberDn?: string;
};

/** Dependencies an ldap connector reads at call time. */
export type LdapConnectorDeps = {
  env: Record<string, string | undefined>;
  /** Overrides both timeouts below (tests). */
  timeoutMs?: number | undefined;
};

// A connection per call: a grant is two or three operations, so pooling buys little, and a fresh
// bind picks up a rotated password without restarting the worker.
const CONNECT_TIMEOUT_MS = 5_000;
const OPERATION_TIMEOUT_MS = 15_000;
// Resolving a page's members to accounts: a few searches in flight on one connection, not hundreds.
const RESOLVE_CONCURRENCY = 16;

/** The connector for `kind: ldap`: groupOfNames membership, read back with a compare. */
export function createLdapConnector(config: LdapConnectorConfig, deps: LdapConnectorDeps): Connector {
  const { resourceKey } = config;

  const variable = (name: string, purpose: string): string => {
    const value = deps.env[name];
    // An empty password would make a "simple bind" anonymous (RFC 4513 §5.1.2), which succeeds
    // and then fails every change with a misleading permission error: refuse it up front.
    if (!value) {
      throw new ConnectorError(
        'connector_misconfigured',
        `resource ${resourceKey}: environment variable ${name} (${purpose}) is not set`,
        { details: { resource: resourceKey, variable: name } },
      );
    }
    return value;
  };

  // Every call binds, acts and unbinds; any failure is classified once, here.
  const session = async <T>(context: Context, act: (client: Client) => Promise<T>): Promise<T> => {
    const url = variable(config.urlEnv, 'its LDAP URL');
    // The URL may carry credentials in odd setups: name the variable, never the value.
    if (!URL.canParse(url) || !/^ldaps?:$/.test(new URL(url).protocol)) {
      throw new ConnectorError(
        'connector_misconfigured',
        `resource ${resourceKey}: environment variable ${config.urlEnv} is not an ldap:// or ldaps:// URL`,
        { details: { resource: resourceKey, variable: config.urlEnv } },
      );
    }
    const bindDn = variable(config.bindDnEnv, 'the DN the connector binds as');
    const password = variable(config.bindPasswordEnv, 'the password of that DN');
    const client = new Client({
      url,
      connectTimeout: deps.timeoutMs ?? CONNECT_TIMEOUT_MS,
      timeout: deps.timeoutMs ?? OPERATION_TIMEOUT_MS,
    });
    try {
      await client.bind(bindDn, password);
      return await act(client);
    } catch (error) {
      throw classifyLdapError(error, context);
    } finally {
      await client.unbind().catch(() => {});
    }
  };

  /** The DN of the person's entry, or undefined when there is none. */
  const findPerson = async (client: Client, email: string): Promise<string | undefined> => {
    let entries: Entry[];
    try {
      ({ searchEntries: entries } = await client.search(config.usersBaseDn, {
        scope: 'sub',
        // The filter class encodes the value as bytes: no escaping to get wrong, no injection.
        filter: new EqualityFilter({ attribute: config.userAttribute, value: email }),
        attributes: ['1.1'],
        // Two are enough to tell "one" from "ambiguous".
        sizeLimit: 2,
      }));
    } catch (error) {
      if (error instanceof ResultCodeError && error.code === RESULT.noSuchObject) {
        throw new ConnectorError(
          'connector_misconfigured',
          `resource ${resourceKey}: usersBaseDn "${config.usersBaseDn}" does not exist in the directory`,
          { details: { resource: resourceKey, usersBaseDn: config.usersBaseDn }, cause: error },
        );
      }
      throw error;
    }
    if (entries.length > 1) {
      throw new ConnectorError(
        'connector_rejected',
        `resource ${resourceKey}: more than one entry under ${config.usersBaseDn} has ${config.userAttribute}=${email}; make it unique before granting`,
        { details: { resource: resourceKey, email, dns: entries.map((entry) => entry.dn) } },
      );
    }
    return entries[0]?.dn;
  };

  const personOrRefuse = async (client: Client, input: ProvisionInput, groupDn: string): Promise<string> => {
    const dn = await findPerson(client, input.person.email);
    if (dn) return dn;
    throw new ConnectorError(
      'connector_unknown_role',
      `resource ${resourceKey}: no entry under ${config.usersBaseDn} has ${config.userAttribute}=${input.person.email}; create the person before granting ${groupDn}`,
      { details: { resource: resourceKey, which: 'member', email: input.person.email } },
    );
  };

  const provision = <T>(
    input: ProvisionInput,
    act: (client: Client, groupDn: string) => Promise<T>,
  ): Promise<T> => {
    const groupDn = targetGroup(resourceKey, input.entitlementKey, input.target);
    return session({ resourceKey, groupDn, email: input.person.email }, (client) => act(client, groupDn));
  };

  return {
    kind: 'ldap',

    grant: (input) =>
      provision(input, async (client, groupDn): Promise<ProvisionResult> => {
        const member = await personOrRefuse(client, input, groupDn);
        try {
          await client.modify(groupDn, memberChange('add', member));
        } catch (error) {
          // Already a member (a repeat, a concurrent retry, or granted by hand): nothing to do.
          if (hasCode(error, RESULT.attributeOrValueExists)) {
            return { outcome: 'already', detail: `${member} is already a member of ${groupDn}` };
          }
          throw error;
        }
        return { outcome: 'done', detail: `added ${member} to ${groupDn}` };
      }),

    revoke: (input) =>
      provision(input, async (client, groupDn): Promise<ProvisionResult> => {
        // A deleted person or group holds nothing: deprovisioning is already complete.
        const member = await findPerson(client, input.person.email);
        if (!member) {
          return { outcome: 'already', detail: `no entry has ${config.userAttribute}=${input.person.email}` };
        }
        try {
          await client.modify(groupDn, memberChange('delete', member));
        } catch (error) {
          if (hasCode(error, RESULT.noSuchAttribute)) {
            return { outcome: 'already', detail: `${member} is not a member of ${groupDn}` };
          }
          if (hasCode(error, RESULT.noSuchObject)) {
            return { outcome: 'already', detail: `group ${groupDn} does not exist` };
          }
          if (!hasCode(error, RESULT.objectClassViolation)) throw error;
          // The last member: groupOfNames may not be empty.
          if (config.placeholderMemberDn === undefined) throw lastMember(resourceKey, groupDn, member, error);
          await client.modify(groupDn, [
            memberChange('add', config.placeholderMemberDn),
            memberChange('delete', member),
          ]);
          return {
            outcome: 'done',
            detail: `replaced ${member}, the last member of ${groupDn}, by the placeholder`,
          };
        }
        return { outcome: 'done', detail: `removed ${member} from ${groupDn}` };
      }),

    check: (input) =>
      provision(input, async (client, groupDn) => {
        const member = await findPerson(client, input.person.email);
        if (!member) return 'absent';
        try {
          // The server matches DNs by their rules (case, spacing), which a string compare here would not.
          return (await client.compare(groupDn, 'member', member)) ? 'present' : 'absent';
        } catch (error) {
          if (hasCode(error, RESULT.noSuchObject)) return 'absent';
          throw error;
        }
      }),

    async listAccess(entitlements, page) {
      // Every group DN is checked before the first search: a bad catalog entry fails the whole
      // listing rather than the page it happens to fall on.
      const groups = new Map(
        entitlements.map((e) => [e.entitlementKey, targetGroup(resourceKey, e.entitlementKey, e.target)]),
      );
      return session({ resourceKey }, (client) =>
        pageHolders(resourceKey, entitlements, page, async (entitlement, after, limit) => {
          const groupDn = groups.get(entitlement.entitlementKey) as string;
          const members = await readMembers(client, config, groupDn);
          const next = members.filter((member) => after === undefined || member.key > (after[0] ?? ''));
          return resolveAccounts(client, config, next.slice(0, limit));
        }),
      );
    },

    accountOf: (person) => person.email.toLowerCase(),
  };
}

function targetGroup(resourceKey: string, entitlementKey: string, target: Record<string, unknown>): string {
  const groupDn = target.groupDn;
  if (typeof groupDn !== 'string' || !looksLikeDn(groupDn)) {
    throw new ConnectorError(
      'connector_misconfigured',
      `resource ${resourceKey}, entitlement ${entitlementKey}: target.groupDn must be a group's DN like "cn=payroll-admins,ou=groups,dc=example,dc=test", found ${JSON.stringify(groupDn)}`,
      { details: { resource: resourceKey, entitlement: entitlementKey, groupDn } },
    );
  }
  return groupDn;
}

/** A DN's shape: `attr=value` components separated by commas (values may hold escaped characters). */
function looksLikeDn(value: string): boolean {
  return /^\s*[A-Za-z][A-Za-z0-9-]*\s*=(?:[^,\\]|\\.)+(?:,\s*[A-Za-z][A-Za-z0-9-]*\s*=(?:[^,\\]|\\.)+)*$/.test(
    value,
  );
}

function memberChange(operation: 'add' | 'delete', member: string): Change {
  return new Change({ operation, modification: new Attribute({ type: 'member', values: [member] }) });
}

function hasCode(error: unknown, code: number): boolean {
  return error instanceof ResultCodeError && error.code === code;
}

function lastMember(resourceKey: string, groupDn: string, member: string, cause: unknown): ConnectorError {
  return new ConnectorError(
    'connector_rejected',
    `resource ${resourceKey}: ${member} is the last member of ${groupDn}, and a groupOfNames must keep one; set the connector's placeholderMemberDn (or add another member to the group), then revoke again`,
    { details: { resource: resourceKey, groupDn, member }, cause },
  );
}

// ---- listing ----

/**
 * The group's members in the order of their normalised DN, each with that key; the placeholder is
 * left out (it is nobody's access).
 */
async function readMembers(
  client: Client,
  config: LdapConnectorConfig,
  groupDn: string,
): Promise<KeyedMember[]> {
  let entries: Entry[];
  try {
    ({ searchEntries: entries } = await client.search(groupDn, { scope: 'base', attributes: ['member'] }));
  } catch (error) {
    // A group the catalog names but the directory lacks is a catalog mistake, not an empty group.
    if (hasCode(error, RESULT.noSuchObject)) throw unknownGroup(config.resourceKey, groupDn, error);
    throw error;
  }
  const placeholder =
    config.placeholderMemberDn === undefined ? undefined : dnKey(config.placeholderMemberDn);
  return values(entries[0]?.member)
    .map((dn) => ({ dn, key: dnKey(dn) }))
    .filter((member) => member.key !== placeholder)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

type KeyedMember = { dn: string; key: string };

/**
 * Each member as the account reconciliation matches, keyed for the next page: a person's
 * `userAttribute` value, anything else its DN.
 */
async function resolveAccounts(
  client: Client,
  config: LdapConnectorConfig,
  members: KeyedMember[],
): Promise<KeyedHolding[]> {
  const base = dnKey(config.usersBaseDn);
  const holdings: KeyedHolding[] = [];
  for (let offset = 0; offset < members.length; offset += RESOLVE_CONCURRENCY) {
    const batch = members.slice(offset, offset + RESOLVE_CONCURRENCY);
    const accounts = await Promise.all(
      batch.map((member) =>
        member.key.endsWith(`,${base}`) ? accountAt(client, config, member.dn) : Promise.resolve(member.dn),
      ),
    );
    batch.forEach((member, index) => {
      holdings.push({ account: accounts[index] as string, key: [member.key] });
    });
  }
  return holdings;
}

async function accountAt(client: Client, config: LdapConnectorConfig, dn: string): Promise<string> {
  try {
    const { searchEntries } = await client.search(dn, { scope: 'base', attributes: [config.userAttribute] });
    const entry = searchEntries[0];
    // Attribute names come back as the server spells them: find ours case-insensitively.
    const name =
      entry && Object.keys(entry).find((k) => k.toLowerCase() === config.userAttribute.toLowerCase());
    const found =
      entry && name
        ? values(entry[name])
            .map((v) => v.toLowerCase())
            .sort()[0]
        : undefined;
    return found ?? dn;
  } catch (error) {
    // A member whose entry is gone is still a member: report it by its DN.
    if (hasCode(error, RESULT.noSuchObject)) return dn;
    throw error;
  }
}

function values(value: Entry[string] | undefined): string[] {
  if (value === undefined) return [];
  const all = Array.isArray(value) ? value : [value];
  return all.map((v) => (typeof v === 'string' ? v : v.toString('utf8')));
}

/**
 * A DN in a form for ordering and for telling whether it lies under a base: lower-cased, with the
 * spaces around `,`, `=` and `+` dropped. Good enough for that; grant, revoke and check leave DN
 * matching to the server.
 */
function dnKey(dn: string): string {
  const rdns: string[] = [];
  let current = '';
  for (let i = 0; i < dn.length; i += 1) {
    const char = dn[i] as string;
    if (char === '\\' && i + 1 < dn.length) {
      current += char + dn[i + 1];
      i += 1;
    } else if (char === ',') {
      rdns.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  rdns.push(current);
  return rdns
    .map((rdn) => rdn.trim().replace(/\s*([=+])\s*/g, '$1'))
    .join(',')
    .toLowerCase();
}
