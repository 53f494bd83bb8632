// A flood of identical HTTP requests, sent from a worker thread so that the flooder's own work
// (building requests, reading answers) runs beside the API's event loop rather than on it: what
// the test measures on the main thread is the API's latency, not the attacker's.
import { Worker } from 'node:worker_threads';

/** What one flood is made of. */
export type FloodSpec = {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  count: number;
  /** Requests in flight at once (one keep-alive connection each). */
  concurrency: number;
};

/** How the API answered: a count per status, transport errors, and how long it all took. */
export type FloodResult = { statuses: Record<string, number>; errors: number; ms: number };

// Plain CommonJS: an eval'd worker gets no TypeScript transform.
const FLOODER = `
const { workerData, parentPort } = require('node:worker_threads');
const http = require('node:http');
const { url, method, headers, body, count, concurrency } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const statuses = {};
let errors = 0;
let sent = 0;
const started = Date.now();
const payload = body === undefined ? undefined : Buffer.from(body);
function one() {
  return new Promise((resolve) => {
    const request = http.request(url, {
      method,
      agent,
      headers: payload ? { ...headers, 'content-length': payload.length } : headers,
    }, (response) => {
      response.resume();
      response.on('end', () => {
        statuses[response.statusCode] = (statuses[response.statusCode] || 0) + 1;
        resolve();
      });
    });
    request.on('error', () => { errors += 1; resolve(); });
    request.end(payload);
  });
}
async function lane() {
  while (sent < count) {
    sent += 1;
    await one();
  }
}
Promise.all(Array.from({ length: concurrency }, lane)).then(() => {
  agent.destroy();
  parentPort.postMessage({ statuses, errors, ms: Date.now() - started });
});
`;

/** Starts a flood; resolves when every request has been answered (or failed). */
export function flood(spec: FloodSpec): Promise<FloodResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(FLOODER, { eval: true, workerData: spec });
    worker.once('message', (result: FloodResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0 && code !== 1) reject(new Error(`the flood worker exited with ${code}`));
    });
  });
}

/** The q-quantile (0..1) of some latencies, in ms. */
export function quantile(samples: number[], q: number): number {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
