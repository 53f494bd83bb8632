// Provisions by telling another system: a signed JSON POST per grant or revoke. The receiver does the
// work, so it must treat `Idempotency-Key` as the deduplication key: grantflow retries until it sees a
// 2xx, and an attempt whose answer was lost arrives again with the same key. A receiver that can tell
// may also answer `check` (read back one grant) and `list` (who holds what, for reconciliation).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  type AccessPage,
  type Connector,
  ConnectorError,
  type ConnectorErrorCode,
  type ListCursor,
  type ListedEntitlement,
  type ProvisionInput,
  type ProvisionResult,
} from './connector.js';
import { describeFetchFailure, endpointOf, excerptOf, parseRetryAfter, readBounded } from './http.js';

/**
 * The headers of a webhook call. The signature format, for receivers:
 *
 *   X-Grantflow-Timestamp: <unix seconds when this attempt was sent>
 *   X-Grantflow-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *
 * Verify over the raw request bytes (not re-serialised JSON) and refuse timestamps more than five
 * minutes from now; `verifyWebhookSignature` does both. The header may list several comma-separated
 * `v1=` values (room for secret rotation); one match is enough. Each retry is signed afresh, so a
 * retry hours later is not stale; deduplicate by `Idempotency-Key` (`<grantId>:<action>`), never by
 * body (`sentAt` changes per attempt). A `list` call changes nothing and carries no Idempotency-Key.
 */
export const WEBHOOK_HEADERS = {
  idempotencyKey: 'Idempotency-Key',
  timestamp: 'X-Grantflow-Timestamp',
  signature: 'X-Grantflow-Signature',
} as const;

/**
 * The JSON body of a webhook call about one grant. `check` (sent only to receivers configured with
 * `readBack: true`) asks whether the person holds the entitlement now; the receiver answers 2xx with
 * `{ "present": true }` or `{ "present": false }`.
 */
export type WebhookPayload = {
  action: 'grant' | 'revoke' | 'check';
  grantId: string;
  person: { email: string; name: string };
  resource: string;
  entitlement: string;
  target: Record<string, unknown>;
  /** ISO 8601 time this attempt was sent (the same instant as the timestamp header). */
  sentAt: string;
};

/**
 * The JSON body of a `list` call (sent only to receivers configured with `list: true`): one page of
 * who holds these entitlements, at most `limit` holdings, from `cursor` (absent for the first page).
 * The receiver answers 2xx with a `WebhookListAnswer`.
 */
export type WebhookListPayload = {
  action: 'list';
  resource: string;
  entitlements: { entitlementKey: string; target: Record<string, unknown> }[];
  /** The `nextCursor` of the previous answer, exactly as it came; absent for the first page. */
  cursor?: string;
  limit: number;
  /** ISO 8601 time this attempt was sent (the same instant as the timestamp header). */
  sentAt: string;
};

/**
 * A receiver's answer to `list`: the page's holdings (each an asked-for entitlement key and the
 * account holding it, usually the person's email) in a stable order, and `nextCursor` unless this is
 * the last page. The cursor is the receiver's own and opaque to grantflow.
 */
export type WebhookListAnswer = {
  holdings: { entitlementKey: string; account: string }[];
  nextCursor?: string;
};

/**
 * Where a webhook resource is: its URL (or a variable overriding it), the environment variable
 * holding its signing secret, and whether the receiver answers `check` and `list` calls.
 */
export type WebhookConnectorConfig = {
  resourceKey: string;
  url: string;
  urlEnv?: string;
  secretEnv: string;
  readBack?: boolean;
  list?: boolean;
};

/** Dependencies a webhook connector reads at call time. */
export type WebhookConnectorDeps = {
  env: Record<string, string | undefined>;
  /** Whole-call budget (connect, send, answer) before a retryable timeout; default 10 s. */
  timeoutMs?: number;
  now?: () => Date;
};

// Answers that will not change on retry: the receiver refuses this request as it is.
const REJECTED = new Set([400, 401, 403, 404, 410, 422]);
const EXCERPT_CHARS = 200;
// Enough of a grant's answer to say why, without buffering whatever a misbehaving receiver sends.
const ANSWER_BYTES = 4 * EXCERPT_CHARS;
// A page of a few thousand holdings with room to spare.
const LIST_ANSWER_BYTES = 8 * 1024 * 1024;

const listAnswerSchema = z.object({
  holdings: z.array(z.object({ entitlementKey: z.string().min(1), account: z.string().min(1) })),
  nextCursor: z.string().min(1).nullish(),
});

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, the value of `X-Grantflow-Signature`. */
export function signWebhookBody(
  secret: string,
  timestamp: number | string,
  body: string | Uint8Array,
): string {
  return `v1=${hmac(secret, String(timestamp), body).toString('hex')}`;
}

