// Text PostgreSQL cannot hold is refused at the door: U+0000 is valid in JSON and in a URL, but no
// text or jsonb column can store it, so a NUL that reached a query failed there with a 500 (found
// by the REST fuzzer: a reason, a resource key, a ledger search term). Refused here, before
// validation, with the field it was in, and before anything is read or written.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationError } from '../core/errors.js';

/** Where a NUL was found: `body.reason`, `querystring.resource`, `params.key`. */
function nulField(request: FastifyRequest): string | undefined {
  const pending: [string, unknown][] = [
    ['params', request.params],
    ['querystring', request.query],
    ['body', request.body],
  ];
  // A loop, not recursion: a body may nest thousands deep.
  while (pending.length > 0) {
    const [path, value] = pending.pop() as [string, unknown];
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return path;
    } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
      for (const [key, inner] of Object.entries(value)) {
        if (key.includes('\u0000')) return path;
        pending.push([`${path}.${key}`, inner]);
      }
    }
  }
  return undefined;
}

/** Refuses, with 400, any request whose params, query or body holds U+0000 in a key or a value. */
export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const field = nulField(request);
    if (field === undefined) return;
    const message = 'must not contain the character U+0000';
    throw new ValidationError(`Invalid request: ${field} ${message}`, { fields: [{ field, message }] });
  });
}
