// SCIM's own error shape (RFC 7644 §3.12): `{ schemas: [Error], status: "400", scimType, detail }`,
// for every failure under /scim/v2, including malformed JSON, unknown routes and bad tokens.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { ScimError as PatchLibraryError } from 'scim-patch';
import {
  ConflictError,
  GrantflowError,
  NotAllowedError,
  NotFoundError,
  ValidationError,
} from '../../core/errors.js';

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
/** The media type of every SCIM answer. */
export const SCIM_MEDIA_TYPE = 'application/scim+json; charset=utf-8';

/** RFC 7644 Table 9's `scimType` values this service provider answers with. */
export type ScimType =
  | 'invalidFilter'
  | 'invalidSyntax'
  | 'invalidValue'
  | 'invalidPath'
  | 'noTarget'
  | 'uniqueness'
  | 'mutability'
  | 'tooMany';

/** A refusal in SCIM terms, thrown by the SCIM door. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly scimType?: ScimType,
  ) {
    super(message);
  }
}

/** The SCIM error body for a status, an optional scimType and the detail. */
function scimErrorBody(status: number, detail: string, scimType?: ScimType) {
  return { schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail };
}

/** Sends a SCIM error. */
function sendScimError(reply: FastifyReply, status: number, detail: string, scimType?: ScimType) {
  return reply
    .status(status)
    .type(SCIM_MEDIA_TYPE)
    .send(scimErrorBody(status, detail, scimType));
}

/** The use cases' and libraries' errors as SCIM errors; anything unexpected is a logged 500. */
function toScim(error: FastifyError | Error): { status: number; detail: string; scimType?: ScimType } {
  if (error instanceof ScimError)
    return { status: error.status, detail: error.message, scimType: error.scimType };
  if (error instanceof PatchLibraryError) {
    const scimType = error.scimCode === 'noTarget' ? 'noTarget' : 'invalidSyntax';
    return { status: 400, detail: error.message, scimType };
  }
  if (error instanceof ConflictError) return { status: 409, detail: error.message, scimType: 'uniqueness' };
  if (error instanceof ValidationError)
    return { status: 400, detail: error.message, scimType: 'invalidValue' };
  if (error instanceof NotFoundError) return { status: 404, detail: error.message };
  if (error instanceof NotAllowedError) return { status: 403, detail: error.message };
  if (error instanceof GrantflowError && error.status < 500)
    return { status: error.status, detail: error.message };
  const code = (error as FastifyError).code;
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
    return { status: 400, detail: `The body is not valid JSON: ${error.message}`, scimType: 'invalidSyntax' };
  }
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return { status: 400, detail: 'The body is empty; send a SCIM JSON object.', scimType: 'invalidSyntax' };
  }
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, detail: 'The body is too large.' };
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { status: 415, detail: 'Send the body as application/scim+json (or application/json).' };
  }
  const status = (error as FastifyError).statusCode;
  if (status && status < 500) return { status, detail: error.message };
  return { status: 500, detail: 'Something went wrong on our side; it has been logged.' };
}

/** Answers an error Fastify raised before routing (see `frameworkError`) in SCIM's shape. */
export function sendScimFrameworkError(reply: FastifyReply, error: FastifyError) {
  return sendScimError(reply, error.statusCode ?? 400, error.message);
}

/** Error and not-found handlers for the SCIM plugin's scope. */
export function registerScimErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, detail, scimType } = toScim(error);
    if (status >= 500) request.log.error({ err: error }, 'SCIM request failed');
    return sendScimError(reply, status, detail, scimType);
  });
  app.setNotFoundHandler((request, reply) =>
    sendScimError(reply, 404, `No SCIM resource at ${request.method} ${request.url}`),
  );
}
