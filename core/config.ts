import path from 'node:path';
import { z } from 'zod';
import { isValidOrigin } from '../audit/signed-note.js';
import { parseWitnessList } from '../audit/witness/endpoints.js';
import { durationProblem, parseDuration } from '../domain/durations.js';
import { ConfigError } from './errors.js';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const postgresUrl = optionalString.refine(
  (value) => value === undefined || /^postgres(ql)?:\/\//.test(value),
  'must be a postgres:// or postgresql:// URL',
);

const httpUrl = optionalString.refine(
  (value) => value === undefined || (URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)),
  'must be an http:// or https:// URL',
);

const port = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a port number' })
    .int()
    .min(1, 'must be 1 to 65535')
    .max(65535, 'must be 1 to 65535')
    .default(fallback);

const booleanFlag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1');

/** Every environment variable grantflow reads; `.env.example` documents each one. */
const envSchema = z.object({
  PORT: port(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  GRANTFLOW_DATA_DIR: z.string().min(1).default('.grantflow'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  DATABASE_URL: postgresUrl,
  DATABASE_RUNTIME_URL: postgresUrl,
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('grantflow'),
  TEMPORAL_API_KEY: optionalString,
  TEMPORAL_TLS: booleanFlag,
  TEMPORAL_TLS_CLIENT_CERT_PATH: optionalString,
  TEMPORAL_TLS_CLIENT_KEY_PATH: optionalString,
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: optionalString,
  TEMPORAL_TLS_SERVER_NAME: optionalString,
  TEMPORAL_CLI_PATH: optionalString,
  TEMPORAL_UI_PORT: port(8233),
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  /** Channel id (C…) that receives security alerts; the bot must be a member. */
  SLACK_ALERT_CHANNEL: optionalString,
  /** Slack Web API base URL; only for a test fake or a Slack-compatible gateway. */
  SLACK_API_URL: httpUrl,
  GRANTFLOW_AUDIT_SIGNING_KEY: optionalString,
  GRANTFLOW_AUDIT_VERIFIER_KEYS: optionalString,
  /** The checkpoints' origin line, and the default name of the signing key (C2SP tlog-checkpoint). */
  GRANTFLOW_AUDIT_ORIGIN: z
    .string()
    .refine(isValidOrigin, "must be one word with no Unicode spaces or '+' (a C2SP checkpoint origin)")
    .default('grantflow.local/audit'),
  GRANTFLOW_AUDIT_EXPORT_DIR: optionalString,
  /** Witnesses that cosign each checkpoint: comma-separated `<url>=<witness vkey>` pairs. */
  GRANTFLOW_AUDIT_WITNESSES: z
    .string()
    .optional()
    .transform((value, context) => {
      try {
        return parseWitnessList(value ?? '');
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  GRANTFLOW_AUDIT_CHECKPOINT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /**
   * How long ledger entries stay in the database (a duration such as `400d`), after which
   * `grantflow audit archive` archives and prunes them; unset keeps them forever. Seconds once parsed.
   */
  GRANTFLOW_AUDIT_RETENTION: optionalString
    .refine((value) => value === undefined || durationProblem(value) === undefined, {
      error: (issue) => durationProblem(String(issue.input)) ?? 'must be a duration',
    })
    .transform((value) => (value === undefined ? undefined : parseDuration(value))),
  /** Where evidence packs are built and kept; the API and the worker must both reach it. */
  GRANTFLOW_EVIDENCE_DIR: optionalString,
  /** Rubber-stamping, per evidence test: a reviewer deciding more than this many items ... */
  GRANTFLOW_EVIDENCE_RUBBER_STAMP_ITEMS: z.coerce.number().int().min(1).max(100_000).default(50),
  /** ... within this many seconds. */
  GRANTFLOW_EVIDENCE_RUBBER_STAMP_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** How long a leaver's access may take to be removed before it is recorded as a breach (default 1 h). */
  GRANTFLOW_LEAVER_SLA_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 86_400)
    .default(3_600),
  /** How long a mover's new manager has to review the access the move put in question (default 7 days). */
  GRANTFLOW_MOVER_REVIEW_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(90 * 86_400)
    .default(7 * 86_400),
  /** How often every listable resource is reconciled (default daily); 0 turns the schedule off. */
  GRANTFLOW_RECONCILE_EVERY_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(31 * 86_400)
    .default(86_400),
  /**
   * When the previous month's log review is opened (cron, UTC; default 09:00 on the 1st of every
   * month); `off` turns the schedule off.
   */
  GRANTFLOW_LOG_REVIEW_CRON: z
    .string()
    .trim()
    .regex(
      /^(off|\S+(\s+\S+){4})$/,
      'must be a five-field cron expression (minute hour day month weekday) or off',
    )
    .default('0 9 1 * *'),
  /** The directory group whose members review the security events and sign the review off. */
  GRANTFLOW_LOG_REVIEW_GROUP: z.string().trim().min(1).max(200).default('security'),
  /** How many days after the month's end its log review is due. */
  GRANTFLOW_LOG_REVIEW_DUE_DAYS: z.coerce.number().int().min(1).max(90).default(10),
  /** Attempts at a target before a request shows provisioning_failed (an admin can retry it). */
  GRANTFLOW_PROVISION_ATTEMPTS: z.coerce.number().int().min(1).max(1_000).default(10),
  /** First retry delay; it doubles up to GRANTFLOW_PROVISION_RETRY_MAX_MS. */
  GRANTFLOW_PROVISION_RETRY_MS: z.coerce.number().int().min(10).max(3_600_000).default(2_000),
  GRANTFLOW_PROVISION_RETRY_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(300_000),
  /** One provisioning call's budget; past it (say the worker died mid-call) the call is retried. */
  GRANTFLOW_PROVISION_ATTEMPT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** The longest wait between delivery attempts while Slack fails (backoff doubles from 1 s up to it). */
  GRANTFLOW_NOTIFY_RETRY_MAX_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
  /** How long Slack delivery may keep failing before the outage is announced (log, alert channel, ledger). */
  GRANTFLOW_NOTIFY_ALERT_AFTER_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /**
   * Where people reach the console (and the API behind it), as their browser sees it: the OIDC
   * redirect URI, the WebAuthn origin and relying-party id, and links in Slack derive from it.
   * Default: http://localhost:<PORT>.
   */
  GRANTFLOW_PUBLIC_URL: httpUrl,
  /** The company's OpenID Connect issuer for console sign-in (`grantflow dev` runs its own). */
  GRANTFLOW_OIDC_ISSUER: httpUrl,
  GRANTFLOW_OIDC_CLIENT_ID: optionalString,
  /** The port of the dev OIDC provider `grantflow dev` runs when no issuer is set (default PORT + 2). */
  GRANTFLOW_DEV_IDP_PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int()
    .min(1, 'must be 1 to 65535')
    .max(65535, 'must be 1 to 65535')
    .optional(),
  GRANTFLOW_OIDC_CLIENT_SECRET: optionalString,
  /** Directory groups (comma-separated keys) whose members sign in to the console as admins. */
  GRANTFLOW_CONSOLE_ADMIN_GROUPS: z.string().trim().default('grantflow-admins'),
  /** Directory groups whose members sign in as auditors (admin wins when both match). */
  GRANTFLOW_CONSOLE_AUDITOR_GROUPS: z.string().trim().default('auditors'),
  /**
   * Refused requests (a bad Slack signature, a bad or missing API token) per source address per
   * minute; past it the refusals are answered 429. Good requests are never counted.
   */
  GRANTFLOW_REFUSALS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /** Refusals are recorded once per source, kind and window, the rest as one count at its end. */
  GRANTFLOW_REFUSAL_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
  /** Console sign-in attempts (/auth/login, /auth/callback) per source address per minute. */
  GRANTFLOW_SIGN_IN_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** A console session ends after this long without a request. */
  GRANTFLOW_SESSION_IDLE_SECONDS: z.coerce.number().int().min(60).max(86_400).default(1_800),
  /** And after this long in any case: sign in again. */
  GRANTFLOW_SESSION_MAX_SECONDS: z.coerce.number().int().min(300).max(604_800).default(43_200),
  /** The API the `grantflow request` and `grants` commands call (else the running dev stack's). */
  GRANTFLOW_API_URL: httpUrl,
  /** The bearer token those commands send (else the dev admin token, for a local stack). */
  GRANTFLOW_TOKEN: optionalString,
});

type Env = z.infer<typeof envSchema>;

/** The validated configuration every entrypoint receives. */
export type Config = Env & {
  /** Absolute data directory (embedded PostgreSQL, Temporal's database, generated secrets). */
  dataDir: string;
  /** GRANTFLOW_PUBLIC_URL without a trailing slash, or http://localhost:<PORT>. */
  publicUrl: string;
};

/**
 * Parses the environment once; on any problem throws a ConfigError naming every bad variable,
 * so the process stops before it touches a service.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        message: `${issue.message}${describeValue(env, issue.path[0])}`,
      })),
    );
  }
  const config = parsed.data;
  const problems: { variable: string; message: string }[] = [];
  if (config.TEMPORAL_TLS_CLIENT_CERT_PATH && !config.TEMPORAL_TLS_CLIENT_KEY_PATH) {
    problems.push({
      variable: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
      message: 'required with TEMPORAL_TLS_CLIENT_CERT_PATH',
    });
  }
  if (config.DATABASE_RUNTIME_URL && !config.DATABASE_URL) {
    problems.push({
      variable: 'DATABASE_URL',
      message: 'required with DATABASE_RUNTIME_URL (migrations run as the owner role)',
    });
  }
  if (config.SLACK_BOT_TOKEN && !config.SLACK_APP_TOKEN && !config.SLACK_SIGNING_SECRET) {
    problems.push({
      variable: 'SLACK_SIGNING_SECRET',
      message: 'required with SLACK_BOT_TOKEN unless SLACK_APP_TOKEN selects Socket Mode',
    });
  }
  if ((config.SLACK_APP_TOKEN || config.SLACK_SIGNING_SECRET) && !config.SLACK_BOT_TOKEN) {
    problems.push({ variable: 'SLACK_BOT_TOKEN', message: 'required to turn Slack on' });
  }
  if (config.GRANTFLOW_OIDC_ISSUER && !config.GRANTFLOW_OIDC_CLIENT_ID) {
    problems.push({ variable: 'GRANTFLOW_OIDC_CLIENT_ID', message: 'required with GRANTFLOW_OIDC_ISSUER' });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    ...config,
    dataDir: path.resolve(cwd, config.GRANTFLOW_DATA_DIR),
    publicUrl: (config.GRANTFLOW_PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, ''),
  };
}

function describeValue(env: NodeJS.ProcessEnv, key: PropertyKey | undefined): string {
  if (typeof key !== 'string' || env[key] === undefined) return '';
  // Secrets never reach the terminal: only say how long the rejected value was.
  if (/TOKEN|SECRET|KEY|URL/.test(key)) return ` (got a value of ${env[key]?.length} characters)`;
  return ` (got "${env[key]}")`;
}
