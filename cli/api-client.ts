// The `request` and `grants` commands are a thin client of the HTTP API: the API authenticates,
// authorizes and audits, so these commands never open the database. This file finds the API and a
// token, and turns the API's error bodies into GrantflowErrors that print the API's own words.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../core/config.js';
import { GrantflowError, ValidationError } from '../core/errors.js';
import { readStackState } from '../dev/state.js';
import { cliContext } from './context.js';

/** How long one call may take: a decision waits for the workflow to accept it. */
const CALL_TIMEOUT_MS = 60_000;

/** `--api` and `--token`, as every command that calls the API takes them. */
export type ApiOptions = { api?: string; token?: string };

/** Where the calls go and who they act as; `tokenSource` says where the token came from. */
export type ApiTarget = { baseUrl: string; token: string; tokenSource: string };

/** API field names (`durationSeconds`) to the CLI flags the user typed (`--duration`), for 400s. */
export type FieldFlags = Record<string, string>;

/** A call to the API: GET with a query, or POST with a JSON body. */
export type ApiCall = {
  query?: Record<string, string | number | undefined>;
  body?: Record<string, unknown>;
  flags?: FieldFlags;
  /** Answer with the body as text (a CSV report) instead of parsed JSON. */
  raw?: boolean;
  /** Answer with the body's bytes (an evidence pack's zip). */
  binary?: boolean;
};

/** A client bound to one API and token; paths are under `/api/v1`. */
export type ApiClient = {
  target: ApiTarget;
  get<T>(path: string, call?: ApiCall): Promise<T>;
  post<T>(path: string, call?: ApiCall): Promise<T>;
};

/** The API refused or failed: carries its HTTP status and its `code`, `message` and `details`. */
export class ApiError extends GrantflowError {
  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, { status, ...(details ? { details } : {}) });
  }
}

/** Adds `--api` and `--token` to a command that calls the API. */
export function withApiOptions(command: Command): Command {
  return command
    .option(
      '--api <url>',
      'API base URL (default: GRANTFLOW_API_URL, else the running grantflow dev, else http://127.0.0.1:$PORT)',
    )
    .option('--token <token>', 'API token (default: GRANTFLOW_TOKEN, else the grantflow dev admin token)');
}

/** A client for the API the options, the environment or the running dev stack name. */
export function connectApi(options: ApiOptions): ApiClient {
  const target = resolveApiTarget(options, cliContext().config);
  return {
    target,
    get: (apiPath, call = {}) => callApi(target, 'GET', apiPath, call),
    post: (apiPath, call = {}) => callApi(target, 'POST', apiPath, call),
  };
}

/**
 * Base URL: `--api`, GRANTFLOW_API_URL, the running `grantflow dev`, `http://127.0.0.1:$PORT`.
 * Token: `--token`, GRANTFLOW_TOKEN, the dev admin token; that last one only goes to a local API,
 * so naming a remote API never sends it this machine's admin token.
 */
function resolveApiTarget(options: ApiOptions, config: Config): ApiTarget {
  if (options.api !== undefined && !isHttpUrl(options.api)) {
    throw new ValidationError(`--api: must be an http:// or https:// URL (got "${options.api}")`);
  }
  const named = options.api ?? config.GRANTFLOW_API_URL;
  const baseUrl = normalizeBaseUrl(
    named ?? readStackState(config.dataDir)?.apiUrl ?? `http://127.0.0.1:${config.PORT}`,
  );
  if (options.token) return { baseUrl, token: options.token, tokenSource: '--token' };
  if (config.GRANTFLOW_TOKEN)
    return { baseUrl, token: config.GRANTFLOW_TOKEN, tokenSource: 'GRANTFLOW_TOKEN' };
  const dev = named === undefined || isLoopback(baseUrl) ? readDevAdminToken(config.dataDir) : undefined;
  if (dev) return { baseUrl, token: dev.token, tokenSource: `the grantflow dev admin token (${dev.email})` };
  throw new GrantflowError(
    'token_missing',
    'no API token: pass --token <token> or set GRANTFLOW_TOKEN. Get one with ' +
      '`grantflow token create --user <email> --role employee`, or run `grantflow dev`, ' +
      'which keeps an admin token for this machine.',
    { status: 401 },
  );
}

