// An approval policy as the directory file writes it and as `policy_versions` stores it: steps and
// their approvers, auto-approval rules, timers and limits, checked for sense on their own.
import { z } from 'zod';
import { formatDuration, STEP_UP_SETTINGS } from '../domain/index.js';
import {
  durationFromSeconds,
  escalationTarget,
  fileDuration,
  key,
  risk,
  stepApprover,
  text,
} from './file-fields.js';

const requireSchema = z
  .custom<'any' | 'all' | number>(
    (value) => value === 'any' || value === 'all' || (Number.isInteger(value) && (value as number) > 0),
    { error: 'must be "any", "all" or a positive whole number of approvals' },
  )
  .default('any');

export function definitionShape(duration: z.ZodType<number, unknown>) {
  return {
    description: text.optional(),
    /** Approval steps, in order; every step must be satisfied before the next starts. */
    steps: z
      .array(
        z.strictObject({
          name: text.optional(),
          approvers: z.array(stepApprover).min(1, 'must list at least one approver'),
          require: requireSchema,
        }),
      )
      .min(1, 'must have at least one step'),
    /** A request matching any rule is approved by the policy itself, with no human step. */
    autoApprove: z
      .array(
        z.strictObject({
          maxRisk: risk,
          requesterInGroups: z
            .array(key)
            .min(1, 'must list at least one group (or leave the field out)')
            .optional(),
        }),
      )
      .optional(),
    /**
     * Each step needs people who decided no earlier step. Without it (the default) one person
     * eligible for consecutive steps approves once and their approval counts for each of them.
     */
    distinctApprovers: z.boolean().optional(),
    /** Seconds before approvers of a waiting step are reminded. */
    remindAfter: duration.optional(),
    /** Seconds before a waiting step is escalated to `escalateTo`. */
    escalateAfter: duration.optional(),
    escalateTo: escalationTarget.optional(),
    /** Seconds after which a request nobody answered expires. */
    expireAfter: duration.optional(),
    /** Longest grant this policy allows, in seconds; entitlements may be stricter. */
    maxDuration: duration.optional(),
    /** Requests for entitlements riskier than this level must give a reason. */
    requireReasonAbove: risk.optional(),
    /**
     * Whether approving needs a passkey (`webauthn`) or not (`none`); unset, high and critical risk
     * do. An entitlement's own `stepUp` wins over its policy's.
     */
    stepUp: z.enum(STEP_UP_SETTINGS).optional(),
  };
}

type DefinitionLike = {
  steps: { approvers: string[]; require: 'any' | 'all' | number }[];
  escalateAfter?: number | undefined;
  escalateTo?: string | undefined;
  expireAfter?: number | undefined;
  remindAfter?: number | undefined;
};

// Checks that need only the policy itself (references to people and groups are checked file-wide).
export function checkDefinition(definition: DefinitionLike, ctx: z.RefinementCtx): void {
  definition.steps.forEach((step, index) => {
    const seen = new Set<string>();
    step.approvers.forEach((approver, i) => {
      if (seen.has(approver)) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', index, 'approvers', i],
          message: `"${approver}" is listed twice in this step`,
        });
      }
      seen.add(approver);
    });
    const singles = step.approvers.filter((approver) => !approver.startsWith('group:')).length;
    if (typeof step.require === 'number' && singles === step.approvers.length && step.require > singles) {
      ctx.addIssue({
        code: 'custom',
        path: ['steps', index, 'require'],
        message: `requires ${step.require} approvals but the step names only ${singles} approver(s)`,
      });
    }
  });
  if (definition.escalateAfter !== undefined && definition.escalateTo === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['escalateTo'],
      message: 'is required when escalateAfter is set (who should the request escalate to?)',
    });
  }
  if (definition.escalateTo !== undefined && definition.escalateAfter === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['escalateAfter'],
      message: `is required when escalateTo is set (after how long should it escalate to ${definition.escalateTo}?)`,
    });
  }
  const { remindAfter, escalateAfter, expireAfter } = definition;
  if (escalateAfter !== undefined && expireAfter !== undefined && escalateAfter >= expireAfter) {
    ctx.addIssue({
      code: 'custom',
      path: ['escalateAfter'],
      message: `must be shorter than expireAfter (${formatDuration(expireAfter)}), found ${formatDuration(escalateAfter)}: the request would expire before it escalates`,
    });
  }
  if (remindAfter !== undefined && expireAfter !== undefined && remindAfter >= expireAfter) {
    ctx.addIssue({
      code: 'custom',
      path: ['remindAfter'],
      message: `must be shorter than expireAfter (${formatDuration(expireAfter)}), found ${formatDuration(remindAfter)}: the request would expire before anyone is reminded`,
    });
  }
}

/**
 * One approval policy as written in the file (durations as strings like `4h`). The parsed value has
 * durations in seconds, `require` defaulted to `any` and `user:` emails lower-cased; that parsed
 * value is what `policy_versions.definition` stores.
 */
export const policyDefinitionSchema = z
  .strictObject(definitionShape(fileDuration))
  .superRefine(checkDefinition);
/** A validated policy definition: durations in seconds (`remindAfter: 14400` for `4h`). */
export type PolicyDefinition = z.output<typeof policyDefinitionSchema>;

/**
 * The same definition as stored in `policy_versions.definition` (durations already in seconds), for
 * reading a stored version back with validation.
 */
export const storedPolicyDefinitionSchema = z
  .strictObject(definitionShape(durationFromSeconds))
  .superRefine(checkDefinition);
