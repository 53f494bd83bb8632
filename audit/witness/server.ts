// The witness's HTTP door: POST /add-checkpoint per tlog-witness, one request at a time so that
// checking the old size and persisting the new head cannot interleave (the spec's rollback race).
// Every refusal is kept in the state directory with the request, as possible proof of a log
// misbehaving, and logged at error level.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Logger } from '../../core/logger.js';
import { addCheckpoint } from './add-checkpoint.js';
import { loadWitnessState, lockWitnessState, recordRefusal, saveHeads } from './state.js';

/** Largest request accepted: 63 proof lines and a checkpoint with its signatures fit many times over. */
const MAX_REQUEST_BYTES = 64 * 1024;

/** A serving witness; `close()` stops it and releases the state directory. */
export type RunningWitness = { server: Server; port: number; close(): Promise<void> };

/** Serves the witness whose state is in `dir` on host:port (0 picks a free port). */
export async function serveWitness(
  dir: string,
  listen: { host: string; port: number },
  log: Logger,
): Promise<RunningWitness> {
  const release = lockWitnessState(dir);
  let state: ReturnType<typeof loadWitnessState>;
  try {
    state = loadWitnessState(dir);
  } catch (error) {
    release();
    throw error;
  }
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(task: () => T): Promise<T> => {
    const next = queue.then(task);
    queue = next.catch(() => {});
    return next;
  };

  const server = createServer(async (request, response) => {
    const answer = (status: number, body: string, contentType = 'text/plain; charset=utf-8') => {
      response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
      response.end(body);
    };
    if (request.url !== '/add-checkpoint') return answer(404, 'not found\n');
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      return answer(405, 'use POST\n');
    }
    let text: string;
    try {
      text = await readBody(request);
    } catch (error) {
      return answer(413, `${(error as Error).message}\n`);
    }
    try {
      const result = await serially(() => {
        const outcome = addCheckpoint(state, text);
        if (outcome.head && outcome.origin) {
          const heads = { ...state.heads, [outcome.origin]: outcome.head };
          saveHeads(dir, heads);
          state = { ...state, heads };
        } else if (outcome.status !== 200) {
          const refusal = {
            at: new Date().toISOString(),
            status: outcome.status,
            reason: outcome.reason,
            origin: outcome.origin,
            from: request.socket.remoteAddress,
            request: text,
          };
          recordRefusal(dir, refusal);
          log.error(
            { status: outcome.status, origin: outcome.origin, reason: outcome.reason },
            `witness refused a checkpoint: ${outcome.reason}`,
          );
        }
        return outcome;
      });
      if (result.head) {
        log.info({ origin: result.origin, size: result.head.size }, 'witness cosigned a checkpoint');
      }
      answer(result.status, result.body, result.contentType);
    } catch (error) {
      log.error({ err: error }, 'witness could not handle a checkpoint');
      answer(500, 'the witness could not record its state\n');
    }
  });
  // Logs keep a connection open between checkpoints (the spec asks witnesses to allow it).
  server.keepAliveTimeout = 60_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port, listen.host, () => resolve());
    });
  } catch (error) {
    release();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : listen.port;
  log.info({ host: listen.host, port, witness: state.key.name }, `witness ${state.key.verifierKey} serving`);
  return {
    server,
    port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await queue;
      release();
    },
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) throw new Error(`request larger than ${MAX_REQUEST_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
