// The dev identity provider (oidc-provider) that `grantflow dev` and the tests sign in through,
// so console sign-in runs the production relying-party code. Its accounts are the directory's
// active people; its login form asks for an email and no password (dev only). One client,
// `grantflow-console`, a public client that must use PKCE.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import { eq } from 'drizzle-orm';
import type { interactionPolicy as InteractionPolicy } from 'oidc-provider';
import type { Executor } from '../db/client.js';
import { people } from '../db/schema.js';

/** The client id the dev IdP registers for the console. */
const DEV_CLIENT_ID = 'grantflow-console';

/** The claims the IdP vouches for, by email; undefined: no such account. */
export type DevAccountClaims = { email: string; email_verified: boolean; name: string };

/** A running dev IdP. */
export type DevIdp = { issuer: string; clientId: string; close(): Promise<void> };

/** The directory's active person with `email`, as the IdP's account. */
export function directoryAccounts(db: Executor) {
  return async (email: string): Promise<DevAccountClaims | undefined> => {
    const [person] = await db
      .select({ email: people.email, name: people.name, status: people.status })
      .from(people)
      .where(eq(people.email, email.trim().toLowerCase()))
      .limit(1);
    if (person?.status !== 'active') return undefined;
    return { email: person.email, email_verified: true, name: person.name };
  };
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function loginPage(uid: string, error?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in · grantflow dev IdP</title></head>
<body><main><h1>grantflow dev sign-in</h1>
<p>Development identity provider: enter the email of an active person in the directory (no password).</p>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}">
<label for="email">Email</label> <input id="email" name="email" type="email" autocomplete="username" required autofocus>
<button type="submit">Sign in</button></form></main></body></html>`;
}

async function readForm(request: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 16_384) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The IdP's login prompt, asked on every authorization (unless this very interaction just
 * answered it): signing out of the console and in again as someone else must work in dev.
 */
function alwaysAskPolicy(interactionPolicy: typeof InteractionPolicy) {
  const policy = interactionPolicy.base();
  policy
    .get('login')
    ?.checks.add(
      new interactionPolicy.Check('dev_always_login', 'the dev IdP asks who you are every time', (ctx) =>
        ctx.oidc.result?.login
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT,
      ),
    );
  return policy;
}

/**
 * Starts the dev IdP on `host:port` for a console at `publicUrl`. `accounts` says whom it knows
 * (default: the directory's active people); tests pass others to reach the console's refusals.
 */
export async function startDevOidcProvider(options: {
  accounts: (email: string) => Promise<DevAccountClaims | undefined>;
  publicUrl: string;
  port: number;
  host?: string;
}): Promise<DevIdp> {
  const host = options.host ?? '127.0.0.1';
  const issuer = `http://${host}:${options.port}`;
  // A fresh key per run: tokens from a previous run must not verify, and nothing is kept on disk.
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  // Loaded here, not at the top: every CLI command imports `grantflow dev`'s module, and
  // oidc-provider warns about the Node.js version on import; only the dev stack and tests need it.
  const { default: Provider, interactionPolicy } = await import('oidc-provider');
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: DEV_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        redirect_uris: [`${options.publicUrl}/auth/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), alg: 'ES256', use: 'sig', kid: 'dev' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    // Short lives: a dev sign-in takes seconds, and the console keeps its own session.
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Session: 3_600,
      Grant: 3_600,
    },
    // The console matches people by the ID token's email, as with most company IdPs.
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
      policy: alwaysAskPolicy(interactionPolicy),
    },
    features: { devInteractions: { enabled: false } },
    async findAccount(_ctx, sub) {
      const claims = await options.accounts(sub);
      return claims && { accountId: sub, claims: () => ({ sub, ...claims }) };
    },
  });
  const oidcHandler = provider.callback();

  const interaction = async (request: http.IncomingMessage, response: http.ServerResponse) => {
    const details = await provider.interactionDetails(request, response);
    if (request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(loginPage(details.uid));
      return;
    }
    const email = (await readForm(request)).get('email')?.trim().toLowerCase() ?? '';
    const claims = email ? await options.accounts(email) : undefined;
    if (!claims) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(loginPage(details.uid, `No active person with the email "${email}" in the directory.`));
      return;
    }
    // Consent is implied in dev: the one client is the console itself.
    const grant = new provider.Grant({ accountId: email, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope ?? 'openid'));
    const grantId = await grant.save();
    await provider.interactionFinished(
      request,
      response,
      { login: { accountId: email }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  };

  const server = http.createServer((request, response) => {
    if (request.url?.startsWith('/interaction/')) {
      interaction(request, response).catch((error: Error) => {
        if (!response.headersSent) response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
        response.end(`Sign-in failed: ${error.message}`);
      });
      return;
    }
    oidcHandler(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  return {
    issuer,
    clientId: DEV_CLIENT_ID,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
