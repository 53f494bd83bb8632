// The load's HTTP client: what a real API client does while the API, Temporal or PostgreSQL is
// down. A connection error or a 5xx is retried (with a short pause) until the deadline; any other
// answer is returned. A write counts as acknowledged only when it got a 2xx, and each
// acknowledgement is kept, so the assertions can look for every one of them in the ledger.
import { setTimeout as sleep } from 'node:timers/promises';

/** What the client got back. */
export type Answer = { status: number; body: Record<string, unknown> };

/** One write the API acknowledged with a 2xx. */
export type Ack = { at: number; method: string; path: string; as: string; body: unknown; answer: Answer };

/** The client and what it saw. */
export type ChaosClient = {
  get(path: string, token: string): Promise<Answer>;
  /** A write as `as` (an email, for the record); retried on connection errors and 5xx. */
  post(path: string, token: string, as: string, body: unknown): Promise<Answer>;
  acks: Ack[];
  /** Attempts that failed with a connection error or a 5xx and were retried. */
  retried: { connection: number; serverError: number };
  /** Set to make every call still waiting give up (the run is over). */
  stop(): void;
};

const RETRY_PAUSE_MS = 250;

/** A client of the API at `baseUrl`; calls give up after `deadlineMs` of retrying. */
export function createChaosClient(baseUrl: string, deadlineMs = 120_000): ChaosClient {
  const acks: Ack[] = [];
  const retried = { connection: 0, serverError: 0 };
  let stopped = false;

  async function call(method: 'GET' | 'POST', path: string, token: string, body?: unknown): Promise<Answer> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      if (stopped) throw new Error(`${method} ${path}: the run is over`);
      try {
        const response = await fetch(`${baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(30_000),
        });
        const text = await response.text();
        const answer = {
          status: response.status,
          body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        };
        if (response.status < 500) return answer;
        retried.serverError += 1;
        if (Date.now() > deadline) return answer;
      } catch (error) {
        retried.connection += 1;
        if (Date.now() > deadline)
          throw new Error(`${method} ${path}: no answer for ${deadlineMs} ms`, { cause: error });
      }
      await sleep(RETRY_PAUSE_MS);
    }
  }

  return {
    get: (path, token) => call('GET', path, token),
    async post(path, token, as, body) {
      const answer = await call('POST', path, token, body);
      if (answer.status >= 200 && answer.status < 300)
        acks.push({ at: Date.now(), method: 'POST', path, as, body, answer });
      return answer;
    },
    acks,
    retried,
    stop() {
      stopped = true;
    },
  };
}
