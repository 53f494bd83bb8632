import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { startEmbeddedPostgres } from '../../db/embedded.js';
import { migrateDatabase } from '../../db/migrate.js';
import { resolveTemporalBinary } from '../../temporal/binary.js';
import { connectTemporal } from '../../temporal/connection.js';
import { startDevServer } from '../../temporal/dev-server.js';
import { ensureSearchAttributes } from '../../temporal/search-attributes.js';
import { TEST_RUNTIME_ROLE, type TestServices, withDatabase } from './services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    services: TestServices;
  }
}

/**
 * Starts one PostgreSQL and one Temporal dev server for the whole run (or uses DATABASE_URL /
 * TEMPORAL_ADDRESS), and migrates a template database every test file clones.
 */
export default async function setup(project: TestProject) {
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    LOG_FORMAT: 'json',
  });
  const log = createLogger(config, 'test-setup');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'grantflow-test-'));
  const stops: (() => Promise<void>)[] = [];

  let adminUrl = config.DATABASE_URL;
  if (!adminUrl) {
    const pg = await startEmbeddedPostgres({ dataDir: scratch, preferredPort: 0 }, log);
    stops.push(pg.stop);
    adminUrl = pg.ownerUrl;
  }
  const templateDatabase = `grantflow_template_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${templateDatabase}"`);
  await admin.unsafe(`create database "${templateDatabase}"`);
  await admin.end();
  await migrateDatabase(withDatabase(adminUrl, templateDatabase), TEST_RUNTIME_ROLE);
  stops.push(async () => {
    const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await sql.unsafe(`drop database if exists "${templateDatabase}" with (force)`);
    await sql.end();
  });

  let temporalAddress = config.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    const binary = await resolveTemporalBinary({ cliPath: config.TEMPORAL_CLI_PATH }, log);
    const server = await startDevServer(
      {
        binary,
        namespace: config.TEMPORAL_NAMESPACE,
        logFile: path.join(scratch, 'temporal.log'),
        preferredPort: 0,
      },
      log,
    );
    stops.push(server.stop);
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
    for (const stop of stops.reverse()) await stop().catch((error) => log.error(error));
    rmSync(scratch, { recursive: true, force: true });
  };
}
