// How the scim connector reads a SCIM service provider's failures (RFC 7644 §3.12: an HTTP status
// with an error body of `scimType` and `detail`) and the network's, mapped to the connector error
// codes whose retryability the activity layer relies on.
import { ConnectorError, type ConnectorErrorCode } from './connector.js';
import { describeFetchFailure, excerptOf, fetchFailureCode, parseRetryAfter } from './http.js';

/** What each call knows when it classifies a failure. */
export type ScimContext = {
  resourceKey: string;
  /** The variable holding the bearer token, named when the server refuses it. */
  tokenEnv: string;
  /** The URL called, without its query string. */
  endpoint: string;
  /** What the URL names: one group, one user, or a collection (`/Users`, `/Groups`). */
  subject: 'group' | 'user' | 'collection';
  /** The group as messages name it (`group "Engineering"`, `group <id>`), when there is one. */
  group?: string;
  email?: string;
};

/** A non-2xx answer: its status, the start of its body and its Retry-After header. */
export type ScimErrorAnswer = {
  status: number;
  text: string;
  retryAfter: string | null;
  location: string | null;
};

/** The `scimType` and `detail` of a SCIM error body, when the body is one. */
export function scimErrorOf(text: string): { scimType?: string; detail?: string } {
  try {
    const body = JSON.parse(text) as { scimType?: unknown; detail?: unknown } | null;
    return {
      ...(typeof body?.scimType === 'string' ? { scimType: body.scimType } : {}),
      ...(typeof body?.detail === 'string' ? { detail: body.detail } : {}),
    };
  } catch {
    return {};
  }
}

const EXCERPT_CHARS = 200;

/**
 * Maps a non-2xx answer to a ConnectorError: 401 and 403 → `connector_permission_denied`; 404 on a
 * group → `connector_unknown_role` (`which: target`), on a user → `connector_unknown_role`
 * (`which: member`), on a collection → `connector_misconfigured` (no SCIM service there); a redirect
 * → `connector_misconfigured`; 408, 429 and 5xx except 501 → retryable `connector_unavailable` with
 * the server's Retry-After; 501 and every other 4xx → `connector_rejected`.
 */
export function classifyScimAnswer(answer: ScimErrorAnswer, context: ScimContext, now: Date): ConnectorError {
  const { resourceKey, endpoint } = context;
  const { scimType, detail } = scimErrorOf(answer.text);
  const reason = detail ?? excerptOf(answer.text, EXCERPT_CHARS);
  const answered = `${endpoint} answered ${answer.status}${scimType ? ` (${scimType})` : ''}${reason ? `: ${reason}` : ''}`;
  const details = {
    resource: resourceKey,
    endpoint,
    status: answer.status,
    ...(scimType ? { scimType } : {}),
    ...(context.group ? { group: context.group } : {}),
    ...(context.email ? { email: context.email } : {}),
  };
  const error = (code: ConnectorErrorCode, message: string, extra = {}) =>
    new ConnectorError(code, `resource ${resourceKey}: ${message}`, { details: { ...details, ...extra } });
  const { status } = answer;

  if (status === 401) {
    return error(
      'connector_permission_denied',
      `the SCIM server refused the connector's bearer token (environment variable ${context.tokenEnv}): ${answered}`,
    );
  }
  if (status === 403) {
    return error(
      'connector_permission_denied',
      `the connector's token may not do this: ${answered}; give its SCIM client the right to read users and manage group members`,
    );
  }
  if (status === 404 && context.subject === 'group') {
    return error(
      'connector_unknown_role',
      `${context.group ?? `the group at ${endpoint}`} does not exist at the SCIM server`,
      { which: 'target' },
    );
  }
  if (status === 404 && context.subject === 'user') {
    return error(
      'connector_unknown_role',
      `the user of ${context.email ?? endpoint} does not exist at the SCIM server`,
      { which: 'member' },
    );
  }
  if (status === 404) {
    return error(
      'connector_misconfigured',
      `no SCIM service at ${endpoint} (${answer.status}); check the base URL`,
    );
  }
  if (status >= 300 && status < 400) {
    return error(
      'connector_misconfigured',
      `${endpoint} redirects to ${answer.location ?? '(no location)'}; configure the final base URL`,
    );
  }
  if (status === 408 || status === 429 || (status >= 500 && status !== 501)) {
    const retryAfterMs = parseRetryAfter(answer.retryAfter, now);
    return new ConnectorError('connector_unavailable', `resource ${resourceKey}: ${answered}`, {
      details,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  return error('connector_rejected', answered);
}

// A certificate the worker does not trust is a setup problem, not an outage.
const TLS_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;

/** A request that got no answer: an untrusted certificate is misconfigured, anything else unavailable. */
export function classifyScimFetchFailure(
  error: unknown,
  context: ScimContext,
  timeoutMs: number,
): ConnectorError {
  const { resourceKey, endpoint } = context;
  const reason = describeFetchFailure(error, timeoutMs);
  const code = fetchFailureCode(error);
  const details = { resource: resourceKey, endpoint, ...(code ? { reason: code } : {}) };
  if (code && TLS_ERROR.test(code)) {
    return new ConnectorError(
      'connector_misconfigured',
      `resource ${resourceKey}: TLS to ${endpoint} failed: ${reason}`,
      { details, cause: error },
    );
  }
  return new ConnectorError('connector_unavailable', `resource ${resourceKey}: ${endpoint}: ${reason}`, {
    details,
    cause: error,
  });
}
