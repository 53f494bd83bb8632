// Provisions by telling another system: a signed JSON POST per grant or revoke. The receiver does the
// work, so it must treat `Idempotency-Key` as the deduplication key: grantflow retries until it sees a
// 2xx, and an attempt whose answer was lost arrives again with the same key.
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  type Connector,
  ConnectorError,
  type ConnectorErrorCode,
  type ProvisionInput,
  type ProvisionResult,
} from './connector.js';

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
 * body (`sentAt` changes per attempt).
 */
export const WEBHOOK_HEADERS = {
  idempotencyKey: 'Idempotency-Key',
  timestamp: 'X-Grantflow-Timestamp',
  signature: 'X-Grantflow-Signature',
} as const;

/**
 * The JSON body of a webhook call. `check` (sent only to receivers configured with `readBack: true`)
 * asks whether the person holds the entitlement now; the receiver answers 2xx with
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
 * Where a webhook resource is: its URL (or a variable overriding it), the environment variable
 * holding its signing secret, and whether the receiver answers `check` calls.
 */
export type WebhookConnectorConfig = {
  resourceKey: string;
  url: string;
  urlEnv?: string;
  secretEnv: string;
  readBack?: boolean;
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

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, the value of `X-Grantflow-Signature`. */
export function signWebhookBody(
  secret: string,
  timestamp: number | string,
  body: string | Uint8Array,
): string {
  return `v1=${hmac(secret, String(timestamp), body).toString('hex')}`;
}

/** The connector for `kind: webhook`; it has a `check` only when the receiver supports `readBack`. */
export function createWebhookConnector(
  config: WebhookConnectorConfig,
  deps: WebhookConnectorDeps,
): Connector {
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const now = deps.now ?? (() => new Date());
  // Read per call, like the secret: the variable may be set after the worker started.
  const urlOf = () => (config.urlEnv && deps.env[config.urlEnv]) || config.url;
  // Query strings sometimes carry tokens: messages name the endpoint without them.
  const endpointOf = (url: string) =>
    URL.canParse(url) ? `${new URL(url).origin}${new URL(url).pathname}` : '(invalid URL)';

  const call = async (action: WebhookPayload['action'], input: ProvisionInput): Promise<Answer> => {
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
    const payload: WebhookPayload = {
      action,
      grantId: input.grantId,
      person: { email: input.person.email, name: input.person.name },
      resource: input.resourceKey,
      entitlement: input.entitlementKey,
      target: input.target,
      sentAt: sentAt.toISOString(),
    };
    const body = JSON.stringify(payload);

    let response: Response;
    let excerpt: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'grantflow-connector',
          [WEBHOOK_HEADERS.idempotencyKey]: `${input.grantId}:${action}`,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: signWebhookBody(secret, timestamp, body),
        },
        body,
        // A signed grant must reach the configured receiver or nobody: never follow it elsewhere.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      excerpt = await readExcerpt(response);
    } catch (error) {
      const reason =
        (error as { name?: unknown } | null)?.name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : describeNetworkError(error);
      throw new ConnectorError(
        'connector_unavailable',
        `resource ${config.resourceKey}: ${endpoint}: ${reason}`,
        {
          details: { resource: config.resourceKey, endpoint },
          cause: error,
        },
      );
    }

    const { status } = response;
    const answered = `${endpoint} answered ${status}${excerpt ? `: ${excerpt}` : ''}`;
    if (status >= 200 && status < 300) return { status, endpoint, excerpt };
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

  return {
    kind: 'webhook',
    grant: (input) => deliver('grant', input),
    revoke: (input) => deliver('revoke', input),
    ...(config.readBack ? { check } : {}),
  };
}

/** A 2xx answer: its status, the endpoint it came from, and the start of its body. */
type Answer = { status: number; endpoint: string; excerpt: string };

function parsePresent(body: string): boolean | undefined {
  try {
    const parsed = JSON.parse(body) as { present?: unknown } | null;
    return typeof parsed?.present === 'boolean' ? parsed.present : undefined;
  } catch {
    return undefined;
  }
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

// Enough of the answer to say why, without buffering whatever a misbehaving receiver sends.
async function readExcerpt(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < 4 * EXCERPT_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const text = Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim();
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

// fetch reports every network failure as "fetch failed"; the useful part is the cause.
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function parseRetryAfter(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
