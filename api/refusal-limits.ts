// Floods of refused requests: per source, a limit on *refusals* (a forged Slack signature, a bad
// or missing API token) past which the answer is 429 with Retry-After, and the ledger records of
// those refusals, aggregated (audit/refusal-aggregator.ts).
//
// Only refusals count. A request with a good signature or a good token never touches the
// limiter, so it is answered whatever else comes from its address. That is the point: behind a
// company proxy or NAT (or a load balancer grantflow does not trust for X-Forwarded-For) every
// caller shares one address, and a limit on all requests would let one misbehaving script, or an
// attacker on the same network, lock everyone out. An attacker's flood is almost all refusals; a
// busy legitimate proxy sends almost none. Refusing a refused request faster saves little (the
// signature check is one HMAC, the token check one indexed lookup), so what the limit buys is a
// cheap, explicit answer that tells scripts to back off, and logs and ledger that stay readable.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { appendToIntake } from '../audit/intake.js';
import { createRefusalAggregator, type Refusal } from '../audit/refusal-aggregator.js';
import { GrantflowError } from '../core/errors.js';
import type { Database } from '../db/client.js';
import type { ApiServer } from './api-server.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Counts and records refused requests per source; see api/refusal-limits.ts. */
    refusals: RefusalGuard;
  }
}

/** The refusal limits (GRANTFLOW_REFUSALS_PER_MINUTE, GRANTFLOW_REFUSAL_WINDOW_SECONDS). */
export type RefusalLimits = { perMinute: number; windowSeconds: number };

/** The production defaults, also what a server built without configuration (the document server) uses. */
export const DEFAULT_REFUSAL_LIMITS: RefusalLimits = { perMinute: 60, windowSeconds: 60 };

/** Which door refused: each has its own count per source, so a Slack flood does not lock out API callers. */
export type RefusalDoor = 'slack' | 'api';

/** What `refuse` is told about one refused request. */
export type RefusedRequest = {
  door: RefusalDoor;
  /** Recorded (aggregated) when given: refusals worth a ledger record, such as a presented bad token. */
  record?: Refusal;
};

/** The API process's refusal guard. */
export type RefusalGuard = {
  /**
   * Counts a refused request against its source and records it when asked. Returns the 429 to
   * answer instead of the refusal when the source is past its limit (Retry-After is set on `reply`).
   */
  refuse(
    request: FastifyRequest,
    reply: FastifyReply,
    refused: RefusedRequest,
  ): Promise<GrantflowError | undefined>;
};

/** 429: too many refused requests from this source in the last minute. */
class TooManyRefusalsError extends GrantflowError {
  constructor(retryAfterSeconds: number, limit: number) {
    super(
      'rate_limited',
      `Too many refused requests from this address (more than ${limit} a minute); try again in ${retryAfterSeconds} s.`,
      { status: 429, details: { limit, retryAfterSeconds } },
    );
  }
}

/**
 * Decorates `app` with its refusal guard. Call after @fastify/rate-limit is registered. The
 * aggregator's open windows are written when the server closes (before the database is closed).
 */
export function registerRefusalGuard(app: ApiServer, db: Database, limits: RefusalLimits): void {
  const aggregator = createRefusalAggregator({
    write: (writes) => appendToIntake(db, writes),
    windowSeconds: limits.windowSeconds,
    onError: (error) => app.log.error({ err: error }, 'refusal summary not written yet; it is retried'),
  });
  app.addHook('onClose', async () => aggregator.close());
  const limiterOf = () => app.createRateLimit({ max: limits.perMinute, timeWindow: 60_000 });
  const limiters = { slack: limiterOf(), api: limiterOf() };
  app.decorate('refusals', {
    async refuse(request, reply, refused) {
      const state = await limiters[refused.door](request);
      // Counted even past the limit, so the summary tells how big the flood was.
      if (refused.record) await aggregator.record(refused.record);
      if (state.isAllowed || !state.isExceeded) return undefined;
      reply.header('retry-after', String(state.ttlInSeconds));
      return new TooManyRefusalsError(state.ttlInSeconds, state.max);
    },
  } satisfies RefusalGuard);
}
