import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeCalls, parseArgs, readBody, send } from './fake-slack-http.js';
import { createFakeWorkspace, type FakeSlackUser } from './fake-slack-workspace.js';

export { FAKE_SLACK_TEAM, type FakeSlackUser } from './fake-slack-workspace.js';

/** One call the app made to the fake Slack Web API (or to one of its response_urls). */
export type SlackCall = {
  /** The Web API method (`chat.postMessage`), or `response_url` for a POST to `responseUrl()`. */
  method: string;
  /** The request body as the app sent it, with `blocks`, `view`, `attachments` and `metadata` parsed from JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary Slack arguments (args.blocks[0].text.text)
  args: Record<string, any>;
  /** The token the call was made with: the `Authorization: Bearer` header, else a `token` in the body. */
  token: string | undefined;
  /** The full URL the call was posted to (tells response_urls apart). */
  url: string;
  /** What the fake answered; `response.body.ts` of a chat.postMessage is the message to click on. */
  // biome-ignore lint/suspicious/noExplicitAny: the answer mirrors Slack's loosely typed JSON
  response: { status: number; body: Record<string, any> };
  /** When the call arrived (ms since the epoch). */
  at: number;
};

/** A failure `failNext` injects: a rate limit (HTTP 429 + Retry-After) or a Slack error (HTTP 200, ok: false). */
export type FakeSlackFailure = { status: 429; retryAfterSeconds: number } | { error: string };

/** How an outage looks from the client. */
export type FakeSlackOutage = 'refused' | 'http_500' | 'rate_limited';

/**
 * A local stand-in for the Slack Web API that records every call. It is strict, as Slack is:
 * a method it does not implement answers `unknown_method`, `chat.update` of a message it never
 * posted answers `message_not_found`, and a payload over Slack's limits (slack-limits.ts) answers
 * `msg_too_long` or `invalid_blocks`. Each such refusal is kept in `refused`, and `close()`
 * rejects while any is left, so the app's mistake fails the test even when the app swallows
 * Slack's answer. A test that provokes one on purpose takes it with `takeRefused()`.
 */
export type FakeSlack = {
  /** Base URL to give Bolt/WebClient as `clientOptions.slackApiUrl`, ending in '/api/'. */
  apiUrl: string;
  /** A response_url the tests put in payloads: POSTs to it are recorded as method 'response_url' (args = JSON body). Each call returns a fresh URL. */
  responseUrl(): string;
  /** Every call so far, oldest first (failed attempts included). */
  calls: SlackCall[];
  /** The calls to one method, oldest first. */
  callsTo(method: string): SlackCall[];
  /** Resolves with the first call (already made or future) to `method` matching `match`; rejects after timeoutMs (default 10 s) listing the calls seen. */
  waitForCall(method: string, match?: (call: SlackCall) => boolean, timeoutMs?: number): Promise<SlackCall>;
  /** Makes the next `times` (default 1) calls to `method` fail. */
  failNext(method: string, failure: FakeSlackFailure, times?: number): void;
  /**
   * Makes every call fail until recover(), as in a Slack outage: `refused` closes the port
   * (connection refused), `http_500` answers 500, `rate_limited` answers 429 with Retry-After: 1.
   * Failed calls are recorded with their status (none for `refused`: nothing arrives).
   */
  outage(mode: FakeSlackOutage): Promise<void>;
  /** Ends the outage: the port listens again and calls succeed. */
  recover(): Promise<void>;
  /** Calls the fake refused on its own (not by failNext/outage): unknown method, unknown message, over a limit. */
  refused: SlackCall[];
  /** The calls to methods the fake does not implement (a subset of `refused`). */
  readonly unknownCalls: SlackCall[];
  /** Returns the refusals so far and forgets them: for tests that provoke one on purpose. */
  takeRefused(): SlackCall[];
  /** Adds or replaces users. */
  addUser(user: FakeSlackUser): void;
  /**
   * Turns Socket Mode on (fake-socket-mode.ts does): `apps.connections.open` answers a fresh
   * WebSocket URL from `openUrl`, to the app-level token only, as Slack does; before this it is
   * an unknown method.
   */
  enableSocketMode(options: { appToken: string; openUrl: () => string }): void;
  /** Clears the recorded calls and pending failures (users, posted messages and refusals stay). */
  reset(): void;
  /** Stops the server; pending waitForCall promises reject. Rejects, listing them, if `refused` is not empty. */
  close(): Promise<void>;
};

/** The errors the fake answers on its own, which `refused` keeps. */
const STRICT_ERRORS = new Set([
  'unknown_method',
  'message_not_found',
  'msg_too_long',
  'invalid_blocks',
  // apps.connections.open with no token, another kind of token (a bot token), or a wrong one.
  'not_authed',
  'not_allowed_token_type',
  'invalid_auth',
]);

type Waiter = {
  method: string;
  match: (call: SlackCall) => boolean;
  resolve: (call: SlackCall) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
};

