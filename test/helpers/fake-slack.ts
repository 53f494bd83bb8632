import http from 'node:http';
import type { AddressInfo } from 'node:net';

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

/** A Slack user the fake knows (for users.lookupByEmail / users.info). */
export type FakeSlackUser = { id: string; email: string; name?: string };

/** A failure `failNext` injects: a rate limit (HTTP 429 + Retry-After) or a Slack error (HTTP 200, ok: false). */
export type FakeSlackFailure = { status: 429; retryAfterSeconds: number } | { error: string };

/** How an outage looks from the client. */
export type FakeSlackOutage = 'refused' | 'http_500' | 'rate_limited';

/** A local stand-in for the Slack Web API that records every call. */
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
  /** Adds or replaces users. */
  addUser(user: FakeSlackUser): void;
  /** Clears the recorded calls and pending failures (users stay). */
  reset(): void;
  /** Stops the server; pending waitForCall promises reject. */
  close(): Promise<void>;
};

/** The workspace and bot identity the fake answers auth.test with. */
export const FAKE_SLACK_TEAM = {
  teamId: 'TGF',
  team: 'grantflow-test',
  botUserId: 'UBOTGF',
  botId: 'BBOTGF',
  botName: 'grantflow',
} as const;

// WebClient JSON-encodes every non-scalar argument into a form field; these are the ones tests read.
const JSON_FIELDS = ['blocks', 'view', 'attachments', 'metadata'];

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
  const users = new Map<string, FakeSlackUser>();
  const failures = new Map<string, { failure: FakeSlackFailure; remaining: number }[]>();
  const waiters = new Set<Waiter>();
  let sequence = 100;
  const next = () => ++sequence;
  let responseUrls = 0;
  let outage: FakeSlackOutage | undefined;

  for (const user of options.users ?? []) users.set(user.id, user);

  // Slack message timestamps are "seconds.micros" strings; increasing ones keep ordering visible.
  const nextTs = () => {
    const n = next();
    return `${1_700_000_000 + Math.floor(n / 1_000_000)}.${String(n % 1_000_000).padStart(6, '0')}`;
  };
  const dmChannel = (userId: string) => (/^[UW]/.test(userId) ? `D${userId.slice(1)}` : userId);
  const userBody = (user: FakeSlackUser) => {
    const name = user.name ?? user.email.split('@')[0];
    return {
      id: user.id,
      team_id: FAKE_SLACK_TEAM.teamId,
      name,
      real_name: name,
      deleted: false,
      is_bot: false,
      profile: { email: user.email, real_name: name, display_name: name },
    };
  };

  // biome-ignore lint/suspicious/noExplicitAny: Slack arguments and answers are loosely typed JSON
  const answer = (method: string, args: Record<string, any>): Record<string, any> => {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: `https://${FAKE_SLACK_TEAM.team}.slack.com/`,
          team: FAKE_SLACK_TEAM.team,
          user: FAKE_SLACK_TEAM.botName,
          team_id: FAKE_SLACK_TEAM.teamId,
          user_id: FAKE_SLACK_TEAM.botUserId,
          bot_id: FAKE_SLACK_TEAM.botId,
          is_enterprise_install: false,
        };
      case 'chat.postMessage': {
        const ts = nextTs();
        return {
          ok: true,
          channel: dmChannel(String(args.channel ?? '')),
          ts,
          message: {
            type: 'message',
            text: args.text,
            blocks: args.blocks,
            user: FAKE_SLACK_TEAM.botUserId,
            bot_id: FAKE_SLACK_TEAM.botId,
            ts,
          },
        };
      }
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'conversations.open':
        return { ok: true, channel: { id: dmChannel(String(args.users ?? '').split(',')[0] ?? '') } };
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish': {
        // views.update keeps the view it updates, as Slack does.
        const id = typeof args.view_id === 'string' ? args.view_id : `V${String(next()).padStart(10, '0')}`;
        return { ok: true, view: { id, team_id: FAKE_SLACK_TEAM.teamId, ...args.view } };
      }
      case 'users.lookupByEmail': {
        const email = String(args.email ?? '').toLowerCase();
        const user = [...users.values()].find((u) => u.email.toLowerCase() === email);
        return user ? { ok: true, user: userBody(user) } : { ok: false, error: 'users_not_found' };
      }
      case 'users.info': {
        const user = users.get(String(args.user ?? ''));
        return user ? { ok: true, user: userBody(user) } : { ok: false, error: 'user_not_found' };
      }
      default:
        return { ok: true };
    }
  };

  const takeFailure = (method: string): FakeSlackFailure | undefined => {
    const queue = failures.get(method);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.failure;
  };

  const record = (call: SlackCall) => {
    calls.push(call);
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
        call.response = { status: 200, body: isResponseUrl ? { ok: true } : answer(method, args) };
      }
      record(call);
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
    addUser(user) {
      users.set(user.id, user);
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
      if (!server.listening) return;
      // fetch keeps connections alive; without this close() would wait for them to idle out.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * WebClient sends application/x-www-form-urlencoded (non-scalar values as JSON strings), or
 * multipart/form-data when an argument is binary; respond() and some callers send JSON.
 */
async function parseArgs(
  body: Buffer,
  contentType: string | undefined,
  query: URLSearchParams,
  // biome-ignore lint/suspicious/noExplicitAny: Slack arguments are loosely typed JSON
): Promise<Record<string, any>> {
  // biome-ignore lint/suspicious/noExplicitAny: see above
  let args: Record<string, any> = Object.fromEntries(query);
  if (contentType?.startsWith('application/json')) {
    args = { ...args, ...(body.length > 0 ? JSON.parse(body.toString('utf8')) : {}) };
  } else if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Request('http://fake.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    }).formData();
    for (const [key, value] of form) {
      args[key] = typeof value === 'string' ? value : { filename: value.name, size: value.size };
    }
  } else if (body.length > 0) {
    args = { ...args, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
  }
  for (const field of JSON_FIELDS) {
    if (typeof args[field] === 'string') {
      try {
        args[field] = JSON.parse(args[field]);
      } catch {
        // Not JSON (Slack accepts some fields either way): keep the string.
      }
    }
  }
  return args;
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function describeCalls(calls: SlackCall[]): string {
  if (calls.length === 0) return '  (none)';
  return calls
    .map((call) => {
      const { blocks, view, ...rest } = call.args;
      const shown = JSON.stringify(rest).slice(0, 200);
      const extra = [blocks ? 'blocks' : '', view ? 'view' : ''].filter(Boolean).join(', ');
      return `  ${call.method} ${call.response.status}${call.response.body.ok === false ? ` ${call.response.body.error}` : ''} ${shown}${extra ? ` (+${extra})` : ''}`;
    })
    .join('\n');
}
