import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConsole } from '../../../api/console.js';
import { registerErrorHandling } from '../../../api/errors.js';

async function consoleApp(root: string): Promise<FastifyInstance> {
  const app = Fastify();
  registerErrorHandling(app, await registerConsole(app, root));
  app.get('/api/v1/ping', async () => ({ ok: true }));
  await app.register(
    async (scim) => {
      scim.setNotFoundHandler((_request, reply) => reply.status(404).send({ schemas: ['scim-error'] }));
    },
    { prefix: '/scim/v2' },
  );
  return app;
}

describe('the console served by the API', () => {
  let dir: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'grantflow-console-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
    app = await consoleApp(dir);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers / and every deep link with index.html, fetched fresh', async () => {
    for (const url of ['/', '/approvals', '/admin/campaigns/3f1c?tab=items']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toContain('<div id="root">');
    }
  });

  it('serves hashed assets as immutable, and a missing asset as a 404, never as the page', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/app-1234.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');

    const missing = await app.inject({ method: 'GET', url: '/assets/app-0000.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('route_not_found');
  });

  it('never shadows the other doors: API 404s stay JSON, SCIM keeps its own error shape', async () => {
    const api = await app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('route_not_found');

    const scim = await app.inject({ method: 'GET', url: '/scim/v2/Widgets' });
    expect(scim.statusCode).toBe(404);
    expect(scim.json()).toEqual({ schemas: ['scim-error'] });

    const write = await app.inject({ method: 'POST', url: '/approvals' });
    expect(write.statusCode).toBe(404);
  });

  it('says how to build the console when it has not been built', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'grantflow-console-'));
    const unbuilt = await consoleApp(empty);
    try {
      const response = await unbuilt.inject({ method: 'GET', url: '/' });
      expect(response.statusCode).toBe(503);
      expect(response.body).toContain('npm run build');
    } finally {
      await unbuilt.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
