// The Temporal frontend, reached with the services' own settings, and the configured namespace.
import { Client, type Connection, isGrpcServiceError } from '@temporalio/client';
import type { Config } from '../../core/config.js';
import { connectTemporal } from '../../temporal/connection.js';
import { type CheckOutcome, failed, messageOf, passed } from '../check.js';
import type { TemporalLocation } from '../locate.js';

/** gRPC's NOT_FOUND status code. */
const NOT_FOUND = 5;
const CALL_TIMEOUT_MS = 10_000;

/** The outcome, and the open connection when the namespace is there to check further. */
export type TemporalProbe = { outcome: CheckOutcome; connection?: Connection; client?: Client };

/** Connects, asks the server who it is, and describes the namespace. */
export async function probeTemporal(location: TemporalLocation, config: Config): Promise<TemporalProbe> {
  if ('missing' in location) return { outcome: failed(location.missing, location.fix) };
  const namespace = config.TEMPORAL_NAMESPACE;
  let connection: Connection | undefined;
  let version: string;
  try {
    connection = await connectTemporal({ ...config, address: location.address });
    const open = connection;
    const info = await open.withDeadline(Date.now() + CALL_TIMEOUT_MS, () =>
      open.workflowService.getSystemInfo({}),
    );
    version = info.serverVersion || 'version not given';
  } catch (error) {
    await connection?.close();
    return {
      outcome: failed(
        `cannot reach Temporal at ${location.address} (from ${location.source}): ${messageOf(error)}`,
        'check TEMPORAL_ADDRESS (the frontend host:port), TEMPORAL_API_KEY or TEMPORAL_TLS_* for Temporal ' +
          'Cloud or an mTLS cluster, and that the port is open from this host',
      ),
    };
  }
  try {
    await connection.withDeadline(Date.now() + CALL_TIMEOUT_MS, () =>
      connection.workflowService.describeNamespace({ namespace }),
    );
  } catch (error) {
    await connection.close();
    if (isGrpcServiceError(error) && error.code === NOT_FOUND) {
      return {
        outcome: failed(
          `Temporal at ${location.address} has no namespace ${namespace}`,
          `create it (\`temporal operator namespace create --namespace ${namespace}\`; on Temporal Cloud, in ` +
            'the Cloud UI), or set TEMPORAL_NAMESPACE to the namespace the workers use',
        ),
      };
    }
    return {
      outcome: failed(
        `cannot describe namespace ${namespace}: ${messageOf(error)}`,
        'check that the credentials (TEMPORAL_API_KEY or the client certificate) may use this namespace',
      ),
    };
  }
  return {
    outcome: passed(`reached ${location.address} (Temporal ${version}); namespace ${namespace} exists`),
    connection,
    client: new Client({ connection, namespace }),
  };
}