/**
 * The connector for `kind: webhook`; it has a `check` only when the receiver supports `readBack`,
 * and `listAccess` and `accountOf` only when it supports `list`.
 */
export function createWebhookConnector(
  config: WebhookConnectorConfig,
  deps: WebhookConnectorDeps,
): Connector {
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const now = deps.now ?? (() => new Date());
  // Read per call, like the secret: the variable may be set after the worker started.
  const urlOf = () => (config.urlEnv && deps.env[config.urlEnv]) || config.url;

  /** Signs and POSTs the body `build` makes for this attempt; a 2xx comes back, anything else is thrown. */
  const post = async (
    build: (sentAt: string) => WebhookPayload | WebhookListPayload,
    idempotencyKey: string | undefined,
    maxBytes = ANSWER_BYTES,
  ): Promise<Answer> => {
    const url = urlOf();
    const endpoint = endpointOf(url);
    const fail = (code: ConnectorErrorCode, message: string, extra = {}) =>
      new ConnectorError(code, `resource ${config.resourceKey}: ${message}`, {
        details: { resource: config.resourceKey, endpoint, ...extra },
      });
    const secret = deps.env[config.secretEnv];
    if (!secret) {
      throw fail(
        'connector_misconfigured',
        `environment variable ${config.secretEnv} (the webhook signing secret) is not set`,
        { variable: config.secretEnv },
      );
    }
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      throw fail('connector_misconfigured', 'the webhook url is not an http:// or https:// URL');
    }
    const sentAt = now();
    const timestamp = Math.floor(sentAt.getTime() / 1000);
    const body = JSON.stringify(build(sentAt.toISOString()));

    let response: Response;
    let text: string;
    let truncated: boolean;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'grantflow-connector',
          ...(idempotencyKey ? { [WEBHOOK_HEADERS.idempotencyKey]: idempotencyKey } : {}),
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: signWebhookBody(secret, timestamp, body),
        },
        body,
        // A signed grant must reach the configured receiver or nobody: never follow it elsewhere.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      ({ text, truncated } = await readBounded(response, maxBytes));
    } catch (error) {
      throw new ConnectorError(
        'connector_unavailable',
        `resource ${config.resourceKey}: ${endpoint}: ${describeFetchFailure(error, timeoutMs)}`,
        {
          details: { resource: config.resourceKey, endpoint },
          cause: error,
        },
      );
    }

    const { status } = response;
    const excerpt = excerptOf(text, EXCERPT_CHARS);
    const answered = `${endpoint} answered ${status}${excerpt ? `: ${excerpt}` : ''}`;
    if (status >= 200 && status < 300) return { status, endpoint, excerpt, text, truncated };
    if (status >= 300 && status < 400) {
      throw fail(
        'connector_misconfigured',
        `${endpoint} redirects to ${response.headers.get('location') ?? '(no location)'}; configure the final URL`,
        { status },
      );
    }
    if (REJECTED.has(status)) throw fail('connector_rejected', answered, { status, body: excerpt });
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), sentAt);
    throw new ConnectorError('connector_unavailable', `resource ${config.resourceKey}: ${answered}`, {
      details: { resource: config.resourceKey, endpoint, status, body: excerpt },
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  };

  const call = (action: WebhookPayload['action'], input: ProvisionInput): Promise<Answer> =>
    post(
      (sentAt) => ({
        action,
        grantId: input.grantId,
        person: { email: input.person.email, name: input.person.name },
        resource: input.resourceKey,
        entitlement: input.entitlementKey,
        target: input.target,
        sentAt,
      }),
      `${input.grantId}:${action}`,
    );

  const deliver = async (action: 'grant' | 'revoke', input: ProvisionInput): Promise<ProvisionResult> => {
    const { status, endpoint } = await call(action, input);
    return { outcome: 'done', detail: `${action} sent: ${endpoint} answered ${status}` };
  };

  const check = async (input: ProvisionInput): Promise<'present' | 'absent'> => {
    const { endpoint, excerpt } = await call('check', input);
    const present = parsePresent(excerpt);
    if (present === undefined) {
      throw new ConnectorError(
        'connector_rejected',
        `resource ${config.resourceKey}: ${endpoint} answered a check without {"present": true|false}`,
        { details: { resource: config.resourceKey, endpoint, body: excerpt } },
      );
    }
    return present ? 'present' : 'absent';
  };

  const listAccess = async (
    entitlements: ListedEntitlement[],
    page: { cursor?: ListCursor; limit: number },
  ): Promise<AccessPage> => {
    if (!Number.isSafeInteger(page.limit) || page.limit < 1) {
      throw new ConnectorError(
        'connector_rejected',
        `listAccess limit must be a positive integer, got ${page.limit}`,
        { details: { resource: config.resourceKey, limit: page.limit } },
      );
    }
    const answer = await post(
      (sentAt) => ({
        action: 'list',
        resource: config.resourceKey,
        entitlements: entitlements.map((e) => ({ entitlementKey: e.entitlementKey, target: e.target })),
        ...(page.cursor === undefined ? {} : { cursor: page.cursor }),
        limit: page.limit,
        sentAt,
      }),
      undefined,
      LIST_ANSWER_BYTES,
    );
    return readListAnswer(config.resourceKey, answer, entitlements, page);
  };

  return {
    kind: 'webhook',
    grant: (input) => deliver('grant', input),
    revoke: (input) => deliver('revoke', input),
    ...(config.readBack ? { check } : {}),
    // Emails are matched whatever their case, as the ldap and scim connectors do.
    ...(config.list ? { listAccess, accountOf: (person) => person.email.toLowerCase() } : {}),
  };
}

