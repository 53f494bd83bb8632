import type postgres from 'postgres';
import type { NoteVerifier } from '../audit/signed-note.js';
import type { LaunchDeps } from '../campaigns/launch.js';
import type { Config } from '../core/config.js';
import type { Database } from '../db/client.js';
import type { ConsoleSessionPolicy } from '../identity/console-sign-in.js';
import type { SubmitDeps } from '../requests/submit.js';
import type { TemporalClient } from '../temporal/connection.js';

/** What route handlers may use; passed in, never imported as globals. */
export type ApiDeps = {
  config: Pick<
    Config,
    | 'TEMPORAL_TASK_QUEUE'
    | 'TEMPORAL_NAMESPACE'
    | 'GRANTFLOW_PROVISION_ATTEMPTS'
    | 'GRANTFLOW_PROVISION_RETRY_MS'
    | 'GRANTFLOW_PROVISION_RETRY_MAX_MS'
    | 'GRANTFLOW_PROVISION_ATTEMPT_TIMEOUT_MS'
    | 'GRANTFLOW_LEAVER_SLA_SECONDS'
    | 'GRANTFLOW_MOVER_REVIEW_SECONDS'
    | 'GRANTFLOW_EVIDENCE_RUBBER_STAMP_ITEMS'
    | 'GRANTFLOW_EVIDENCE_RUBBER_STAMP_SECONDS'
    | 'GRANTFLOW_LOG_REVIEW_GROUP'
    | 'GRANTFLOW_LOG_REVIEW_DUE_DAYS'
    // Refused requests per source before 429, and the window their ledger records summarise.
    | 'GRANTFLOW_REFUSALS_PER_MINUTE'
    | 'GRANTFLOW_REFUSAL_WINDOW_SECONDS'
    // Where the console is: the passkeys' relying party and the step-up confirm links.
    | 'publicUrl'
  >;
  db: Database;
  sql: postgres.Sql;
  temporal: TemporalClient;
  /** What /audit/verify checks checkpoints against: every trusted key and the exported copies. */
  ledger: { verifiers: readonly NoteVerifier[]; exportDir: string };
  /** Console sign-in: where the console is served, its IdP (none: sign-in is off) and session rules. */
  console?: ConsoleDeps;
};

/** What console sign-in and sessions need. */
export type ConsoleDeps = {
  oidc?: { issuer: string; clientId: string; clientSecret?: string };
  policy: ConsoleSessionPolicy;
  /** Sign-in attempts (/auth/login, /auth/callback) per source IP per minute; default 20. */
  signInPerMinute?: number;
};

/** What filing a request needs, from the API's dependencies (the API and Slack file alike). */
export function submitDepsOf(deps: ApiDeps): SubmitDeps {
  return {
    db: deps.db,
    temporal: deps.temporal,
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    provisioningRetry: {
      maximumAttempts: deps.config.GRANTFLOW_PROVISION_ATTEMPTS,
      initialIntervalMs: deps.config.GRANTFLOW_PROVISION_RETRY_MS,
      maximumIntervalMs: deps.config.GRANTFLOW_PROVISION_RETRY_MAX_MS,
      attemptTimeoutMs: deps.config.GRANTFLOW_PROVISION_ATTEMPT_TIMEOUT_MS,
    },
  };
}

/** What launching a campaign needs, from the API's dependencies (API, Slack and CLI launch alike). */
export function launchDepsOf(deps: ApiDeps): LaunchDeps {
  return { db: deps.db, temporal: deps.temporal, taskQueue: deps.config.TEMPORAL_TASK_QUEUE };
}
