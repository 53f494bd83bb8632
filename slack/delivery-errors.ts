// Slack's errors in the notification port's words: what retrying cannot fix (a bad channel, a
// revoked token) is DeliveryRefused; a rate limit is DeliveryDeferred with Slack's Retry-After;
// everything else (refused connections, timeouts, 5xx, Slack's own "try later" errors) is a
// plain "try again later", which is how an outage looks from here.
import { ErrorCode } from '@slack/web-api';
import { DeliveryDeferred, DeliveryRefused } from '../notifications/port.js';

/** Slack errors (ok: false) that mean "Slack is struggling", not "this message is wrong". */
const TRANSIENT_PLATFORM_ERRORS = new Set([
  'ratelimited',
  'service_unavailable',
  'fatal_error',
  'internal_error',
  'request_timeout',
]);

type SlackishError = {
  code?: string;
  data?: { error?: string };
  retryAfter?: number;
  statusCode?: number;
  message?: string;
};

/** True when the error is Slack refusing this call for good (ok: false with a non-transient error). */
export function isSlackRefusal(error: unknown): boolean {
  const e = error as SlackishError;
  return e?.code === ErrorCode.PlatformError && !TRANSIENT_PLATFORM_ERRORS.has(e.data?.error ?? '');
}

/** The port's error for a failed Slack call. */
export function asDeliveryError(error: unknown): Error {
  if (error instanceof DeliveryRefused || error instanceof DeliveryDeferred) return error;
  const e = error as SlackishError;
  if (isSlackRefusal(error)) return new DeliveryRefused(`Slack refused: ${e.data?.error}`, { cause: error });
  if (e?.code === ErrorCode.RateLimitedError) {
    return new DeliveryDeferred(
      `Slack rate limit, retry after ${e.retryAfter ?? '?'} s`,
      (e.retryAfter ?? 1) * 1000,
      {
        cause: error,
      },
    );
  }
  if (e?.code === ErrorCode.HTTPError) {
    return new DeliveryDeferred(`Slack answered HTTP ${e.statusCode}`, undefined, { cause: error });
  }
  return new DeliveryDeferred(`Slack unreachable: ${e?.message ?? String(error)}`, undefined, {
    cause: error,
  });
}
