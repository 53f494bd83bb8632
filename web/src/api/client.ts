// The one way the console talks to grantflow: the same REST API as the CLI and machines, typed
// from its OpenAPI document (schema.d.ts is generated: npm run api:types). The session cookie
// rides along; writes carry the session's CSRF token; a 401 sends the browser to sign in.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken: string | undefined;

/** Remembers the session's CSRF token for later writes (set from GET /api/v1/session). */
export function rememberCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Where the browser goes to sign in, coming back to where it was. */
export function signInUrl(returnTo = window.location.pathname + window.location.search): string {
  return `/auth/login?returnTo=${encodeURIComponent(returnTo)}`;
}

const session: Middleware = {
  onRequest({ request }) {
    if (csrfToken && UNSAFE.has(request.method)) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
  onResponse({ response, request }) {
    // The session endpoint's own 401 is how the app learns nobody is signed in; any other 401
    // means the session ended mid-use.
    if (response.status === 401 && !request.url.endsWith('/api/v1/session')) {
      window.location.assign(signInUrl());
    }
    return response;
  },
};

/** The typed API client. */
export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
api.use(session);

/** An API error's message, in the `{ error: { code, message } }` shape every route answers with. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The error's `details` (a validation error's `fields`: `[{ field, message }]`). */
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** A validation error's problems by field path (`name`, `scope.resources[0]`), else empty. */
  fieldErrors(): Record<string, string> {
    const fields = (this.details as { fields?: { field?: unknown; message?: unknown }[] } | undefined)
      ?.fields;
    const byField: Record<string, string> = {};
    for (const problem of Array.isArray(fields) ? fields : []) {
      if (typeof problem.field !== 'string' || typeof problem.message !== 'string') continue;
      byField[problem.field] = byField[problem.field]
        ? `${byField[problem.field]}; ${problem.message}`
        : problem.message;
    }
    return byField;
  }
}

/**
 * Unwraps an openapi-fetch result: the data, or an ApiError with the server's own message, so
 * TanStack Query's error state shows what the API said.
 */
export function must<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined) {
    const body = result.error as
      | { error?: { code?: string; message?: string; details?: unknown } }
      | undefined;
    throw new ApiError(
      result.response.status,
      body?.error?.code ?? 'http_error',
      body?.error?.message ?? `The server answered ${result.response.status}.`,
      body?.error?.details,
    );
  }
  return result.data;
}
