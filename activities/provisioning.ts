import { ApplicationFailure } from '@temporalio/activity';
import {
  ConnectorError,
  type ConnectorResource,
  type Connectors,
  type ProvisionInput,
  type ProvisionResult,
} from '../connectors/index.js';
import type { Database } from '../db/client.js';
import { getEntitlement } from '../db/queries/entitlements.js';
import type { PersonRef } from '../workflows/messages.js';

/** What the provisioning activities need. */
export type ProvisioningActivityDeps = { db: Database; connectors: Connectors };

/** One grant at one target: who, which entitlement, under which business key. */
export type ProvisionRequest = {
  grantId: string;
  holder: PersonRef;
  resourceKey: string;
  entitlementKey: string;
};

// Temporal retries what is retryable with the workflow's backoff; a permanent failure (unknown
// role, permission denied) stops at once, with the connector's code as the failure type.
function asFailure(error: unknown): unknown {
  if (!(error instanceof ConnectorError)) return error;
  return ApplicationFailure.create({
    message: error.message,
    type: error.code,
    nonRetryable: !error.retryable,
    details: [error.details ?? {}],
    ...(error.retryAfterMs !== undefined ? { nextRetryDelay: error.retryAfterMs } : {}),
  });
}

/** Provisioning through connectors; each call is idempotent by the grant id. */
export function createProvisioningActivities(deps: ProvisioningActivityDeps) {
  async function resolve(request: ProvisionRequest) {
    const found = await getEntitlement(deps.db, request.resourceKey, request.entitlementKey);
    if (!found) {
      throw ApplicationFailure.nonRetryable(
        `no entitlement ${request.resourceKey}/${request.entitlementKey} in the catalog`,
        'unknown_entitlement',
      );
    }
    const resource: ConnectorResource = {
      key: found.resource.key,
      connector: {
        kind: found.resource.connectorKind,
        ...(found.resource.connectorConfig as object),
      } as never,
    };
    const input: ProvisionInput = {
      grantId: request.grantId,
      person: request.holder,
      resourceKey: request.resourceKey,
      entitlementKey: request.entitlementKey,
      target: found.entitlement.connectorTarget as Record<string, unknown>,
    };
    return { connector: deps.connectors.forResource(resource), input };
  }

  return {
    /** Grants the entitlement at the target system. */
    async provisionAccess(request: ProvisionRequest): Promise<ProvisionResult> {
      try {
        const { connector, input } = await resolve(request);
        return await connector.grant(input);
      } catch (error) {
        throw asFailure(error);
      }
    },

    /** Removes the entitlement at the target system. */
    async removeAccess(request: ProvisionRequest): Promise<ProvisionResult> {
      try {
        const { connector, input } = await resolve(request);
        return await connector.revoke(input);
      } catch (error) {
        throw asFailure(error);
      }
    },

    /** Reads the target back: `unknown` where the connector cannot tell (webhook, manual). */
    async checkAccess(request: ProvisionRequest): Promise<'present' | 'absent' | 'unknown'> {
      try {
        const { connector, input } = await resolve(request);
        return connector.check ? await connector.check(input) : 'unknown';
      } catch (error) {
        throw asFailure(error);
      }
    },
  };
}
