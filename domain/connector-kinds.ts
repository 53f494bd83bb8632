/** How a resource's access is granted: SQL roles, a signed webhook, or by hand. */
export const CONNECTOR_KINDS = ['postgres', 'webhook', 'manual'] as const;
/** A connector kind. */
export type ConnectorKind = (typeof CONNECTOR_KINDS)[number];

/** `value` as a connector kind; anything unknown is handled by hand. */
export function connectorKindOf(value: string): ConnectorKind {
  return CONNECTOR_KINDS.find((kind) => kind === value) ?? 'manual';
}
