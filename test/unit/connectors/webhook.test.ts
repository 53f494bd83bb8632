import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Connector,
  type ConnectorError,
  createConnectors,
  type ListedEntitlement,
  type ProvisionInput,
  signWebhookBody,
  type TargetHolding,
  verifyWebhookSignature,
  type WebhookListAnswer,
  type WebhookListPayload,
  type WebhookPayload,
} from '../../../connectors/index.js';

const SECRET = 'whsec_test_0123456789';
const SECRET_ENV = 'TEST_WEBHOOK_SECRET';

type Recorded = { headers: IncomingHttpHeaders; body: string };
type Reply = { status: number; body?: string; headers?: Record<string, string> };

// A receiver that records every call and answers from a script; the default answer is 200.
class FakeReceiver {
  readonly requests: Recorded[] = [];
  /** What the receiver has actually done, keyed by Idempotency-Key, as a well-behaved receiver would. */
  readonly applied = new Map<string, WebhookPayload>();
  script: ((request: Recorded, receiver: FakeReceiver) => Reply)[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const recorded = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.requests.push(recorded);
        const reply = (this.script.shift() ?? FakeReceiver.apply)(recorded, this);
        res.writeHead(reply.status, reply.headers).end(reply.body ?? '');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/grantflow`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  reset(): void {
    this.requests.length = 0;
    this.applied.clear();
    this.script = [];
  }

  /** Applies the call once per Idempotency-Key and answers 200. */
  static apply(request: Recorded, receiver: FakeReceiver): Reply {
    const key = String(request.headers['idempotency-key']);
    if (!receiver.applied.has(key)) receiver.applied.set(key, JSON.parse(request.body) as WebhookPayload);
    return { status: 200, body: '{"ok":true}' };
  }
}

const input: ProvisionInput = {
  grantId: 'a9d1c7e4-0000-4000-8000-000000000001',
  person: { email: 'dana.reyes@acme.test', name: 'Dana Reyes' },
  resourceKey: 'github',
  entitlementKey: 'write',
  target: { team: 'payments-devs' },
};

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    return error as ConnectorError;
  }
  throw new Error('expected the call to fail');
}

describe('webhook connector', () => {
  const receiver = new FakeReceiver();
  const connectors = createConnectors({ [SECRET_ENV]: SECRET }, { webhookTimeoutMs: 1_000 });
  const connector = () =>
    connectors.forResource({
      key: 'github',
      connector: { kind: 'webhook', url: receiver.url, secretEnv: SECRET_ENV },
    });

  beforeAll(() => receiver.start());
  afterEach(() => receiver.reset());
  afterAll(async () => {
    await receiver.stop();
    await connectors.close();
  });

  it('POSTs a signed JSON grant that the receiver can verify, and reports done on 2xx', async () => {
    const result = await connector().grant(input);

    expect(result.outcome).toBe('done');
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    const headers = request!.headers;
    expect(headers['content-type']).toBe('application/json');
    expect(headers['idempotency-key']).toBe(`${input.grantId}:grant`);
    expect(Math.abs(Number(headers['x-grantflow-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
    expect(
      verifyWebhookSignature({
        secret: SECRET,
        timestamp: headers['x-grantflow-timestamp'] as string,
        body: request!.body,
        signature: headers['x-grantflow-signature'] as string,
      }),
    ).toEqual({ valid: true });
    const { sentAt, ...payload } = JSON.parse(request!.body) as WebhookPayload;
    expect(payload).toEqual({
      action: 'grant',
      grantId: input.grantId,
      person: input.person,
      resource: 'github',
      entitlement: 'write',
      target: { team: 'payments-devs' },
    });
    expect(Math.floor(Date.parse(sentAt) / 1000)).toBe(Number(headers['x-grantflow-timestamp']));
  });

  it('sends revoke with its own idempotency key and has no check (a webhook cannot read back)', async () => {
    const webhook = connector();
    await webhook.revoke(input);

    expect(receiver.requests[0]!.headers['idempotency-key']).toBe(`${input.grantId}:revoke`);
    expect(JSON.parse(receiver.requests[0]!.body).action).toBe('revoke');
    expect(webhook.check).toBeUndefined();
  });

  it.each([500, 502, 503, 408, 425, 429])('treats %i as retryable connector_unavailable', async (status) => {
    receiver.script = [() => ({ status, body: 'try later', headers: { 'retry-after': '7' } })];

    const error = await failure(connector().grant(input));

    expect(error.code).toBe('connector_unavailable');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(String(status));
    expect(error.retryAfterMs).toBe(7_000);
  });

  it.each([400, 401, 403, 404, 410, 422])('treats %i as non-retryable connector_rejected', async (status) => {
    receiver.script = [
      () => ({ status, body: `{"error":"no such team payments-devs"}${' pad'.repeat(200)}` }),
    ];

    const error = await failure(connector().grant(input));

    expect(error.code).toBe('connector_rejected');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`answered ${status}`);
    expect(error.message).toContain('no such team payments-devs');
    expect(error.details?.status).toBe(status);
    expect(String(error.details?.body).length).toBeLessThanOrEqual(201);
  });

  it('does not follow a redirect with a signed payload', async () => {
    receiver.script = [() => ({ status: 307, headers: { location: 'https://elsewhere.test/' } })];

    const error = await failure(connector().grant(input));

    expect(error.code).toBe('connector_misconfigured');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('https://elsewhere.test/');
    expect(receiver.requests).toHaveLength(1);
  });

  it('times out a receiver that never answers, as retryable', async () => {
    const silent = createServer(() => {}); // accepts the request and never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
    try {
      const error = await failure(
        connectors
          .forResource({ key: 'slow', connector: { kind: 'webhook', url, secretEnv: SECRET_ENV } })
          .grant(input),
      );

      expect(error.code).toBe('connector_unavailable');
      expect(error.retryable).toBe(true);
      expect(error.message).toContain('no answer within 1000 ms');
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('treats a receiver that is down as retryable', async () => {
    const down = createServer();
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const port = (down.address() as AddressInfo).port;
    await new Promise((resolve) => down.close(resolve));

    const error = await failure(
      connectors
        .forResource({
          key: 'down',
          connector: { kind: 'webhook', url: `http://127.0.0.1:${port}/`, secretEnv: SECRET_ENV },
        })
        .grant(input),
    );

    expect(error.code).toBe('connector_unavailable');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('fails non-retryably when the secret variable is not set', async () => {
    const bare = createConnectors({});
    const error = await failure(
      bare
        .forResource({
          key: 'github',
          connector: { kind: 'webhook', url: receiver.url, secretEnv: SECRET_ENV },
        })
        .grant(input),
    );

    expect(error.code).toBe('connector_misconfigured');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(SECRET_ENV);
    expect(receiver.requests).toHaveLength(0);
  });

  it('makes exactly one effective grant when the caller retries through failures', async () => {
    receiver.script = [
      // The receiver applies the grant, then crashes before answering.
      (request, self) => {
        FakeReceiver.apply(request, self);
        return { status: 500, body: 'crashed after commit' };
      },
      () => ({ status: 503, body: 'overloaded' }),
    ];

    const webhook = connector();
    let result: Awaited<ReturnType<typeof webhook.grant>> | undefined;
    const errors: ConnectorError[] = [];
    for (let attempt = 1; attempt <= 5 && !result; attempt++) {
      try {
        result = await webhook.grant(input);
      } catch (error) {
        if (!(error as ConnectorError).retryable) throw error;
        errors.push(error as ConnectorError);
      }
    }

    expect(result?.outcome).toBe('done');
    expect(errors.map((error) => error.details?.status)).toEqual([500, 503]);
    expect(receiver.requests).toHaveLength(3);
    expect(new Set(receiver.requests.map((r) => r.headers['idempotency-key']))).toEqual(
      new Set([`${input.grantId}:grant`]),
    );
    for (const request of receiver.requests) {
      expect(
        verifyWebhookSignature({
          secret: SECRET,
          timestamp: request.headers['x-grantflow-timestamp'] as string,
          body: request.body,
          signature: request.headers['x-grantflow-signature'] as string,
        }).valid,
      ).toBe(true);
    }
    expect([...receiver.applied.keys()]).toEqual([`${input.grantId}:grant`]);
  });
});

