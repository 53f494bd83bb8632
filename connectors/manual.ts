// A manual resource is provisioned by a person (its owner confirms "granted, done" in Slack), and the
// workflow drives that task itself. It still gets a Connector, so `forResource` has one return type
// and `kind` is the one place to branch; calling it is a routing bug, refused permanently rather than
// retried or, worse, reported as done.
import { type Connector, ConnectorError, type ProvisionInput } from './connector.js';

/** The connector for `kind: manual`: it refuses to act, naming the resource. */
export function createManualConnector(resourceKey: string): Connector {
  const refuse = async (action: 'grant' | 'revoke', input: ProvisionInput): Promise<never> => {
    throw new ConnectorError(
      'connector_manual',
      `resource ${resourceKey} is provisioned by hand: ${action} of ${input.entitlementKey} for ${input.person.email} is a fulfilment task for its owner, not a connector call`,
      {
        details: { resource: resourceKey, entitlement: input.entitlementKey, action, grantId: input.grantId },
      },
    );
  };
  return {
    kind: 'manual',
    grant: (input) => refuse('grant', input),
    revoke: (input) => refuse('revoke', input),
  };
}
