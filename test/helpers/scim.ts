// Talking SCIM to the real API through `inject`, as an identity provider does: a connection token
// from the admin route, requests with the IdP's content type, and the ledger events they left.
import type postgres from 'postgres';
import { expect } from 'vitest';
import type { ApiServer } from '../../api/server.js';
import { bearer } from './api.js';

/** An answer: status, parsed body (undefined when empty) and headers. */
// biome-ignore lint/suspicious/noExplicitAny: tests read SCIM answers field by field, as JSON
export type ScimAnswer = { status: number; body: any; headers: Record<string, unknown> };

/** A SCIM client for one connection token. */
export type ScimClient = {
  get(url: string): Promise<ScimAnswer>;
  post(url: string, body: unknown): Promise<ScimAnswer>;
  put(url: string, body: unknown): Promise<ScimAnswer>;
  patch(url: string, body: unknown): Promise<ScimAnswer>;
  delete(url: string): Promise<ScimAnswer>;
};

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Creates connection `name` through the admin route and returns its token. */
export async function connectionToken(app: ApiServer, adminToken: string, name: string): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/scim/connections',
    headers: bearer(adminToken),
    payload: { name },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().token;
}

/** A client sending `contentType` (Okta and Entra send application/scim+json or application/json). */
export function scimClient(app: ApiServer, token: string, contentType = 'application/scim+json'): ScimClient {
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown) => {
    const response = await app.inject({
      method,
      url: `/scim/v2${url}`,
      headers: {
        ...bearer(token),
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return {
      status: response.statusCode,
      body: response.body === '' ? undefined : response.json(),
      headers: response.headers,
    };
  };
  return {
    get: (url) => call('GET', url),
    post: (url, body) => call('POST', url, body),
    put: (url, body) => call('PUT', url, body),
    patch: (url, body) => call('PATCH', url, body),
    delete: (url) => call('DELETE', url),
  };
}

/** `?filter=` as IdPs encode it. */
export const filter = (expression: string) => `filter=${encodeURIComponent(expression)}`;

/** A recorded event, as the tests look at it. */
export type LedgerEvent = {
  event_type: string;
  actor: { type: string; id: string };
  target: { type: string; id: string; name?: string };
  action: string;
  result: string;
  // biome-ignore lint/suspicious/noExplicitAny: details are free-form JSON the tests pick apart
  details?: Record<string, any>;
};

/** Every event in the intake of the given types (all without), oldest first. */
export async function ledgerEvents(sql: postgres.Sql, prefix = ''): Promise<LedgerEvent[]> {
  const rows = await sql<{ event: LedgerEvent }[]>`
    select event from audit_intake where event->>'event_type' like ${`${prefix}%`} order by id`;
  return rows.map((row) => row.event);
}
