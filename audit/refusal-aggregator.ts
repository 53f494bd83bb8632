// A flood of refusals (forged Slack signatures, bad API tokens) reaches the ledger as a handful of
// events, not one per request: the first refusal of a kind from a source in a window is recorded
// at once and in full; the rest are only counted, and when the window ends one
// `security.requests.refused` event carries the count. A ledger write per forged request would let
// anyone who can reach the port fill the ledger, which is never pruned, and load the database.
import { randomUUID } from 'node:crypto';
import type { AuditSource } from './events.js';
import { type AuditEventDraft, type AuditWrite, completeEvent } from './intake.js';

/** One refused request, as its door saw it. */
export type Refusal = {
  /**
   * What was refused and why, from a small fixed set (`slack.signature_mismatch`,
   * `token.unknown`): the aggregation key with the source, so it must not carry caller input.
   */
  kind: string;
  /** Where it came from; `ip` is the source of the key (no IP: one bucket, `unknown`). */
  source: Partial<AuditSource>;
  /** The event recorded for the first refusal of the window. */
  event: AuditEventDraft;
};

/** The aggregator of one API process. */
export type RefusalAggregator = {
  /**
   * Counts a refusal; the first of its (kind, source, window) is written before this resolves, so
   * the caller answers no only once the ledger has it. The others resolve at once, writing nothing.
   */
  record(refusal: Refusal): Promise<void>;
  /** Writes the summary of every window still open (at shutdown) and stops the timer. */
  close(): Promise<void>;
};

/** Settings; `write` appends to the intake (`appendToIntake(db, writes)` in production). */
export type RefusalAggregatorOptions = {
  write(writes: AuditWrite[]): Promise<unknown>;
  windowSeconds: number;
  /** Called when a write fails; the refusal is still counted and the summary is retried. */
  onError?: (error: unknown) => void;
  /** Distinct (kind, source) pairs tracked per window; past it, refusals go to one `other` bucket. */
  maxSources?: number;
};

type Bucket = {
  kind: string;
  sourceKey: string;
  source: Partial<AuditSource>;
  windowStart: number;
  count: number;
  first?: AuditEventDraft;
  /** The first event reached the ledger: a window of one refusal needs no summary. */
  firstWritten: boolean;
};

const DEFAULT_MAX_SOURCES = 10_000;
/** How often ended windows are looked for: a summary lands at most this late. */
const TICK_MS = 1_000;

/**
 * Starts an aggregator. Windows are aligned to the clock (minute boundaries for 60 s), so every
 * API process agrees on them; each process still counts only what it saw and writes its own
 * events (the process's instance id is in their idempotency keys and `details.instance`), so
 * behind a load balancer the counts of one window add up across processes and none is lost to
 * another's key. Keys are otherwise deterministic (kind, source, window), so a retried write, or
 * the shutdown flush after a summary that did land, writes nothing twice.
 */
export function createRefusalAggregator(options: RefusalAggregatorOptions): RefusalAggregator {
  const windowMs = options.windowSeconds * 1_000;
  const maxSources = options.maxSources ?? DEFAULT_MAX_SOURCES;
  const instance = randomUUID();
  const buckets = new Map<string, Bucket>();
  const onError = options.onError ?? (() => {});
  let flushing: Promise<void> = Promise.resolve();

  const keyOf = (bucket: Pick<Bucket, 'kind' | 'sourceKey' | 'windowStart'>) =>
    `refusal:${instance}:${bucket.kind}:${bucket.sourceKey}:${new Date(bucket.windowStart).toISOString()}`;

  async function writeFirst(bucket: Bucket, draft: AuditEventDraft): Promise<void> {
    const event = completeEvent(
      {
        ...draft,
        details: {
          ...draft.details,
          refusal_kind: bucket.kind,
          window_start: new Date(bucket.windowStart).toISOString(),
          instance,
        },
      },
      bucket.source,
    );
    await options.write([{ idempotencyKey: `${keyOf(bucket)}:first`, event }]);
    bucket.firstWritten = true;
  }

  function summaryOf(bucket: Bucket, endedAt: number): AuditWrite {
    const first = bucket.first;
    const windowEnd = Math.min(bucket.windowStart + windowMs, endedAt);
    const from = new Date(bucket.windowStart).toISOString();
    const to = new Date(windowEnd).toISOString();
    const event = completeEvent(
      {
        event_type: 'security.requests.refused',
        actor: first?.actor ?? { type: 'system', id: 'unauthenticated-caller' },
        target: first?.target ?? { type: 'endpoint', id: 'api' },
        action: first?.action ?? 'authenticate',
        result: 'denied',
        reason: `${bucket.count} requests refused (${bucket.kind}) from ${bucket.sourceKey} between ${from} and ${to}`,
        occurred_at: to,
        details: {
          refusal_kind: bucket.kind,
          count: bucket.count,
          window_start: from,
          window_end: to,
          ...(first ? { first_event_type: first.event_type } : {}),
          instance,
        },
      },
      bucket.source,
    );
    return { idempotencyKey: `${keyOf(bucket)}:summary`, event };
  }

  /** Writes the summaries of the windows ended by `now` (all of them when `all`), in one insert. */
  async function flush(now: number, all: boolean): Promise<void> {
    const ended = [...buckets.entries()].filter(([, b]) => all || b.windowStart + windowMs <= now);
    if (ended.length === 0) return;
    const writes = ended.filter(([, b]) => b.count > 1 || !b.firstWritten).map(([, b]) => summaryOf(b, now));
    try {
      if (writes.length > 0) await options.write(writes);
      for (const [key] of ended) buckets.delete(key);
    } catch (error) {
      // Kept: the next tick (or close) tries again with the same keys.
      onError(error);
    }
  }

  const timer = setInterval(
    () => {
      flushing = flushing.then(() => flush(Date.now(), false));
    },
    Math.min(TICK_MS, windowMs),
  );
  timer.unref();

  return {
    async record(refusal) {
      const now = Date.now();
      const windowStart = Math.floor(now / windowMs) * windowMs;
      const ip = refusal.source.ip ?? 'unknown';
      let sourceKey = ip;
      let key = `${refusal.kind}\u0000${sourceKey}\u0000${windowStart}`;
      if (!buckets.has(key) && buckets.size >= maxSources) {
        // Many distinct sources (an address-rotating flood): count them together, record none.
        sourceKey = 'other';
        key = `${refusal.kind}\u0000${sourceKey}\u0000${windowStart}`;
      }
      const bucket = buckets.get(key);
      if (bucket) {
        bucket.count += 1;
        return;
      }
      const { ip: _ip, ...withoutIp } = refusal.source;
      const created: Bucket = {
        kind: refusal.kind,
        sourceKey,
        source: sourceKey === 'other' ? withoutIp : refusal.source,
        windowStart,
        count: 1,
        firstWritten: false,
      };
      buckets.set(key, created);
      if (sourceKey === 'other') return;
      created.first = refusal.event;
      await writeFirst(created, refusal.event);
    },
    async close() {
      clearInterval(timer);
      await flushing;
      await flush(Date.now(), true);
    },
  };
}