/** A 2xx answer: its status, the endpoint it came from, its body and the start of it for messages. */
type Answer = { status: number; endpoint: string; excerpt: string; text: string; truncated: boolean };

function parsePresent(body: string): boolean | undefined {
  try {
    const parsed = JSON.parse(body) as { present?: unknown } | null;
    return typeof parsed?.present === 'boolean' ? parsed.present : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A receiver's list answer as a page, refused (`connector_rejected`) unless it is a
 * `WebhookListAnswer` about the asked-for entitlements, no longer than `limit`, and moving on
 * (a `nextCursor` equal to the cursor sent would list the same page forever).
 */
function readListAnswer(
  resourceKey: string,
  answer: Answer,
  entitlements: ListedEntitlement[],
  page: { cursor?: ListCursor; limit: number },
): AccessPage {
  const refuse = (why: string) =>
    new ConnectorError(
      'connector_rejected',
      `resource ${resourceKey}: ${answer.endpoint} answered a list call with ${why}; expected {"holdings": [{"entitlementKey", "account"}], "nextCursor"?}`,
      { details: { resource: resourceKey, endpoint: answer.endpoint, body: answer.excerpt } },
    );
  if (answer.truncated) throw refuse(`more than ${LIST_ANSWER_BYTES} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    throw refuse('a body that is not JSON');
  }
  const parsed = listAnswerSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw refuse(`a malformed body (${issue?.path.join('.') || 'body'}: ${issue?.message})`);
  }
  const { holdings, nextCursor } = parsed.data;
  const asked = new Set(entitlements.map((e) => e.entitlementKey));
  const stranger = holdings.find((h) => !asked.has(h.entitlementKey));
  if (stranger) throw refuse(`entitlement "${stranger.entitlementKey}", which it was not asked about`);
  if (holdings.length > page.limit)
    throw refuse(`${holdings.length} holdings, more than the limit of ${page.limit}`);
  if (nextCursor && nextCursor === page.cursor) throw refuse('the cursor it was given as nextCursor');
  return {
    holdings: holdings.map((h) => ({ entitlementKey: h.entitlementKey, account: h.account.toLowerCase() })),
    ...(nextCursor ? { nextCursor } : {}),
  };
}

/** What a receiver passes to `verifyWebhookSignature`: the secret and the request as received. */
export type WebhookVerifyInput = {
  secret: string;
  /** The `X-Grantflow-Timestamp` header. */
  timestamp: string | number | undefined;
  /** The raw request body, exactly as received. */
  body: string | Uint8Array;
  /** The `X-Grantflow-Signature` header. */
  signature: string | undefined;
  /** How far the timestamp may be from `now`, either way; default 300 s. */
  toleranceSeconds?: number;
  now?: Date;
};

/** Whether a webhook call is authentic and fresh, and if not, why. */
export type WebhookVerifyResult =
  | { valid: true }
  | { valid: false; reason: 'malformed' | 'stale' | 'mismatch' };

/** Checks a received call's signature (timing-safe) and refuses stale or future timestamps. */
export function verifyWebhookSignature(input: WebhookVerifyInput): WebhookVerifyResult {
  const { secret, body, signature, toleranceSeconds = 300, now = new Date() } = input;
  const timestamp = String(input.timestamp ?? '');
  if (!/^\d{1,12}$/.test(timestamp) || !signature) return { valid: false, reason: 'malformed' };
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) {
    return { valid: false, reason: 'stale' };
  }
  const candidates = signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => part.slice(3))
    .filter((hex) => /^[0-9a-f]{64}$/i.test(hex));
  if (candidates.length === 0) return { valid: false, reason: 'malformed' };
  const expected = hmac(secret, timestamp, body);
  const matches = candidates.some((hex) => timingSafeEqual(Buffer.from(hex, 'hex'), expected));
  return matches ? { valid: true } : { valid: false, reason: 'mismatch' };
}

function hmac(secret: string, timestamp: string, body: string | Uint8Array): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}
