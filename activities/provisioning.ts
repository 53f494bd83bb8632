import { ApplicationFailure } from '@temporalio/activity';
import type { Connectors, ProvisionInput, ProvisionResult } from '../connectors/index.js';
import type { Database } from '../db/client.js';
import { getEntitlement } from '../db/queries/entitlements.js';
import type { PersonRef } from '../workflows/messages.js';
import { asFailure, connectorOf } from './connector-calls.js';

/** What the provisioning activities need. */
export type ProvisioningActivityDeps = { db: Database; connectors: Connectors };

/** One grant at one target: who, which entitlement, under which business key. */
export type ProvisionRequest = {
  grantId: string;
  holder: PersonRef;
  resourceKey: string;
  entitlementKey: string;
};

/** What reading the target back showed: `unknown` where the connector cannot tell (webhook, manual). */
export type AccessSeen = 'present' | 'absent' | 'unknown';

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
    const input: ProvisionInput = {
      grantId: request.grantId,
      person: request.holder,
      resourceKey: request.resourceKey,
      entitlementKey: request.entitlementKey,
      target: found.entitlement.connectorTarget as Record<string, unknown>,
    };
    return { connector: connectorOf(deps.connectors, found.resource), input };
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

    /**
     * Grants the entitlement and reads the target back, in one activity. `seen` is missing when the
     * read-back failed: the grant stands, and the workflow reads back on its own (`checkAccess`,
     * retried), so a flaky read never counts as a failed provisioning.
     */
    async provisionAndCheckAccess(
      request: ProvisionRequest,
    ): Promise<ProvisionResult & { seen?: AccessSeen }> {
      let resolved: Awaited<ReturnType<typeof resolve>>;
      let result: ProvisionResult;
      try {
        resolved = await resolve(request);
        result = await resolved.connector.grant(resolved.input);
      } catch (error) {
        throw asFailure(error);
      }
      const { connector, input } = resolved;
      if (!connector.check) return { ...result, seen: 'unknown' };
      try {
        return { ...result, seen: await connector.check(input) };
      } catch {
        return result;
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
    async checkAccess(request: ProvisionRequest): Promise<AccessSeen> {
      try {
        const { connector, input } = await resolve(request);
        return connector.check ? await connector.check(input) : 'unknown';
      } catch (error) {
        throw asFailure(error);
      }
    },
  };
}
