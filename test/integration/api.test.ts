import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findFreePort } from '../../core/net.js';
import { apiTokens } from '../../db/schema.js';
import { bearer, personWithToken, startTestApi, type TestApi } from '../helpers/api.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

describe('API', () => {
  let database: TestDatabase;
  let api: TestApi;
  let admin: { id: string; token: string };
  let employee: { id: string; token: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApi(database);
  });
  beforeEach(async () => {
    admin = await personWithToken(database.runtime.db, { email: 'ada@acme.test', name: 'Ada' }, 'admin');
    employee = await personWithToken(
      database.runtime.db,
      { email: 'bob@acme.test', name: 'Bob' },
      'employee',
    );
  });
  afterEach(() => database.truncate());
  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  describe('health', () => {
    it('is alive', async () => {
      const response = await api.app.inject({ method: 'GET', url: '/healthz' });

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok' });
    });

    it('is ready when PostgreSQL and Temporal both answer', async () => {
      const response = await api.app.inject({ method: 'GET', url: '/readyz' });

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        status: 'ready',
        checks: { postgres: { ok: true }, temporal: { ok: true } },
        notifications: {
          state: 'delivering',
          failingSince: null,
          waiting: 0,
          lastError: null,
          summary: 'delivering; 0 waiting',
        },
      });
    });

    it('is not ready when Temporal does not answer, and says which check failed', async () => {
      const deadTemporal = await startTestApi(database, {
        temporalAddress: `127.0.0.1:${await findFreePort()}`,
      });
      try {
        const response = await deadTemporal.app.inject({ method: 'GET', url: '/readyz' });

        expect(response.statusCode).toBe(503);
        const body = response.json();
        expect(body.status).toBe('not_ready');
        expect(body.checks.postgres).toEqual({ ok: true });
        expect(body.checks.temporal.ok).toBe(false);
        expect(body.checks.temporal.error).toEqual(expect.any(String));
      } finally {
        await deadTemporal.close();
      }
    });
  });

  describe('authentication', () => {
    it('answers 401 without a token, in the error shape', async () => {
      const response = await api.app.inject({ method: 'GET', url: '/api/v1/people' });

      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.json()).toEqual({
        error: { code: 'unauthenticated', message: expect.stringContaining('Authorization: Bearer') },
      });
    });

    it('answers 401 for an unknown token', async () => {
      const response = await api.app.inject({
        method: 'GET',
        url: '/api/v1/people',
        headers: bearer('gf_forged'),
      });

      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('unauthenticated');
    });

    it('answers 401 for a revoked token', async () => {
      await database.owner.db
        .update(apiTokens)
        .set({ revokedAt: new Date() })
        .where(eq(apiTokens.personId, admin.id));

      const response = await api.app.inject({
        method: 'GET',
        url: '/api/v1/people',
        headers: bearer(admin.token),
      });

      expect(response.statusCode).toBe(401);
    });

    it('answers 401 for the token of a person who has left', async () => {
      const leaver = await personWithToken(
        database.runtime.db,
        { email: 'gone@acme.test', status: 'inactive' },
        'admin',
      );

      const response = await api.app.inject({
        method: 'GET',
        url: '/api/v1/people',
        headers: bearer(leaver.token),
      });

      expect(response.statusCode).toBe(401);
    });

    it('stores only a hash of the token', async () => {
      const rows = await database.owner
        .sql`select token_hash, prefix from api_tokens where person_id = ${admin.id}`;

      expect(rows).toHaveLength(1);
      expect(rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0]?.token_hash).not.toContain(admin.token);
      expect(admin.token.startsWith(rows[0]?.prefix)).toBe(true);
    });

    it('answers 403 for the wrong role, naming the role needed', async () => {
      const response = await api.app.inject({
        method: 'GET',
        url: '/api/v1/policies',
        headers: bearer(employee.token),
      });

      expect(response.statusCode).toBe(403);
      expect(response.json().error).toMatchObject({
        code: 'forbidden',
        details: { required: ['admin', 'auditor'], actual: 'employee' },
      });
    });
  });

  describe('directory and catalog', () => {
    it('lists people in pages', async () => {
      const response = await api.app.inject({
        method: 'GET',
        url: '/api/v1/people?limit=1&offset=1',
        headers: bearer(employee.token),
      });

      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        total: 2,
        limit: 1,
        offset: 1,
        items: [{ email: 'bob@acme.test' }],
      });
    });

    it('answers 400 naming the field for bad input, and 404 for an unknown id', async () => {
      const bad = await api.app.inject({
        method: 'GET',
        url: '/api/v1/people?limit=9999',
        headers: bearer(admin.token),
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('validation_failed');
      expect(bad.json().error.details.fields[0].field).toBe('querystring.limit');

      const notUuid = await api.app.inject({
        method: 'GET',
        url: '/api/v1/people/42',
        headers: bearer(admin.token),
      });
      expect(notUuid.statusCode).toBe(400);

      const missing = await api.app.inject({
        method: 'GET',
        url: '/api/v1/people/00000000-0000-4000-8000-000000000000',
        headers: bearer(admin.token),
      });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.code).toBe('not_found');
    });

    it('answers 404 in the error shape for an unknown route', async () => {
      const response = await api.app.inject({ method: 'GET', url: '/api/v1/nope' });

      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('route_not_found');
    });
  });

  it('serves an OpenAPI document listing the routes and the bearer scheme', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });

    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/people',
        '/api/v1/people/{id}',
        '/api/v1/resources',
        '/api/v1/policies',
      ]),
    );
    expect(document.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
  });
});
