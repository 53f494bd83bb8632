// The field types the directory file is written in: keys, emails, environment variable names,
// durations ("4h"), risk levels and approver references ("manager", "group:security").
import { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import { parseDuration as domainParseDuration } from '../domain/durations.js';
import { DURATION_HINT, durationProblem, MAX_DURATION_SECONDS, RISK_LEVELS } from '../domain/index.js';

/** Parses `30m`, `4h`, `2d`, `1w`, `45s` or a combination like `1h30m` to seconds; throws a field error on zero or garbage. */
export function parseDuration(text: string): number {
  const problem = durationProblem(text);
  if (problem) throw new ValidationError(`invalid duration "${text}": ${problem}`, { duration: text });
  return domainParseDuration(text);
}

const EMAIL = /^[^\s@:]+@[^\s@]+\.[^\s@]+$/;
const KEY = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
const KEY_HINT = 'lower-case letters, digits, "-" or "_", like "payments-db"';
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
// PostgreSQL identifiers the connector will quote; keeping them simple keeps the grant SQL obvious.
export const PG_ROLE = /^[a-z_][a-z0-9_$]{0,62}$/;

export const text = z.string().trim().min(1, 'must not be empty');
export const email = z
  .string()
  .regex(EMAIL, 'must be an email address like "dana@acme.test"')
  .transform((value) => value.toLowerCase());
export const key = z.string().regex(KEY, `must be a key of ${KEY_HINT}`);
export const envName = z
  .string()
  .regex(ENV_NAME, 'must be an environment variable name like "PAYMENTS_DATABASE_URL"');
export const risk = z.enum(RISK_LEVELS);

/** A parsed approver or escalation reference. */
export type ApproverRef =
  | { kind: 'manager' }
  | { kind: 'resource_owner' }
  | { kind: 'manager_of_manager' }
  | { kind: 'user'; email: string }
  | { kind: 'group'; key: string };

/** Splits `manager`, `resource_owner`, `manager_of_manager`, `user:<email>` or `group:<key>`; undefined when malformed. */
export function parseApproverRef(ref: string): ApproverRef | undefined {
  if (ref === 'manager' || ref === 'resource_owner' || ref === 'manager_of_manager') return { kind: ref };
  if (ref.startsWith('user:') && EMAIL.test(ref.slice(5)))
    return { kind: 'user', email: ref.slice(5).toLowerCase() };
  if (ref.startsWith('group:') && KEY.test(ref.slice(6))) return { kind: 'group', key: ref.slice(6) };
  return undefined;
}

// References are kept as strings (emails lower-cased) so the stored policy reads like the file.
function refSchema(allowed: readonly ApproverRef['kind'][], hint: string) {
  return z.string().transform((value, ctx) => {
    const ref = parseApproverRef(value.trim());
    if (!ref || !allowed.includes(ref.kind)) {
      ctx.issues.push({ code: 'custom', message: `must be ${hint}`, input: value });
      return z.NEVER;
    }
    return ref.kind === 'user' ? `user:${ref.email}` : value.trim();
  });
}

export const stepApprover = refSchema(
  ['manager', 'resource_owner', 'user', 'group'],
  '"manager", "resource_owner", "user:<email>" or "group:<key>"',
);
export const escalationTarget = refSchema(
  ['manager_of_manager', 'user', 'group'],
  '"manager_of_manager", "user:<email>" or "group:<key>"',
);
export const namedApprover = refSchema(['user', 'group'], '"user:<email>" or "group:<key>"');

const durationFromText = z.string().transform((value, ctx) => {
  const problem = durationProblem(value);
  if (problem === undefined) return parseDuration(value);
  ctx.issues.push({ code: 'custom', message: problem, input: value });
  return z.NEVER;
});
export const durationFromSeconds = z.int().positive().max(MAX_DURATION_SECONDS);
// Bare numbers are refused in the file: "maxDuration: 8" is far more likely to mean hours than seconds.
export const fileDuration = z
  .unknown()
  .pipe(
    z.custom<string>((value) => typeof value === 'string', {
      error: `must be a duration string: ${DURATION_HINT}`,
    }),
  )
  .pipe(durationFromText);
