// What every activity that calls a connector shares: the connector of a catalog row, and how a
// connector's failure becomes Temporal's. Temporal retries what is retryable with the workflow's
// backoff; a permanent failure (unknown role, permission denied) stops at once, with the
// connector's code as the failure type.
import { ApplicationFailure } from '@temporalio/common';
import { type Connector, ConnectorError } from '../connectors/connector.js';
import type { Connectors } from '../connectors/index.js';
import type { Resource } from '../db/schema.js';

/** The connector of a resource as the catalog stores it (kind and settings in two columns). */
export function connectorOf(
  connectors: Connectors,
  resource: Pick<Resource, 'key' | 'connectorKind' | 'connectorConfig'>,
): Connector {
  return connectors.forResource({
    key: resource.key,
    // The import validated the settings against the kind's schema before storing them.
    connector: { kind: resource.connectorKind, ...(resource.connectorConfig as object) } as never,
  });
}

/** A connector's failure as Temporal should retry it (or not); other errors pass unchanged. */
export function asFailure(error: unknown): unknown {
  if (!(error instanceof ConnectorError)) return error;
  return ApplicationFailure.create({
    message: error.message,
    type: error.code,
    nonRetryable: !error.retryable,
    details: [error.details ?? {}],
    ...(error.retryAfterMs !== undefined ? { nextRetryDelay: error.retryAfterMs } : {}),
  });
}
