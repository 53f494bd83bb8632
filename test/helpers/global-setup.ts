import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { createTeardown } from '../../core/teardown.js';
import { startEmbeddedPostgres } from '../../db/embedded.js';
import { migrateDatabase } from '../../db/migrate.js';
import { connectTemporal } from '../../temporal/connection.js';
import { startConfiguredDevServer } from '../../temporal/dev-server.js';
import { ensureSearchAttributes } from '../../temporal/search-attributes.js';
import { ensureWorkflowBundle } from '../../worker/workflow-bundle.js';
import { TEST_RUNTIME_ROLE, type TestServices, withDatabase } from './services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    services: TestServices;
  }
}

/**
 * Starts one PostgreSQL and one Temporal dev server for the whole run (or uses DATABASE_URL /
 * TEMPORAL_ADDRESS), migrates a template database every test file clones, and bundles the
 * workflows once (when the sources changed) for every worker the tests create.
 */
export default async function setup(project: TestProject) {
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    LOG_FORMAT: 'json',
  });
  const log = createLogger(config, 'test-setup');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'grantflow-test-'));
  const teardown = createTeardown({ failed: (error) => log.error(error) });
  await ensureWorkflowBundle(log);

  let adminUrl = config.DATABASE_URL;
  if (!adminUrl) {
    const pg = await startEmbeddedPostgres({ dataDir: scratch, preferredPort: 0 }, log);
    teardown.add(pg.stop, 'PostgreSQL');
    adminUrl = pg.ownerUrl;
  }
  const templateDatabase = `grantflow_template_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${templateDatabase}"`);
  await admin.unsafe(`create database "${templateDatabase}"`);
  await admin.end();
  await migrateDatabase(withDatabase(adminUrl, templateDatabase), TEST_RUNTIME_ROLE);
  teardown.add(async () => {
    const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await sql.unsafe(`drop database if exists "${templateDatabase}" with (force)`);
    await sql.end();
  });

  let temporalAddress = config.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    const server = await startConfiguredDevServer(config, log, {
      logFile: path.join(scratch, 'temporal.log'),
      preferredPort: 0,
    });
    teardown.add(server.stop, 'Temporal dev server');
    temporalAddress = server.address;
  }
  const connection = await connectTemporal({ ...config, address: temporalAddress });
  await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
  await connection.close();

  project.provide('services', {
    adminUrl,
    templateDatabase,
    temporalAddress,
    temporalNamespace: config.TEMPORAL_NAMESPACE,
  });

  return async () => {
    await teardown.run();
    rmSync(scratch, { recursive: true, force: true });
  };
}
