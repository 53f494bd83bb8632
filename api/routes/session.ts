// Console sign-in (OIDC code + PKCE through /auth/login and /auth/callback), sign-out, and the
// session the console reads. The use cases (identity/console-sign-in.ts) decide who may sign in
// and record it; these routes keep the cookies and the browser's redirects.
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as oidc from 'openid-client';
import { z } from 'zod';
import { GrantflowError } from '../../core/errors.js';
import { createSignIn, takeSignIn } from '../../db/queries/console-sessions.js';
import { endConsoleSession, finishConsoleSignIn } from '../../identity/console-sign-in.js';
import { sourceOf } from '../actor.js';
import type { ApiServer } from '../api-server.js';
import type { ApiDeps, ConsoleDeps } from '../deps.js';
import {
  clearSessionCookie,
  clearSignInCookie,
  readSession,
  SIGN_IN_COOKIE,
  setSessionCookie,
  setSignInCookie,
} from '../session/cookies.js';
import { checkCsrf } from '../session/csrf.js';
import { createOidcClient, type OidcClient, OidcExchangeError } from '../session/oidc.js';
import { errorBody } from './shared.js';

/** How long a sign-in may take at the IdP before /auth/callback refuses it. */
const SIGN_IN_TTL_SECONDS = 600;

/** 401 for the session routes: no live session. */
class NoSessionError extends GrantflowError {
  constructor() {
    super('unauthenticated', 'Not signed in to the console (or the session has ended).', { status: 401 });
  }
}

/**
 * Where to go after sign-in: a same-origin path only. Anything else (another origin, `//host`,
 * a backslash trick, a scheme) becomes `/`, so /auth/login is no open redirect.
 */
