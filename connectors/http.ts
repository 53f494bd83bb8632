// What the connectors that speak HTTP through the global fetch (webhook, scim) share: reading an
// answer without buffering whatever a misbehaving server sends, naming an endpoint without the
// query string (which sometimes carries tokens), saying why a request never got an answer, and
// reading Retry-After.

/** The start of an answer's body (at most `maxBytes`), and whether there was more. */
export type BoundedBody = { text: string; truncated: boolean };

/** Reads at most `maxBytes` of the body, then stops the download. */
export async function readBounded(response: Response, maxBytes: number): Promise<BoundedBody> {
  if (!response.body) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (size > maxBytes) {
        truncated = true;
        break;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const bytes = Buffer.concat(chunks);
  return { text: bytes.subarray(0, maxBytes).toString('utf8'), truncated };
}

/** `text` on one line and cut to `chars`, for an error message. */
export function excerptOf(text: string, chars: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > chars ? `${line.slice(0, chars)}…` : line;
}

/** The URL's origin and path, without query or credentials; `(invalid URL)` when it does not parse. */
export function endpointOf(url: string): string {
  return URL.canParse(url) ? `${new URL(url).origin}${new URL(url).pathname}` : '(invalid URL)';
}

/** Why a fetch got no answer: the timeout, or the network error behind "fetch failed". */
export function describeFetchFailure(error: unknown, timeoutMs: number): string {
  if ((error as { name?: unknown } | null)?.name === 'TimeoutError')
    return `no answer within ${timeoutMs} ms`;
  // fetch reports every network failure as "fetch failed"; the useful part is the cause.
  const cause = (error as { cause?: { message?: unknown } } | null)?.cause;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** The network error code behind a failed fetch (`ECONNREFUSED`, `CERT_HAS_EXPIRED`, ...), if any. */
export function fetchFailureCode(error: unknown): string | undefined {
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Retry-After (seconds or an HTTP date) as a delay from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
