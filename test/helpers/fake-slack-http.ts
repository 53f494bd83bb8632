// The fake Slack's HTTP plumbing: request bodies as WebClient and respond() encode them, JSON
// answers, and a readable list of calls for failure messages.
import type http from 'node:http';
import type { SlackCall } from './fake-slack.js';

// WebClient JSON-encodes every non-scalar argument into a form field; these are the ones tests read.
const JSON_FIELDS = ['blocks', 'view', 'attachments', 'metadata'];

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
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
export async function parseArgs(
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

export function send(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export function describeCalls(calls: SlackCall[]): string {
  if (calls.length === 0) return '  (none)';
  return calls
    .map((call) => {
      const { blocks, view, ...rest } = call.args;
      const shown = JSON.stringify(rest).slice(0, 200);
      const extra = [blocks ? 'blocks' : '', view ? 'view' : ''].filter(Boolean).join(', ');
      const { ok, error, errors } = call.response.body;
      const why = Array.isArray(errors) ? ` (${errors.slice(0, 5).join('; ')})` : '';
      return `  ${call.method} ${call.response.status}${ok === false ? ` ${error}${why}` : ''} ${shown}${extra ? ` (+${extra})` : ''}`;
    })
    .join('\n');
}
