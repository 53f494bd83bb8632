// What an admin gives to launch a certification campaign, one schema for the API, the CLI and the
// Slack modal, so all three refuse the same input with the same words. The schema checks shape;
// `resolveLaunchInput` adds what needs a clock (the due date is in the future).
import { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import type { CampaignScope } from '../db/schema.js';
import { RISK_LEVELS } from '../domain/index.js';

/** Risk levels a scope can select. */
// Durations are stored as `integer` seconds.
const MAX_SECONDS = 2_147_483_647;
/** A quarter of a year, as scheduled runs key their campaign: `2026-Q4`. */
const PERIOD_KEY = /^\d{4}-Q[1-4]$/;

const key = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const seconds = (what: string) =>
  z
    .number({ error: `must be a number of seconds ${what}` })
    .int('must be a whole number of seconds')
    .positive('must be longer than zero')
    .max(MAX_SECONDS, `must be at most ${MAX_SECONDS} seconds`);

const scopeSchema = z
  .strictObject({
    resources: z.array(key).min(1, 'must list at least one resource when given').optional(),
    entitlements: z
      .array(key.regex(/^[^/\s]+\/[^/\s]+$/, 'must be a "resource/entitlement" key, like "db/read"'))
      .min(1, 'must list at least one entitlement when given')
      .optional(),
    riskLevels: z
      .array(z.enum(RISK_LEVELS, { error: `must be one of ${RISK_LEVELS.join(', ')}` }))
      .min(1, 'must list at least one risk level when given')
      .optional(),
    departments: z.array(key).min(1, 'must list at least one department when given').optional(),
    holders: z
      .array(z.email('must be an email address').transform((value) => value.toLowerCase()))
      .min(1, 'must list at least one person when given')
      .optional(),
    sodFindings: z.literal(true, { error: 'must be true when given' }).optional(),
  })
  .default({});

const reviewerSchema = z
  .strictObject({
    rule: z
      .enum(['manager', 'resource_owner', 'person'], {
        error: 'must be one of manager, resource_owner, person',
      })
      .default('manager'),
    person: z
      .email('must be an email address')
      .transform((value) => value.toLowerCase())
      .optional(),
  })
  .superRefine((value, ctx) => {
    if (value.rule === 'person' && value.person === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['person'],
        message: 'is required when reviewer.rule is "person"',
      });
    }
    if (value.rule !== 'person' && value.person !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['person'],
        message: 'is only allowed when reviewer.rule is "person"',
      });
    }
  })
  .default({ rule: 'manager' });

/** The launch input as the API, CLI and Slack send it. */
const campaignLaunchInputSchema = z
  .strictObject({
    name: z
      .string({ error: 'is required' })
      .trim()
      .min(1, 'must not be empty')
      .max(200, 'must be at most 200 characters'),
    scope: scopeSchema,
    reviewer: reviewerSchema,
    dueAt: z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 date-time, like 2026-12-31T17:00:00Z' })
      .optional(),
    dueInSeconds: seconds('from now').optional(),
    // Defaults suit a real campaign; tests pass seconds.
    reminderEverySeconds: seconds('between reminders').default(2 * 86_400),
    escalateAfterSeconds: seconds('before escalation').default(5 * 86_400),
    // No default: silently keeping or silently revoking unanswered access is the admin's decision.
    defaultAction: z.enum(['revoke', 'keep', 'escalate'], {
      error: 'is required: one of revoke, keep, escalate',
    }),
    allowChanges: z.boolean({ error: 'must be true or false' }).default(false),
    period: z.string().regex(PERIOD_KEY, 'must be a quarter like "2026-Q4"').optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.dueAt === undefined) === (value.dueInSeconds === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['dueAt'],
        message: 'give exactly one of dueAt or dueInSeconds',
      });
    }
  });

/** A launch input ready to store: one absolute due date and a scope without empty lists. */
export type CampaignLaunchInput = {
  name: string;
  scope: CampaignScope;
  reviewer: { rule: 'manager' | 'resource_owner' } | { rule: 'person'; person: string };
  dueAt: Date;
  reminderEverySeconds: number;
  escalateAfterSeconds: number;
  defaultAction: 'revoke' | 'keep' | 'escalate';
  allowChanges: boolean;
  period?: string;
};

/** One problem with a launch input: the field's path (`scope.entitlements[0]`) and what is wrong. */
export type LaunchInputProblem = { field: string; message: string };

function fieldOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, segment) =>
      typeof segment === 'number'
        ? `${text}[${segment}]`
        : text
          ? `${text}.${String(segment)}`
          : String(segment),
    '',
  );
}

/**
 * Parses and resolves a launch input against `now`: the due date becomes absolute and must lie in
 * the future. Throws a ValidationError whose message and `details.fields` name every bad field.
 */
export function resolveLaunchInput(raw: unknown, now: Date): CampaignLaunchInput {
  const parsed = campaignLaunchInputSchema.safeParse(raw);
  if (!parsed.success) {
    throw launchInputError(
      parsed.error.issues.map((issue) => ({
        field: fieldOf(issue.path) || '(input)',
        message: issue.message,
      })),
    );
  }
  const input = parsed.data;
  const dueAt =
    input.dueAt !== undefined
      ? new Date(input.dueAt)
      : new Date(now.getTime() + (input.dueInSeconds ?? 0) * 1000);
  if (dueAt.getTime() <= now.getTime()) {
    throw launchInputError([
      { field: 'dueAt', message: `must be in the future (now is ${now.toISOString()})` },
    ]);
  }
  const reviewer =
    input.reviewer.rule === 'person'
      ? { rule: 'person' as const, person: input.reviewer.person as string }
      : { rule: input.reviewer.rule };
  return {
    name: input.name,
    scope: input.scope,
    reviewer,
    dueAt,
    reminderEverySeconds: input.reminderEverySeconds,
    escalateAfterSeconds: input.escalateAfterSeconds,
    defaultAction: input.defaultAction,
    allowChanges: input.allowChanges,
    ...(input.period !== undefined ? { period: input.period } : {}),
  };
}

function launchInputError(problems: LaunchInputProblem[]): ValidationError {
  const text = problems.map((p) => `${p.field} ${p.message}`).join('; ');
  return new ValidationError(`Invalid campaign: ${text}`, { fields: problems });
}

/** The calendar quarter (UTC) a date falls in, as a period key: `2026-Q4`. */
export function quarterOf(date: Date): string {
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}