/** Starts the fake on a free port of 127.0.0.1. */
export async function startFakeSlack(options: { users?: FakeSlackUser[] } = {}): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const refused: SlackCall[] = [];
  const workspace = createFakeWorkspace(options.users);
  const failures = new Map<string, { failure: FakeSlackFailure; remaining: number }[]>();
  const waiters = new Set<Waiter>();
  let responseUrls = 0;
  let outage: FakeSlackOutage | undefined;
  let socketMode: { appToken: string; openUrl: () => string } | undefined;

  // biome-ignore lint/suspicious/noExplicitAny: Slack answers are loosely typed JSON
  const answer = (method: string, args: Record<string, any>, token: string | undefined) => {
    if (method !== 'apps.connections.open' || !socketMode) return workspace.answer(method, args);
    if (!token) return { ok: false, error: 'not_authed' };
    // Only an app-level token (xapp-, with connections:write) opens a Socket Mode connection.
    if (!token.startsWith('xapp-')) return { ok: false, error: 'not_allowed_token_type' };
    if (token !== socketMode.appToken) return { ok: false, error: 'invalid_auth' };
    return { ok: true, url: socketMode.openUrl() };
  };

  const takeFailure = (method: string): FakeSlackFailure | undefined => {
    const queue = failures.get(method);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.failure;
  };

  const record = (call: SlackCall, strict: boolean) => {
    calls.push(call);
    if (strict && STRICT_ERRORS.has(call.response.body.error)) refused.push(call);
    for (const waiter of waiters) {
      if (waiter.method === call.method && waiter.match(call)) {
        waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.resolve(call);
      }
    }
  };

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', base);
      const apiMethod = /^\/api\/([\w.]+)$/.exec(url.pathname)?.[1];
      const isResponseUrl = /^\/response\/\d+$/.test(url.pathname) && req.method === 'POST';
      if (!apiMethod && !isResponseUrl) {
        send(res, 404, { ok: false, error: 'unknown_path' });
        return;
      }
      const args = await parseArgs(await readBody(req), req.headers['content-type'], url.searchParams);
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
      const method = apiMethod ?? 'response_url';
      const call: SlackCall = {
        method,
        args,
        token,
        url: url.href,
        response: { status: 200, body: {} },
        at: Date.now(),
      };

      const failure = takeFailure(method);
      const headers: Record<string, string> = {};
      let strict = false;
      if (outage === 'http_500') {
        call.response = { status: 500, body: { ok: false, error: 'internal_error' } };
      } else if (outage === 'rate_limited') {
        call.response = { status: 429, body: { ok: false, error: 'ratelimited' } };
        headers['retry-after'] = '1';
      } else if (failure && 'status' in failure) {
        call.response = { status: 429, body: { ok: false, error: 'ratelimited' } };
        headers['retry-after'] = String(failure.retryAfterSeconds);
      } else if (failure) {
        call.response = { status: 200, body: { ok: false, error: failure.error } };
      } else {
        call.response = { status: 200, body: isResponseUrl ? { ok: true } : answer(method, args, token) };
        strict = true;
      }
      record(call, strict);
      send(res, call.response.status, call.response.body, headers);
    } catch (error) {
      send(res, 500, { ok: false, error: 'fake_slack_error', detail: String(error) });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `${base}/api/`,
    responseUrl: () => `${base}/response/${++responseUrls}`,
    calls,
    callsTo: (method) => calls.filter((call) => call.method === method),
    waitForCall(method, match = () => true, timeoutMs = 10_000) {
      const seen = calls.find((call) => call.method === method && match(call));
      if (seen) return Promise.resolve(seen);
      return new Promise<SlackCall>((resolve, reject) => {
        const waiter: Waiter = {
          method,
          match,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            reject(
              new Error(
                `fake Slack: no matching ${method} call within ${timeoutMs} ms; calls seen:\n${describeCalls(calls)}`,
              ),
            );
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    failNext(method, failure, times = 1) {
      const queue = failures.get(method) ?? [];
      queue.push({ failure, remaining: times });
      failures.set(method, queue);
    },
    async outage(mode) {
      outage = mode;
      if (mode !== 'refused') return;
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
    async recover() {
      const wasRefused = outage === 'refused';
      outage = undefined;
      if (!wasRefused) return;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
    },
    refused,
    get unknownCalls() {
      return refused.filter((call) => call.response.body.error === 'unknown_method');
    },
    takeRefused: () => refused.splice(0),
    addUser: workspace.addUser,
    enableSocketMode(options) {
      socketMode = options;
    },
    reset() {
      calls.length = 0;
      failures.clear();
    },
    async close() {
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`fake Slack closed while waiting for ${waiter.method}`));
      }
      waiters.clear();
      if (server.listening) {
        // fetch keeps connections alive; without this close() would wait for them to idle out.
        server.closeAllConnections();
        await new Promise<void>((resolve, reject) =>
          server.close((error) => (error ? reject(error) : resolve())),
        );
      }
      if (refused.length > 0) {
        throw new Error(
          `fake Slack refused ${refused.length} call(s) as Slack would; the app sent something Slack rejects:\n${describeCalls(refused)}`,
        );
      }
    },
  };
}
