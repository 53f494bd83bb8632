// A local stand-in for Slack's Socket Mode endpoint (https://api.slack.com/apis/socket-mode): the
// fake Web API's `apps.connections.open` hands out a one-use WebSocket URL; on connect this
// server says `hello`; it delivers `events_api`, `interactive` and `slash_commands` envelopes,
// each with an `envelope_id`, and expects the app's ack `{ envelope_id, payload? }` back. It can
// ask the app to reconnect (`disconnect`, reason `refresh_requested`) or drop the socket without a
// word, as a Slack pod going away does. It is strict: a second connection on a used ticket is
// refused, and `close()` rejects if the app sent anything but a well-formed ack of an envelope
// it was sent, or left an envelope unacked.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeSlack } from './fake-slack.js';

/** The app's answer to an envelope. */
export type SocketAck = { envelope_id: string; payload?: Record<string, unknown> };

/** An envelope's type, as Slack names it. */
type EnvelopeType = 'events_api' | 'interactive' | 'slash_commands';

/** The fake Socket Mode endpoint. */
export type FakeSocketMode = {
  /** Connections that got their `hello`, in order (the first is 1). */
  readonly connections: number;
  /** Resolves once connection number `n` has had its `hello`; rejects after `timeoutMs` (default 20 s). */
  waitForConnection(n: number, timeoutMs?: number): Promise<void>;
  /**
   * Delivers a body built by slack-signing.ts (`blockActionBody`, `slashCommandBody`,
   * `eventCallbackBody`, ...) as the envelope Slack would send over the socket instead of
   * posting it; resolves with the app's ack. `envelopeId` redelivers (Slack's retry), with
   * `retryAttempt` and `retryReason` as Slack sends them.
   */
  deliver(
    body: string,
    options?: { envelopeId?: string; retryAttempt?: number; retryReason?: string; timeoutMs?: number },
  ): Promise<SocketAck & { envelopeId: string }>;
  /** Asks the app to reconnect, as Slack does before recycling a connection. */
  disconnect(reason?: 'refresh_requested' | 'warning' | 'link_disabled'): void;
  /** Terminates the current socket from the server side: no close frame, no reason. */
  drop(): void;
  close(): Promise<void>;
};

type Pending = { resolve: (ack: SocketAck) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

/** How a built HTTP body travels over Socket Mode: its envelope type and payload. */
function envelopeOf(body: string): {
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts: boolean;
} {
  if (body.trimStart().startsWith('{')) {
    return { type: 'events_api', payload: JSON.parse(body), accepts: false };
  }
  const form = new URLSearchParams(body);
  const interaction = form.get('payload');
  if (interaction !== null) {
    const payload = JSON.parse(interaction) as Record<string, unknown>;
    // Slack takes a response in the ack only where HTTP would (options, view submissions).
    const accepts = payload.type === 'block_suggestion' || payload.type === 'view_submission';
    return { type: 'interactive', payload, accepts };
  }
  return { type: 'slash_commands', payload: Object.fromEntries(form), accepts: true };
}

/** Starts the endpoint and turns Socket Mode on in `fake` for `appToken`. */
export async function startFakeSocketMode(
  fake: FakeSlack,
  options: { appToken: string; appId?: string; pingIntervalMs?: number },
): Promise<FakeSocketMode> {
  const appId = options.appId ?? 'AGRANTFLOW';
  const tickets = new Set<string>();
  const pending = new Map<string, Pending>();
  const problems: string[] = [];
  const helloWaiters: { n: number; resolve: () => void }[] = [];
  let connections = 0;
  let current: WebSocket | undefined;
  let envelopes = 0;

  const wss = new WebSocketServer({ noServer: true });
  const server = http.createServer((_req, res) => {
    res.writeHead(404).end();
  });
  server.on('upgrade', (req, socket: Socket, head) => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/link/' || !tickets.delete(ticket)) {
      // A URL is good for one connection: the client must call apps.connections.open again.
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws));
  });

  function accept(ws: WebSocket) {
    current?.terminate();
    current = ws;
    connections += 1;
    const number = connections;
    ws.on('message', (data, isBinary) => onMessage(data.toString(), isBinary));
    // Slack pings; the client checks it hears them (and answers its own pings: ws pongs by itself).
    const ping = setInterval(() => ws.ping(), options.pingIntervalMs ?? 5_000);
    ws.on('close', () => clearInterval(ping));
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: appId },
      }),
    );
    for (const waiter of helloWaiters.filter((w) => w.n <= number)) {
      helloWaiters.splice(helloWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  function onMessage(text: string, isBinary: boolean) {
    let ack: unknown;
    try {
      ack = isBinary ? undefined : JSON.parse(text);
    } catch {
      ack = undefined;
    }
    const envelopeId = (ack as SocketAck | undefined)?.envelope_id;
    const payload = (ack as SocketAck | undefined)?.payload;
    const waiting = typeof envelopeId === 'string' ? pending.get(envelopeId) : undefined;
    if (!waiting || (payload !== undefined && (typeof payload !== 'object' || payload === null))) {
      problems.push(`not an ack of an envelope in flight: ${text.slice(0, 200)}`);
      return;
    }
    pending.delete(envelopeId as string);
    clearTimeout(waiting.timer);
    waiting.resolve(ack as SocketAck);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  fake.enableSocketMode({
    appToken: options.appToken,
    openUrl: () => {
      const ticket = randomBytes(16).toString('hex');
      tickets.add(ticket);
      return `ws://127.0.0.1:${port}/link/?ticket=${ticket}&app_id=${appId}`;
    },
  });

  return {
    get connections() {
      return connections;
    },
    waitForConnection(n, timeoutMs = 20_000) {
      if (connections >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `fake Socket Mode: connection ${n} not made within ${timeoutMs} ms (${connections} so far)`,
              ),
            ),
          timeoutMs,
        );
        helloWaiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    deliver(body, deliverOptions = {}) {
      const socket = current;
      if (!socket || socket.readyState !== socket.OPEN) {
        return Promise.reject(new Error('fake Socket Mode: no open connection to deliver on'));
      }
      const { type, payload, accepts } = envelopeOf(body);
      const envelopeId = deliverOptions.envelopeId ?? `env-${++envelopes}-${randomBytes(4).toString('hex')}`;
      const envelope = {
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: accepts,
        ...(type === 'events_api'
          ? {
              retry_attempt: deliverOptions.retryAttempt ?? 0,
              retry_reason: deliverOptions.retryReason ?? '',
            }
          : {}),
      };
      const timeoutMs = deliverOptions.timeoutMs ?? 10_000;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(envelopeId);
          problems.push(`envelope ${envelopeId} (${type}) never acked`);
          reject(new Error(`fake Socket Mode: no ack of ${envelopeId} (${type}) within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(envelopeId, { resolve: (ack) => resolve({ ...ack, envelopeId }), reject, timer });
        socket.send(JSON.stringify(envelope));
      });
    },
    disconnect(reason = 'refresh_requested') {
      current?.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } }));
    },
    drop() {
      current?.terminate();
    },
    async close() {
      for (const [id, waiting] of pending) {
        clearTimeout(waiting.timer);
        waiting.reject(new Error(`fake Socket Mode closed before ${id} was acked`));
      }
      pending.clear();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (problems.length > 0) {
        throw new Error(`fake Socket Mode: the app broke the protocol:\n  ${problems.join('\n  ')}`);
      }
    },
  };
}
