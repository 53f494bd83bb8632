import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { inject } from 'vitest';
import type { ConsoleDeps } from '../../api/deps.js';
import { type ApiServer, buildServer } from '../../api/server.js';
import { createSlackApp } from '../../api/slack/app.js';
import type { LedgerKeys } from '../../audit/keys.js';
import type { Database } from '../../db/client.js';
import { type ApiRole, createApiToken } from '../../db/queries/api-tokens.js';
import { people } from '../../db/schema.js';
import type { SlackSettings } from '../../slack/client.js';
import { testLedgerKeys } from './audit.js';
import type { TestDatabase } from './services.js';

/** The real API on the test database and the shared Temporal server, driven through `inject`. */
export type TestApi = {
  app: ApiServer;
  temporal: Client;
  /** The keys /audit/verify trusts and where it looks for exported checkpoints. */
  ledger: { keys: LedgerKeys; exportDir: string };
  /** With `slack` or `console`: the API listens on a real port (Slack posts to `${url}/slack/events`). */
  url?: string;
  close(): Promise<void>;
};

/** Builds the API exactly as production does; `temporalAddress` overrides the shared server. */
export async function startTestApi(
  database: TestDatabase,
  options: {
    temporalAddress?: string;
    taskQueue?: string;
    slack?: SlackSettings;
    ledgerKeys?: LedgerKeys;
    /** The mover review window SCIM's hook starts movers with. */
    moverReviewSeconds?: number;
    /** Evidence packs' rubber-stamping test: more than `items` decisions within `seconds`. */
    rubberStamp?: { items: number; seconds: number };
    /** The console's URL: the passkeys' relying party (default http://localhost:3000). */
    publicUrl?: string;
    /**
     * Refused requests per source per minute before 429 (default 1,000: tests that send many
     * 401s on purpose are not about the limit) and the window refusals are summarised over (60 s).
     */
    refusals?: { perMinute?: number; windowSeconds?: number };
    /**
     * Console sign-in: the API listens on `publicUrl`'s port (the IdP redirects the browser there);
     * the policy defaults to the product's groups and timeouts.
     */
    console?: Omit<ConsoleDeps, 'policy'> & { policy?: Partial<ConsoleDeps['policy']> };
  } = {},
): Promise<TestApi> {
  // A stack passes its workers' keys, so the API trusts the checkpoints they sign.
  const ledger = {
    keys: options.ledgerKeys ?? testLedgerKeys(),
    exportDir: mkdtempSync(path.join(os.tmpdir(), 'grantflow-api-')),
  };
  const services = inject('services');
  // Lazy: a dead address must not fail here, so /readyz can be tested against it.
  const connection = Connection.lazy({
    address: options.temporalAddress ?? services.temporalAddress,
    connectTimeout: '1s',
  });
  const temporal = new Client({ connection, namespace: services.temporalNamespace });
  const deps = {
    config: {
      TEMPORAL_NAMESPACE: services.temporalNamespace,
      TEMPORAL_TASK_QUEUE: options.taskQueue ?? 'unused',
      GRANTFLOW_PROVISION_ATTEMPTS: 3,
      GRANTFLOW_PROVISION_RETRY_MS: 200,
      GRANTFLOW_PROVISION_RETRY_MAX_MS: 1_000,
      GRANTFLOW_PROVISION_ATTEMPT_TIMEOUT_MS: 3_000,
      GRANTFLOW_LEAVER_SLA_SECONDS: 3_600,
      GRANTFLOW_MOVER_REVIEW_SECONDS: options.moverReviewSeconds ?? 3_600,
      GRANTFLOW_EVIDENCE_RUBBER_STAMP_ITEMS: options.rubberStamp?.items ?? 50,
      GRANTFLOW_EVIDENCE_RUBBER_STAMP_SECONDS: options.rubberStamp?.seconds ?? 60,
      GRANTFLOW_LOG_REVIEW_GROUP: 'security',
      GRANTFLOW_LOG_REVIEW_DUE_DAYS: 10,
      GRANTFLOW_REFUSALS_PER_MINUTE: options.refusals?.perMinute ?? 1_000,
      GRANTFLOW_REFUSAL_WINDOW_SECONDS: options.refusals?.windowSeconds ?? 60,
      publicUrl: options.publicUrl ?? 'http://localhost:3000',
    },
    db: database.runtime.db,
    sql: database.runtime.sql,
    temporal,
    ledger: { verifiers: ledger.keys.verifiers, exportDir: ledger.exportDir },
    ...(options.console
      ? {
          console: {
            ...options.console,
            policy: {
              adminGroups: ['grantflow-admins'],
              auditorGroups: ['auditors'],
              idleSeconds: 1_800,
              maxSeconds: 43_200,
              ...options.console.policy,
            },
          },
        }
      : {}),
  };
  const log = pino({ level: 'silent' });
  const slack = options.slack ? createSlackApp(deps, options.slack, log) : undefined;
  const app = await buildServer(deps, log, slack ? { slack } : {});
  await app.ready();
  const consolePort =
    options.console && options.publicUrl ? Number(new URL(options.publicUrl).port) : undefined;
  const url =
    slack || consolePort !== undefined
      ? await app.listen({ port: consolePort ?? 0, host: '127.0.0.1' })
      : undefined;
  // As main.ts does: Socket Mode connects now (the HTTP receiver needs nothing started).
  await slack?.start();
  return {
    app,
    temporal,
    ledger,
    ...(url ? { url } : {}),
    async close() {
      await slack?.stop();
      await app.close();
      rmSync(ledger.exportDir, { recursive: true, force: true });
      // Settle any connection attempt still in flight (a dead address), so closing the
      // channel cannot reject a promise nobody awaits.
      await connection.ensureConnected().catch(() => undefined);
      await connection.close();
    },
  };
}

/** Inserts a person and returns a bearer token for them with `role`. */
export async function personWithToken(
  db: Database,
  person: { email: string; name?: string; status?: 'active' | 'inactive' },
  role: ApiRole,
): Promise<{ id: string; token: string }> {
  const [row] = await db
    .insert(people)
    .values({ email: person.email, name: person.name ?? person.email, status: person.status ?? 'active' })
    .returning({ id: people.id });
  if (!row) throw new Error('person insert returned nothing');
  const { token } = await createApiToken(db, { personId: row.id, role });
  return { id: row.id, token };
}

/** `Authorization` header for a token. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
