/** How a resource's access is granted: SQL roles (PostgreSQL, MariaDB), LDAP groups, a signed webhook, or by hand. */
export const CONNECTOR_KINDS = ['postgres', 'mysql', 'ldap', 'webhook', 'manual'] as const;
/** A connector kind. */
export type ConnectorKind = (typeof CONNECTOR_KINDS)[number];

/** `value` as a connector kind; anything unknown is handled by hand. */
export function connectorKindOf(value: string): ConnectorKind {
  return CONNECTOR_KINDS.find((kind) => kind === value) ?? 'manual';
}

/**
 * Kinds whose connector can list what the target holds, so reconciliation can compare. A kind
 * joins this list when its connector implements `listAccess` and `accountOf`.
 */
export const LISTABLE_CONNECTOR_KINDS: readonly ConnectorKind[] = ['postgres', 'mysql', 'ldap'];