/** The token `grantflow dev` keeps in the data directory (see dev/dev-token.ts), if any. */
function readDevAdminToken(dataDir: string): { token: string; email: string } | undefined {
  const file = path.join(dataDir, 'dev-admin-token.json');
  if (!existsSync(file)) return undefined;
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { token?: unknown; email?: unknown };
    return typeof saved.token === 'string' && typeof saved.email === 'string'
      ? { token: saved.token, email: saved.email }
      : undefined;
  } catch {
    return undefined;
  }
}

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
}

function isLoopback(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
}

// People paste what `grantflow dev` prints or the OpenAPI URL; both name the same API.
function normalizeBaseUrl(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
}

async function callApi<T>(
  target: ApiTarget,
  method: 'GET' | 'POST',
  apiPath: string,
  call: ApiCall,
): Promise<T> {
  const url = new URL(`${target.baseUrl}/api/v1${apiPath}`);
  for (const [key, value] of Object.entries(call.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${target.token}`,
        accept: 'application/json',
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
      },
      // Every POST route takes a JSON object; an empty body would be refused as malformed.
      ...(method === 'POST' ? { body: JSON.stringify(call.body ?? {}) } : {}),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
  } catch (error) {
    throw unreachable(target, error);
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  if (response.ok && call.binary) return bytes as T;
  const text = bytes.toString('utf8');
  const parsed = parseJson(text);
  if (response.ok) return (call.raw ? text : parsed) as T;
  throw refusal(target, response, parsed, call.flags ?? {});
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function unreachable(target: ApiTarget, error: unknown): GrantflowError {
  if ((error as Error).name === 'TimeoutError') {
    return new GrantflowError(
      'api_timeout',
      `the API at ${target.baseUrl} did not answer within ${CALL_TIMEOUT_MS / 1000} s; is its worker running?`,
      { cause: error },
    );
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return new GrantflowError(
    'api_unreachable',
    `cannot reach the grantflow API at ${target.baseUrl} (${cause?.code ?? cause?.message ?? (error as Error).message}): ` +
      'start it with `grantflow dev`, or name it with --api or GRANTFLOW_API_URL',
    { cause: error },
  );
}

type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };

function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}

function refusal(target: ApiTarget, response: Response, body: unknown, flags: FieldFlags): ApiError {
  if (!isErrorBody(body)) {
    return new ApiError(
      response.status,
      `http_${response.status}`,
      `the API at ${target.baseUrl} answered ${response.status} ${response.statusText}`,
    );
  }
  const { code, details } = body.error;
  let message = body.error.message;
  const fields = fieldsOf(details);
  if (fields.length > 0) {
    // The API's summary repeats the fields inline; one per line, named as flags, reads better.
    const headline = /^Invalid \w+: /.test(message) ? message.slice(0, message.indexOf(':') + 1) : message;
    message = [headline, ...fields.map((f) => `  ${flagFor(f.field, flags)}: ${f.message}`)].join('\n');
  }
  if (response.status === 401) message += ` (token from ${target.tokenSource})`;
  return new ApiError(response.status, code, message, details);
}

function fieldsOf(details: Record<string, unknown> | undefined): { field: string; message: string }[] {
  const fields = details?.fields;
  if (!Array.isArray(fields)) return [];
  return fields.filter(
    (f): f is { field: string; message: string } =>
      typeof f?.field === 'string' && typeof f?.message === 'string',
  );
}

// `body.durationSeconds` → `--duration`; `params.id` → `<id>`; `scope.resources[1]` → the flag of
// `scope.resources` (a repeated flag); unmapped names lose only the prefix.
function flagFor(field: string, flags: FieldFlags): string {
  const name = field.replace(/^(body|querystring|params)\.?/, '');
  if (name === '') return 'request';
  const flag = flags[name] ?? flags[name.replace(/\[\d+\]$/, '')];
  return flag ?? (field.startsWith('params.') ? `<${name}>` : name);
}