export function safeReturnTo(value: string | undefined): string {
  if (!value?.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  // The URL parser drops tabs and newlines, which could turn `/\t/host` into `//host`.
  if ([...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return '/';
  const base = 'http://console.invalid';
  const url = new URL(value, base);
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : '/';
}

function consoleOf(deps: ApiDeps): ConsoleDeps & { oidc: NonNullable<ConsoleDeps['oidc']> } {
  if (!deps.console?.oidc) {
    throw new GrantflowError(
      'sign_in_unavailable',
      'Console sign-in is not configured: set GRANTFLOW_OIDC_ISSUER and GRANTFLOW_OIDC_CLIENT_ID.',
      { status: 503 },
    );
  }
  return deps.console as ConsoleDeps & { oidc: NonNullable<ConsoleDeps['oidc']> };
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** A sign-in refusal as a page for a browser (no script, no inline style: the CSP allows neither). */
function refusalPage(error: GrantflowError): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in refused · grantflow</title></head>
<body><main><h1>Sign-in refused</h1><p>${escapeHtml(error.message)}</p><p>Code: ${escapeHtml(error.code)}</p>
<p><a href="/auth/login">Try again</a></p></main></body></html>`;
}

const rateLimited = (deps: ApiDeps) => ({
  rateLimit: { max: deps.console?.signInPerMinute ?? 20, timeWindow: '1 minute' },
});

function loginRoute(app: ApiServer, deps: ApiDeps, client: () => OidcClient): void {
  app.get(
    '/auth/login',
    {
      config: rateLimited(deps),
      schema: {
        tags: ['session'],
        operationId: 'signIn',
        summary: 'Start console sign-in: redirects to the identity provider (code + PKCE)',
        security: [],
        querystring: z.object({ returnTo: z.string().max(2_048).optional() }),
        response: {
          302: z.null().describe('Redirect to the identity provider'),
          429: errorBody.describe('Too many sign-in attempts from this address'),
          503: errorBody.describe('Console sign-in is not configured'),
        },
      },
    },
    async (request, reply) => {
      consoleOf(deps);
      const checks = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
      };
      const url = await client().authorizationUrl(checks);
      const handle = await createSignIn(
        deps.db,
        { ...checks, returnTo: safeReturnTo(request.query.returnTo) },
        SIGN_IN_TTL_SECONDS,
      );
      setSignInCookie(reply, handle, SIGN_IN_TTL_SECONDS);
      reply.header('cache-control', 'no-store');
      return reply.redirect(url.href, 302);
    },
  );
}

function callbackRoute(app: ApiServer, deps: ApiDeps, client: () => OidcClient): void {
  app.get(
    '/auth/callback',
    {
      config: rateLimited(deps),
      schema: {
        tags: ['session'],
        operationId: 'completeSignIn',
        summary: "The identity provider's redirect back: starts a session and redirects to returnTo",
        security: [],
        // Documents the answer's parameters; the exchange reads the raw URL, as the IdP sent it.
        querystring: z.object({
          code: z.string().max(4_096).optional(),
          state: z.string().max(1_024).optional(),
          iss: z.string().max(2_048).optional(),
          error: z.string().max(256).optional(),
          error_description: z.string().max(2_048).optional(),
        }),
        response: {
          302: z.null().describe('Signed in: redirect to returnTo (a same-origin path) or /'),
          400: errorBody.describe('The sign-in failed or lapsed (recorded as auth.session.refused)'),
          403: errorBody.describe(
            'Unknown, inactive or unverified person (recorded as auth.session.refused)',
          ),
          429: errorBody.describe('Too many sign-in attempts from this address'),
          503: errorBody.describe('Console sign-in is not configured'),
        },
      },
    },
    async (request, reply) => {
      const settings = consoleOf(deps);
      const handle = request.cookies[SIGN_IN_COOKIE];
      clearSignInCookie(reply);
      let returnTo = '/';
      try {
        const { cookieValue } = await finishConsoleSignIn(
          deps.db,
          settings.policy,
          async () => {
            const pending = handle ? await takeSignIn(deps.db, handle) : undefined;
            if (!pending) {
              throw new OidcExchangeError(
                'This sign-in is unknown, used already or took too long; start again.',
              );
            }
            returnTo = pending.returnTo;
            // The IdP redirected to our public URL: check the answer against that, not the listen address.
            const url = new URL(request.url, deps.config.publicUrl);
            return client().finish(url, pending);
          },
          sourceOf(request),
        );
        // Always a new random id: a cookie the browser had before is never adopted (fixation).
        setSessionCookie(reply, cookieValue, settings.policy.maxSeconds);
        reply.header('cache-control', 'no-store');
        return reply.redirect(safeReturnTo(returnTo), 302);
      } catch (error) {
        if (error instanceof GrantflowError && request.headers.accept?.includes('text/html')) {
          // A page, not the JSON the schema types: a person is looking at this answer.
          const page = reply as unknown as FastifyReply;
          return page.status(error.status).type('text/html; charset=utf-8').send(refusalPage(error));
        }
        throw error;
      }
    },
  );
}

function logoutRoute(app: ApiServer, deps: ApiDeps): void {
  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['session'],
        operationId: 'signOut',
        summary: 'Sign out of the console: the session is deleted (needs x-csrf-token)',
        security: [{ console: [] }],
        response: {
          204: z.null().describe('Signed out'),
          401: errorBody.describe('Not signed in'),
          403: errorBody.describe('CSRF check failed (csrf_failed)'),
        },
      },
    },
    async (request, reply) => {
      const session = await readSession(deps.db, request);
      if (!session) throw new NoSessionError();
      await checkCsrf(deps.db, request, session);
      await endConsoleSession(deps.db, session, sourceOf(request));
      clearSessionCookie(reply);
      return reply.status(204).send(null);
    },
  );
}

const sessionBody = z.object({
  person: z.object({ id: z.uuid(), email: z.string(), name: z.string() }),
  role: z.enum(['employee', 'admin', 'auditor']),
  csrfToken: z.string(),
  expiresAt: z.string(),
  idleExpiresAt: z.string(),
});

function sessionRoute(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/api/v1/session',
    {
      schema: {
        tags: ['session'],
        operationId: 'getSession',
        summary: 'The signed-in console session: who, which role, the CSRF token and when it ends',
        security: [{ console: [] }],
        response: { 200: sessionBody, 401: errorBody.describe('Not signed in') },
      },
    },
    async (request, reply) => {
      const session = await readSession(deps.db, request);
      if (!session) throw new NoSessionError();
      reply.header('cache-control', 'no-store');
      return {
        person: { id: session.personId, email: session.email, name: session.name },
        role: session.role,
        csrfToken: session.csrfToken,
        expiresAt: session.expiresAt.toISOString(),
        idleExpiresAt: session.idleExpiresAt.toISOString(),
      };
    },
  );
}

/** Sign-in, sign-out and the session; the OIDC client is made once, on first use. */
export function sessionRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  let oidcClient: OidcClient | undefined;
  const client = () => {
    const settings = consoleOf(deps);
    oidcClient ??= createOidcClient(settings.oidc, `${deps.config.publicUrl}/auth/callback`);
    return oidcClient;
  };
  return async (app) => {
    loginRoute(app, deps, client);
    callbackRoute(app, deps, client);
    logoutRoute(app, deps);
    sessionRoute(app, deps);
  };
}
