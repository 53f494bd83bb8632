// How the ldap connector reads the directory's failures: LDAP result codes (RFC 4511) and socket
// errors mapped to the connector error codes, whose retryability the activity layer relies on.
import { ResultCodeError } from 'ldapts';
import { ConnectorError, SOCKET_ERROR_CODES } from './connector.js';

// LDAP result codes the connector tells apart (RFC 4511 §4.1.9).
export const RESULT = {
  timeLimitExceeded: 3,
  strongerAuthRequired: 8,
  confidentialityRequired: 13,
  noSuchAttribute: 16,
  undefinedAttributeType: 17,
  inappropriateMatching: 18,
  attributeOrValueExists: 20,
  noSuchObject: 32,
  invalidDNSyntax: 34,
  inappropriateAuthentication: 48,
  invalidCredentials: 49,
  insufficientAccessRights: 50,
  busy: 51,
  unavailable: 52,
  objectClassViolation: 65,
} as const;

/** What each operation knows when it classifies a failure. */
export type Context = { resourceKey: string; groupDn?: string; email?: string };

export function unknownGroup(resourceKey: string, groupDn: string, cause?: unknown): ConnectorError {
  return new ConnectorError(
    'connector_unknown_role',
    `resource ${resourceKey}: group "${groupDn}" does not exist in the directory`,
    { details: { resource: resourceKey, which: 'target', groupDn }, cause },
  );
}

// Node socket errors: the server is unreachable for now.
const CONNECTION_ERRORS = new Set<string>(SOCKET_ERROR_CODES);
// ldapts reports its own timeouts and dropped connections as plain Errors with these messages.
const LDAPTS_CONNECTION_MESSAGES =
  /^(Connection timeout|.*Operation timed out|Socket error|Connection closed before message response|Socket connection not established)/;
// A certificate the worker does not trust is a setup problem, not an outage.
const TLS_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;

/**
 * Maps a failure from the directory to a ConnectorError: invalidCredentials, insufficientAccess and
 * inappropriateAuthentication → `connector_permission_denied`; noSuchObject → `connector_unknown_role`
 * (the group); busy, unavailable, timeLimitExceeded, refused or dropped connections and timeouts →
 * retryable `connector_unavailable`; a bad DN, unknown attribute, TLS or stronger-auth demand →
 * `connector_misconfigured`; other result codes → `connector_rejected`; anything else → retryable
 * `connector_failed`.
 */
export function classifyLdapError(error: unknown, context: Context): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const { resourceKey } = context;
  const details = {
    resource: resourceKey,
    ...(context.groupDn ? { groupDn: context.groupDn } : {}),
    ...(context.email ? { email: context.email } : {}),
  };
  const message = error instanceof Error ? error.message : String(error);

  if (error instanceof ResultCodeError) {
    const reason = `${message} (LDAP result ${error.code})`;
    const withCode = { ...details, resultCode: error.code };
    switch (error.code) {
      case RESULT.invalidCredentials:
      case RESULT.inappropriateAuthentication:
        return new ConnectorError(
          'connector_permission_denied',
          `resource ${resourceKey}: the directory refused the connector's bind DN and password: ${reason}`,
          { details: withCode, cause: error },
        );
      case RESULT.insufficientAccessRights:
        return new ConnectorError(
          'connector_permission_denied',
          `resource ${resourceKey}: the connector's account may not change${context.groupDn ? ` ${context.groupDn}` : ' these groups'}: ${reason}; give it write access to the groups' member attribute`,
          { details: withCode, cause: error },
        );
      case RESULT.noSuchObject:
        return context.groupDn
          ? unknownGroup(resourceKey, context.groupDn, error)
          : new ConnectorError('connector_unknown_role', `resource ${resourceKey}: ${reason}`, {
              details: withCode,
              cause: error,
            });
      case RESULT.busy:
      case RESULT.unavailable:
      case RESULT.timeLimitExceeded:
        return new ConnectorError('connector_unavailable', `resource ${resourceKey}: ${reason}`, {
          details: withCode,
          cause: error,
        });
      case RESULT.invalidDNSyntax:
      case RESULT.undefinedAttributeType:
      case RESULT.inappropriateMatching:
      case RESULT.strongerAuthRequired:
      case RESULT.confidentialityRequired:
        return new ConnectorError('connector_misconfigured', `resource ${resourceKey}: ${reason}`, {
          details: withCode,
          cause: error,
        });
      default:
        return new ConnectorError('connector_rejected', `resource ${resourceKey}: ${reason}`, {
          details: withCode,
          cause: error,
        });
    }
  }

  const code = (error as { code?: unknown } | null)?.code;
  if ((typeof code === 'string' && CONNECTION_ERRORS.has(code)) || LDAPTS_CONNECTION_MESSAGES.test(message)) {
    return new ConnectorError(
      'connector_unavailable',
      `resource ${resourceKey}: directory unreachable: ${message}`,
      {
        details: { ...details, ...(typeof code === 'string' ? { reason: code } : {}) },
        cause: error,
      },
    );
  }
  if ((typeof code === 'string' && TLS_ERROR.test(code)) || /certificate/i.test(message)) {
    return new ConnectorError(
      'connector_misconfigured',
      `resource ${resourceKey}: TLS to the directory failed: ${message}`,
      { details: { ...details, ...(typeof code === 'string' ? { reason: code } : {}) }, cause: error },
    );
  }
  return new ConnectorError('connector_failed', `resource ${resourceKey}: ${message}`, {
    details,
    cause: error,
  });
}
