// How the scim connector talks to a SCIM service provider: the base URL and bearer token read from
// the environment at call time (a rotated token needs no restart), one fetch per call with a
// timeout, JSON both ways, and every failure classified once, in scim-errors.ts.
import { ConnectorError } from './connector.js';
import { endpointOf, readBounded } from './http.js';
import {
  classifyScimAnswer,
  classifyScimFetchFailure,
  type ScimContext,
  scimErrorOf,
} from './scim-errors.js';

/** Where the SCIM service is and which variable holds its token. */
export type ScimClientConfig = {
  resourceKey: string;
  /** The base URL, e.g. `https://api.example.com/scim/v2`. */
  baseUrl?: string;
  /** A variable holding the base URL; when set it wins over `baseUrl`. */
  baseUrlEnv?: string;
  /** The variable holding the bearer token. */
  tokenEnv: string;
};

/** What a client reads at call time. */
export type ScimClientDeps = {
  env: Record<string, string | undefined>;
  /** Whole-call budget (connect, send, answer) before a retryable timeout; default 10 s. */
  timeoutMs?: number;
  now?: () => Date;
};

/** One request: the path under the base URL, its query, its body, and what the path names. */
export type ScimCall = {
  method: 'GET' | 'PATCH';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  context: Omit<ScimContext, 'resourceKey' | 'tokenEnv' | 'endpoint'>;
  /** Statuses the caller handles itself: answered instead of thrown. */
  tolerate?: number[];
};

/** An answer the caller takes: its status, its JSON body (undefined when empty) and any SCIM error type. */
export type ScimAnswer = { status: number; body: unknown; scimType?: string };

/** Sends SCIM calls for one resource. */
export type ScimClient = { readonly resourceKey: string; send(call: ScimCall): Promise<ScimAnswer> };

// Generous for a group with many thousands of members, and still a bound on a server gone wrong.
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;
const SCIM_JSON = 'application/scim+json';

/** A client for `config`'s service; nothing is read from the environment until the first call. */
export function createScimClient(config: ScimClientConfig, deps: ScimClientDeps): ScimClient {
  const { resourceKey } = config;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const now = deps.now ?? (() => new Date());
  const misconfigured = (message: string, details: Record<string, unknown>) =>
    new ConnectorError('connector_misconfigured', `resource ${resourceKey}: ${message}`, {
      details: { resource: resourceKey, ...details },
    });

  // Messages name the variable, never its value: base URLs sometimes carry credentials.
  const baseUrl = (): string => {
    const fromEnv = config.baseUrlEnv ? deps.env[config.baseUrlEnv] : undefined;
    const url = fromEnv || config.baseUrl;
    const source = fromEnv ? `environment variable ${config.baseUrlEnv}` : 'the connector baseUrl';
    if (!url) {
      throw misconfigured(
        `environment variable ${config.baseUrlEnv} (the SCIM base URL) is not set and the connector has no baseUrl`,
        { variable: config.baseUrlEnv },
      );
    }
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      throw misconfigured(`${source} is not an http:// or https:// URL`, { variable: config.baseUrlEnv });
    }
    return url.replace(/\/+$/, '');
  };

  const token = (): string => {
    const value = deps.env[config.tokenEnv];
    if (!value) {
      throw misconfigured(`environment variable ${config.tokenEnv} (the SCIM bearer token) is not set`, {
        variable: config.tokenEnv,
      });
    }
    return value;
  };

  return {
    resourceKey,
    async send(call) {
      const url = `${baseUrl()}${call.path}${queryString(call.query)}`;
      const bearer = token();
      const context: ScimContext = {
        resourceKey,
        tokenEnv: config.tokenEnv,
        endpoint: endpointOf(url),
        ...call.context,
      };
      let response: Response;
      let text: string;
      let truncated: boolean;
      try {
        response = await fetch(url, {
          method: call.method,
          headers: {
            Accept: `${SCIM_JSON}, application/json`,
            Authorization: `Bearer ${bearer}`,
            'User-Agent': 'grantflow-connector',
            ...(call.body === undefined ? {} : { 'Content-Type': SCIM_JSON }),
          },
          ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
          // The bearer token goes to the configured server or nowhere.
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
        ({ text, truncated } = await readBounded(response, MAX_ANSWER_BYTES));
      } catch (error) {
        throw classifyScimFetchFailure(error, context, timeoutMs);
      }

      const { status } = response;
      const ok = status >= 200 && status < 300;
      if (!ok && !call.tolerate?.includes(status)) {
        throw classifyScimAnswer(
          {
            status,
            text,
            retryAfter: response.headers.get('retry-after'),
            location: response.headers.get('location'),
          },
          context,
          now(),
        );
      }
      if (!ok) return { status, body: undefined, ...scimErrorOf(text) };
      if (truncated) {
        throw new ConnectorError(
          'connector_rejected',
          `resource ${resourceKey}: ${context.endpoint} answered more than ${MAX_ANSWER_BYTES} bytes`,
          { details: { resource: resourceKey, endpoint: context.endpoint, status } },
        );
      }
      return { status, body: parseJson(text, context, status) };
    },
  };
}

// Spaces as %20, not `+`: not every SCIM server decodes a query as a form.
function queryString(query: Record<string, string> | undefined): string {
  const pairs = Object.entries(query ?? {}).map(
    ([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
  );
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
}

function parseJson(text: string, context: ScimContext, status: number): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ConnectorError(
      'connector_rejected',
      `resource ${context.resourceKey}: ${context.endpoint} answered ${status} with a body that is not JSON`,
      { details: { resource: context.resourceKey, endpoint: context.endpoint, status }, cause },
    );
  }
}
