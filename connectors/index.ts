// The worker's door to target systems: one factory holding the shared state (database pools), and
// a Connector per resource built from its catalog config. Secrets and database URLs stay in the
// environment; the catalog names only the variables.
import type { DirectoryResource } from '../directory/file-schema.js';
import { type Connector, ConnectorError } from './connector.js';
import { createLdapConnector } from './ldap.js';
import { createManualConnector } from './manual.js';
import { createMysqlConnector, createMysqlPools } from './mysql.js';
import { createPostgresConnector, createPostgresPools } from './postgres.js';
import { createScimConnector } from './scim.js';
import { createWebhookConnector } from './webhook.js';

export * from './connector.js';
export { databaseUserFor } from './postgres.js';
export {
  signWebhookBody,
  verifyWebhookSignature,
  WEBHOOK_HEADERS,
  type WebhookListAnswer,
  type WebhookListPayload,
  type WebhookPayload,
} from './webhook.js';

/** A resource's `connector` block, as the directory file defines it (`kind` plus its settings). */
export type ConnectorConfig = DirectoryResource['connector'];

/** What `forResource` needs of a resource: its key and connector block. */
export type ConnectorResource = { key: string; connector: ConnectorConfig };

/** Tuning, mostly for tests. */
export type ConnectorsOptions = {
  /** Webhook call budget before a retryable timeout; default 10 000 ms. */
  webhookTimeoutMs?: number;
  /** PostgreSQL connect timeout; default 5 s. */
  postgresConnectTimeoutSeconds?: number;
  /** MariaDB connect timeout; default 5 000 ms. */
  mysqlConnectTimeoutMs?: number;
  /** LDAP connect and per-operation timeout; default 5 000 ms to connect, 15 000 ms per operation. */
  ldapTimeoutMs?: number;
  /** SCIM per-call budget before a retryable timeout; default 10 000 ms. */
  scimTimeoutMs?: number;
  /** Clock for webhook timestamps and Retry-After dates. */
  now?: () => Date;
};

/** Connectors for every resource, sharing pools; `close()` when the worker stops. */
export type Connectors = {
  forResource(resource: ConnectorResource): Connector;
  close(): Promise<void>;
};

/** Builds connectors reading URLs and secrets from `env` at call time (a missing one fails that call). */
export function createConnectors(
  env: NodeJS.ProcessEnv | Record<string, string | undefined>,
  options: ConnectorsOptions = {},
): Connectors {
  const pools = createPostgresPools({ connectTimeoutSeconds: options.postgresConnectTimeoutSeconds });
  const mysqlPools = createMysqlPools({ connectTimeoutMs: options.mysqlConnectTimeoutMs });
  return {
    forResource(resource) {
      // Resource rows carry the config as JSON: check it here so a bad row fails with its key, not a TypeError.
      const config = resource.connector as Partial<Record<string, unknown>> & { kind?: unknown };
      const setting = (name: string): string => {
        const value = config[name];
        if (typeof value === 'string' && value !== '') return value;
        throw new ConnectorError(
          'connector_misconfigured',
          `resource ${resource.key}: a ${String(config.kind)} connector needs "${name}"`,
          { details: { resource: resource.key, field: name } },
        );
      };
      switch (config.kind) {
        case 'postgres':
          return createPostgresConnector(
            { resourceKey: resource.key, databaseUrlEnv: setting('databaseUrlEnv') },
            { env, pools },
          );
        case 'mysql':
          return createMysqlConnector(
            {
              resourceKey: resource.key,
              databaseUrlEnv: setting('databaseUrlEnv'),
              ...(config.host === undefined ? {} : { host: setting('host') }),
            },
            { env, pools: mysqlPools },
          );
        case 'ldap':
          return createLdapConnector(
            {
              resourceKey: resource.key,
              urlEnv: setting('urlEnv'),
              bindDnEnv: setting('bindDnEnv'),
              bindPasswordEnv: setting('bindPasswordEnv'),
              usersBaseDn: setting('usersBaseDn'),
              userAttribute: setting('userAttribute'),
              ...(config.placeholderMemberDn === undefined
                ? {}
                : { placeholderMemberDn: setting('placeholderMemberDn') }),
            },
            { env, timeoutMs: options.ldapTimeoutMs },
          );
        case 'scim':
          return createScimConnector(
            {
              resourceKey: resource.key,
              tokenEnv: setting('tokenEnv'),
              // Either is enough; with both, the variable wins when it is set. With neither, "baseUrl" is named.
              ...(config.baseUrlEnv === undefined ? {} : { baseUrlEnv: setting('baseUrlEnv') }),
              ...(config.baseUrl === undefined && config.baseUrlEnv !== undefined
                ? {}
                : { baseUrl: setting('baseUrl') }),
            },
            { env, timeoutMs: options.scimTimeoutMs, now: options.now },
          );
        case 'webhook':
          return createWebhookConnector(
            {
              resourceKey: resource.key,
              url: setting('url'),
              secretEnv: setting('secretEnv'),
              ...(typeof config.urlEnv === 'string' ? { urlEnv: config.urlEnv } : {}),
              readBack: config.readBack === true,
              list: config.list === true,
            },
            { env, timeoutMs: options.webhookTimeoutMs, now: options.now },
          );
        case 'manual':
          return createManualConnector(resource.key);
        default:
          throw new ConnectorError(
            'connector_misconfigured',
            `resource ${resource.key}: unknown connector kind ${JSON.stringify(config.kind)}`,
            { details: { resource: resource.key, kind: config.kind } },
          );
      }
    },
    async close() {
      await Promise.all([pools.close(), mysqlPools.close()]);
    },
  };
}
