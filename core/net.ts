import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** True when nothing listens on host:port (we could bind it ourselves). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the OS says is free right now. */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host }, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The preferred port when it is free, otherwise any free one (0 means any). */
export async function preferredOrFreePort(preferred: number, host = '127.0.0.1'): Promise<number> {
  return preferred !== 0 && (await isPortFree(preferred, host)) ? preferred : findFreePort(host);
}

/**
 * Polls `probe` until it resolves truthy; rejects with the last probe error after `timeoutMs`.
 * `abort` lets the caller stop early (e.g. the child process died).
 */
export async function waitUntil(
  probe: () => Promise<boolean>,
  {
    timeoutMs,
    intervalMs = 200,
    abort,
  }: { timeoutMs: number; intervalMs?: number; abort?: () => Error | undefined },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const aborted = abort?.();
    if (aborted) throw aborted;
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms`, { cause: lastError });
}