describe('webhook connector with list: true', () => {
  const receiver = new FakeReceiver();
  const connectors = createConnectors(
    { [SECRET_ENV]: SECRET, OTHER_SECRET: 'not-the-receivers-secret' },
    { webhookTimeoutMs: 1_000 },
  );
  const lister = (secretEnv = SECRET_ENV) =>
    connectors.forResource({
      key: 'github',
      connector: { kind: 'webhook', url: receiver.url, secretEnv, list: true },
    });
  const entitlements: ListedEntitlement[] = [
    { entitlementKey: 'write', target: { team: 'payments-devs' } },
    { entitlementKey: 'admin', target: { team: 'payments-admins' } },
  ];
  // What the receiver's system holds, in its own stable order (entitlement, then account).
  const held = [
    { entitlementKey: 'admin', account: 'Ops@acme.test' },
    { entitlementKey: 'write', account: 'dana.reyes@acme.test' },
    { entitlementKey: 'write', account: 'lee.chen@acme.test' },
    { entitlementKey: 'write', account: 'sam.okafor@acme.test' },
    { entitlementKey: 'write', account: 'zoe@acme.test' },
  ];

  /** A receiver that verifies the call, as the contract asks, and pages `held` by offset cursors. */
  const answerList = (request: Recorded): Reply => {
    const verdict = verifyWebhookSignature({
      secret: SECRET,
      timestamp: request.headers['x-grantflow-timestamp'] as string,
      body: request.body,
      signature: request.headers['x-grantflow-signature'] as string,
    });
    if (!verdict.valid)
      return { status: 401, body: `{"error":"invalid_signature","reason":"${verdict.reason}"}` };
    const call = JSON.parse(request.body) as WebhookListPayload;
    const asked = new Set(call.entitlements.map((e) => e.entitlementKey));
    const rows = held.filter((h) => asked.has(h.entitlementKey));
    const from = call.cursor ? Number(call.cursor.replace('offset-', '')) : 0;
    const page = rows.slice(from, from + call.limit);
    const answer: WebhookListAnswer = {
      holdings: page,
      ...(from + call.limit < rows.length ? { nextCursor: `offset-${from + call.limit}` } : {}),
    };
    return { status: 200, body: JSON.stringify(answer) };
  };

  const list = (connector: Connector) => connector.listAccess as NonNullable<Connector['listAccess']>;

  async function listAll(connector: Connector, limit: number): Promise<TargetHolding[][]> {
    const pages: TargetHolding[][] = [];
    let cursor: string | undefined;
    do {
      receiver.script = [answerList];
      const page = await list(connector)(entitlements, { cursor, limit });
      pages.push(page.holdings);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 20);
    return pages;
  }

  beforeAll(() => receiver.start());
  afterEach(() => receiver.reset());
  afterAll(async () => {
    await receiver.stop();
    await connectors.close();
  });

  it('lists a page at a time with signed list calls, handing the cursor back as it came', async () => {
    const connector = lister();

    const pages = await listAll(connector, 2);

    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    // Accounts are matched whatever their case, like accountOf's.
    expect(pages.flat().map((h) => h.account)).toEqual(held.map((h) => h.account.toLowerCase()));
    expect(connector.accountOf?.({ email: 'Dana.Reyes@acme.test', name: 'Dana Reyes' })).toBe(
      'dana.reyes@acme.test',
    );
    const calls = receiver.requests.map((r) => JSON.parse(r.body) as WebhookListPayload);
    expect(calls.map((c) => c.cursor)).toEqual([undefined, 'offset-2', 'offset-4']);
    const { sentAt, ...first } = calls[0] as WebhookListPayload;
    expect(first).toEqual({
      action: 'list',
      resource: 'github',
      entitlements: entitlements.map((e) => ({ entitlementKey: e.entitlementKey, target: e.target })),
      limit: 2,
    });
    expect(Date.parse(sentAt)).not.toBeNaN();
    // A read changes nothing: there is nothing to deduplicate.
    expect(receiver.requests[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('has no listAccess without list: true', () => {
    const plain = connectors.forResource({
      key: 'github',
      connector: { kind: 'webhook', url: receiver.url, secretEnv: SECRET_ENV },
    });
    expect(plain.listAccess).toBeUndefined();
    expect(plain.accountOf).toBeUndefined();
  });

  it.each([
    ['not JSON', '<html>ok</html>', 'not JSON'],
    ['no holdings', '{"ok":true}', 'holdings'],
    ['a holding without account', '{"holdings":[{"entitlementKey":"write"}]}', 'holdings.0.account'],
    [
      'an entitlement it was not asked about',
      '{"holdings":[{"entitlementKey":"owner","account":"a@b"}]}',
      '"owner"',
    ],
    [
      'more holdings than the limit',
      JSON.stringify({ holdings: held.slice(1, 4) }),
      'more than the limit of 2',
    ],
    ['the same cursor again', '{"holdings":[],"nextCursor":"offset-2"}', 'the cursor it was given'],
  ])('refuses an answer with %s as connector_rejected', async (_name, body, says) => {
    receiver.script = [() => ({ status: 200, body })];

    const error = await failure(list(lister())(entitlements, { cursor: 'offset-2', limit: 2 }));

    expect(error.code).toBe('connector_rejected');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('list call');
    expect(error.message).toContain(says);
  });

  it('treats an empty last page as the end, and a null nextCursor as none', async () => {
    receiver.script = [() => ({ status: 200, body: '{"holdings":[],"nextCursor":null}' })];
    expect(await list(lister())(entitlements, { limit: 10 })).toEqual({ holdings: [] });
  });

  it('is refused by a receiver that checks the signature when it is signed with another secret', async () => {
    receiver.script = [answerList];

    const error = await failure(list(lister('OTHER_SECRET'))(entitlements, { limit: 10 }));

    expect(error.code).toBe('connector_rejected');
    expect(error.message).toContain('answered 401');
    expect(error.message).toContain('invalid_signature');
  });

  it('is retryably unavailable when the receiver fails, never an empty page', async () => {
    receiver.script = [() => ({ status: 503, body: 'down', headers: { 'retry-after': '3' } })];

    const error = await failure(list(lister())(entitlements, { limit: 10 }));

    expect(error.code).toBe('connector_unavailable');
    expect(error.retryAfterMs).toBe(3_000);
  });
});

describe('verifyWebhookSignature', () => {
  const now = new Date('2025-03-01T12:00:00Z');
  const timestamp = Math.floor(now.getTime() / 1000);
  const body = JSON.stringify({ action: 'grant', grantId: 'g1' });
  const signature = signWebhookBody(SECRET, timestamp, body);

  it('accepts the exact body, secret and a fresh timestamp', () => {
    expect(verifyWebhookSignature({ secret: SECRET, timestamp, body, signature, now })).toEqual({
      valid: true,
    });
    expect(
      verifyWebhookSignature({
        secret: SECRET,
        timestamp: String(timestamp),
        body: Buffer.from(body),
        signature,
        now,
      }),
    ).toEqual({ valid: true });
  });

  it('accepts one matching value among several (secret rotation)', () => {
    const old = signWebhookBody('old-secret', timestamp, body);
    expect(
      verifyWebhookSignature({ secret: SECRET, timestamp, body, signature: `${old}, ${signature}`, now })
        .valid,
    ).toBe(true);
  });

  it('refuses a tampered body', () => {
    const tampered = body.replace('g1', 'g2');
    expect(verifyWebhookSignature({ secret: SECRET, timestamp, body: tampered, signature, now })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it('refuses the wrong secret', () => {
    expect(verifyWebhookSignature({ secret: 'not-the-secret', timestamp, body, signature, now })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it('refuses a timestamp moved to match a replay', () => {
    expect(
      verifyWebhookSignature({ secret: SECRET, timestamp: timestamp + 1, body, signature, now }).valid,
    ).toBe(false);
  });

  it('refuses a stale or future timestamp even with a valid signature', () => {
    const stale = timestamp - 301;
    const future = timestamp + 301;
    expect(
      verifyWebhookSignature({
        secret: SECRET,
        timestamp: stale,
        body,
        signature: signWebhookBody(SECRET, stale, body),
        now,
      }),
    ).toEqual({ valid: false, reason: 'stale' });
    expect(
      verifyWebhookSignature({
        secret: SECRET,
        timestamp: future,
        body,
        signature: signWebhookBody(SECRET, future, body),
        now,
      }),
    ).toEqual({ valid: false, reason: 'stale' });
    expect(
      verifyWebhookSignature({
        secret: SECRET,
        timestamp: stale,
        body,
        signature: signWebhookBody(SECRET, stale, body),
        now,
        toleranceSeconds: 600,
      }).valid,
    ).toBe(true);
  });

  it.each([
    ['no signature', { signature: undefined }],
    ['no timestamp', { timestamp: undefined }],
    ['a non-numeric timestamp', { timestamp: '12abc' }],
    ['an unknown scheme', { signature: 'v0=abcd' }],
    ['short hex', { signature: 'v1=abcd' }],
  ])('refuses %s as malformed', (_name, override) => {
    expect(verifyWebhookSignature({ secret: SECRET, timestamp, body, signature, now, ...override })).toEqual({
      valid: false,
      reason: 'malformed',
    });
  });
});
