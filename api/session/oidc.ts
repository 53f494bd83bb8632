// The console's OpenID Connect relying party (openid-client): authorization code with PKCE, state
// and nonce. Discovery runs on first use and is kept, so the API starts even while the IdP is down
// and a failed discovery is tried again at the next sign-in.
import * as oidc from 'openid-client';
import { GrantflowError } from '../../core/errors.js';

/** How the console reaches the company's IdP. */
export type OidcSettings = { issuer: string; clientId: string; clientSecret?: string };

/** What /auth/login keeps for the callback to check. */
export type AuthorizationChecks = { state: string; nonce: string; codeVerifier: string };

/** The verified identity an IdP vouched for. */
export type OidcIdentity = {
  issuer: string;
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
};

/** The IdP could not be reached or the exchange failed its checks (state, nonce, PKCE, signature). */
export class OidcExchangeError extends GrantflowError {
  constructor(message: string, cause?: unknown) {
    super('sign_in_failed', message, { status: 400, cause });
  }
}

/** The relying party: where to send the browser, and how to turn the callback into an identity. */
export type OidcClient = {
  authorizationUrl(checks: AuthorizationChecks): Promise<URL>;
  finish(callbackUrl: URL, checks: AuthorizationChecks): Promise<OidcIdentity>;
};

/** Plain http is allowed only for an issuer on this machine (the dev IdP, tests). */
function isLocalHttp(issuer: URL): boolean {
  return issuer.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
}

/** A relying party for `settings` whose callback is `redirectUri`. */
export function createOidcClient(settings: OidcSettings, redirectUri: string): OidcClient {
  const issuer = new URL(settings.issuer);
  let configuration: Promise<oidc.Configuration> | undefined;
  const configured = () => {
    configuration ??= oidc
      .discovery(
        issuer,
        settings.clientId,
        { redirect_uris: [redirectUri] },
        settings.clientSecret ? oidc.ClientSecretPost(settings.clientSecret) : oidc.None(),
        isLocalHttp(issuer) ? { execute: [oidc.allowInsecureRequests] } : {},
      )
      .catch((error: unknown) => {
        configuration = undefined;
        throw new GrantflowError(
          'idp_unavailable',
          `The identity provider at ${issuer.href} could not be reached for discovery.`,
          { status: 502, cause: error },
        );
      });
    return configuration;
  };

  return {
    async authorizationUrl(checks) {
      const config = await configured();
      return oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        response_type: 'code',
        state: checks.state,
        nonce: checks.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
      });
    },
    async finish(callbackUrl, checks) {
      const config = await configured();
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        throw new OidcExchangeError(`The sign-in could not be completed: ${(error as Error).message}`, error);
      }
      const claims = tokens.claims();
      if (!claims) throw new OidcExchangeError('The identity provider returned no ID token.');
      let { email, email_verified: verified, name } = claims;
      // Some IdPs keep email out of the ID token; the userinfo answer is bound to the same subject.
      if (email === undefined) {
        const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
        ({ email, email_verified: verified, name } = info);
      }
      return {
        issuer: claims.iss,
        subject: claims.sub,
        email: typeof email === 'string' ? email.toLowerCase() : undefined,
        emailVerified: verified === true,
        name: typeof name === 'string' ? name : undefined,
      };
    },
  };
}
