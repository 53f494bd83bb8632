import { readFileSync } from 'node:fs';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../core/config.js';

/** The Temporal connection settings of DESIGN: standard TEMPORAL_* variables, or a local dev server. */
export type TemporalTarget = Pick<Config, 'TEMPORAL_NAMESPACE'> &
  Partial<
    Pick<
      Config,
      | 'TEMPORAL_API_KEY'
      | 'TEMPORAL_TLS'
      | 'TEMPORAL_TLS_CLIENT_CERT_PATH'
      | 'TEMPORAL_TLS_CLIENT_KEY_PATH'
      | 'TEMPORAL_TLS_SERVER_CA_CERT_PATH'
      | 'TEMPORAL_TLS_SERVER_NAME'
    >
  > & { address: string };

function tlsFor(target: TemporalTarget): TLSConfig | boolean | undefined {
  const wantsTls =
    target.TEMPORAL_TLS ||
    target.TEMPORAL_TLS_CLIENT_CERT_PATH !== undefined ||
    target.TEMPORAL_API_KEY !== undefined;
  if (!wantsTls) return undefined;
  return {
    serverNameOverride: target.TEMPORAL_TLS_SERVER_NAME,
    serverRootCACertificate: target.TEMPORAL_TLS_SERVER_CA_CERT_PATH
      ? readFileSync(target.TEMPORAL_TLS_SERVER_CA_CERT_PATH)
      : undefined,
    clientCertPair: target.TEMPORAL_TLS_CLIENT_CERT_PATH
      ? {
          crt: readFileSync(target.TEMPORAL_TLS_CLIENT_CERT_PATH),
          key: readFileSync(target.TEMPORAL_TLS_CLIENT_KEY_PATH ?? ''),
        }
      : undefined,
  };
}

/** A gRPC connection to the Temporal frontend (also gives the operator service). */
export function connectTemporal(target: TemporalTarget): Promise<Connection> {
  return Connection.connect({
    address: target.address,
    tls: tlsFor(target),
    apiKey: target.TEMPORAL_API_KEY,
    connectTimeout: '10s',
  });
}

/** A Temporal client for the API, the CLI and tests. */
export async function connectClient(target: TemporalTarget): Promise<Client> {
  return new Client({ connection: await connectTemporal(target), namespace: target.TEMPORAL_NAMESPACE });
}

/** The worker's native connection, with the same settings as the client. */
export function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  return NativeConnection.connect({
    address: target.address,
    tls: tlsFor(target),
    apiKey: target.TEMPORAL_API_KEY,
  });
}

/** The client the API and the use cases hold; only use cases and this folder call it. */
export type TemporalClient = Client;

/**
 * Asks the server for its system info within `timeoutMs`. A gRPC deadline rather than a race: the
 * call (and the SDK's retries) end by themselves, so nothing is left running against a dead server.
 */
export async function pingTemporal(client: Client, timeoutMs: number): Promise<void> {
  await client.connection.withDeadline(Date.now() + timeoutMs, () =>
    client.connection.workflowService.getSystemInfo({}),
  );
}
