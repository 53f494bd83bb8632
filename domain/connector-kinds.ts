/**
 * How a resource's access is granted: SQL roles (PostgreSQL, MariaDB), LDAP groups, SCIM 2.0 groups,
 * a signed webhook, or by hand.
 */
export const CONNECTOR_KINDS = ['postgres', 'mysql', 'ldap', 'scim', 'webhook', 'manual'] as const;
/** A connector kind. */
export type ConnectorKind = (typeof CONNECTOR_KINDS)[number];

/** `value` as a connector kind; anything unknown is handled by hand. */
export function connectorKindOf(value: string): ConnectorKind {
  return CONNECTOR_KINDS.find((kind) => kind === value) ?? 'manual';
}

// Kinds whose connector always implements `listAccess` and `accountOf`.
const ALWAYS_LISTABLE: readonly string[] = ['postgres', 'mysql', 'ldap', 'scim'];

/**
 * Whether a resource's connector can list what the target holds, so reconciliation can compare:
 * always for postgres, mysql, ldap and scim; for a webhook only when its receiver answers `list`
 * (`list: true`). Takes the connector block as the directory file has it (`kind` plus settings).
 */
export function canListAccess(connector: { kind: string; list?: unknown }): boolean {
  if (ALWAYS_LISTABLE.includes(connector.kind)) return true;
  return connector.kind === 'webhook' && connector.list === true;
}
