import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { GrantflowError } from '../core/errors.js';

/** Every error response: `{ error: { code, message, details } }`. */
export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

/**
 * Answers a path no route serves, before the JSON 404: the console serves its pages this way, so
 * deep links work while plugins with a not-found handler of their own (SCIM) keep it. Resolves
 * true when it answered.
 */
export type NotFoundFallback = (request: FastifyRequest, reply: FastifyReply) => Promise<boolean>;

/** Maps every failure to DESIGN's error shape with the right status; never leaks internals on 500. */
export function registerErrorHandling(app: FastifyInstance, fallback?: NotFoundFallback): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields = error.validation.map((issue) => ({
        field: `${error.validationContext ?? 'request'}${issue.instancePath.replaceAll('/', '.')}`,
        message: issue.message ?? 'is invalid',
      }));
      return reply.status(400).send(body('validation_failed', describeFields(fields), { fields }));
    }
    if (error instanceof GrantflowError) {
      if (error.status >= 500) request.log.error({ err: error }, error.message);
      return reply.status(error.status).send(body(error.code, error.message, error.details));
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema');
      return reply.status(500).send(body('internal_error', 'The server failed to build its response.'));
    }
    const status = error.statusCode ?? 500;
    if (status < 500) return reply.status(status).send(body(clientCode(error), error.message));
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .status(500)
      .send(body('internal_error', 'Something went wrong on our side; it has been logged.'));
  });
  app.setNotFoundHandler(async (request, reply) => {
    if (fallback && (await fallback(request, reply))) return reply;
    return reply.status(404).send(body('route_not_found', `No route ${request.method} ${request.url}`));
  });
}

/**
 * Errors Fastify raises before routing (a malformed URL, a path parameter over the length limit)
 * reach no scope's error handler: answered in the shape of the door the URL belongs to, a
 * `prefix` with its own sender, else DESIGN's.
 */
export function frameworkError(
  scopes: { prefix: string; send: (reply: FastifyReply, error: FastifyError) => unknown }[],
) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const scope = scopes.find(({ prefix }) => request.url.startsWith(prefix));
    if (scope) return scope.send(reply, error);
    return reply.status(error.statusCode ?? 400).send(body(clientCode(error), error.message));
  };
}

function body(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

function describeFields(fields: { field: string; message: string }[]): string {
  return `Invalid request: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`;
}

function clientCode(error: FastifyError): string {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'payload_too_large';
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'unsupported_media_type';
  if (error.code?.startsWith('FST_ERR_CTP')) return 'invalid_body';
  return 'bad_request';
}
