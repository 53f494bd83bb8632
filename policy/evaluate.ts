// The policy decision for one request: pure and deterministic, because the plan is recorded in
// workflow history and must come out the same when replayed or recomputed for an audit.
import { riskAtMost, stepUpRequired } from '../domain/index.js';
import { type ApproverContext, findPerson, isGroupMember, resolveEscalation } from './approvers.js';
import { isSatisfiable, planStep } from './plan.js';
import { andList, stepTitle } from './text.js';
import type {
  AutoApproveDecision,
  PlanStep,
  PlanTiming,
  PolicyDecision,
  PolicyEvaluationInput,
  PolicyRef,
  SodRuleView,
} from './types.js';

/**
 * Decides a request. Order of precedence: an unknown or inactive requester is refused; a
 * separation-of-duties `deny` rule wins over everything else; auto-approval applies only when no SoD
 * rule is triggered at all; otherwise the policy's steps plus one step per `require_approval` rule.
 */
export function evaluatePolicy(input: PolicyEvaluationInput): PolicyDecision {
  // Lower-cased so a differently-cased email can never slip past the self-approval check.
  const requester = input.requester.trim().toLowerCase();
  const policy: PolicyRef = { key: input.policy.key, version: input.policy.version };
  const person = findPerson(input.directory, requester);
  if (person?.status !== 'active') {
    return {
      outcome: 'deny',
      code: 'requester_inactive',
      policy,
      reason: `requester ${requester} is ${person ? 'inactive' : 'not in the directory'}`,
    };
  }

  const requested = `${input.resource.key}/${input.entitlement.key}`;
  const triggered = triggeredSodRules(input.sodRules, requested, input.heldEntitlements);
  const [deny, ...otherDenies] = triggered.filter((rule) => rule.action === 'deny');
  if (deny) {
    const conflictingWith = deny.entitlements.filter((e) => e !== requested);
    return {
      outcome: 'deny',
      code: 'sod_conflict',
      policy,
      rule: {
        key: deny.key,
        ...(deny.description === undefined ? {} : { description: deny.description }),
        entitlements: [...deny.entitlements],
      },
      conflictingWith,
      otherRules: otherDenies.map((rule) => rule.key),
      reason: `separation-of-duties rule "${deny.key}" forbids holding ${andList(deny.entitlements)} together`,
    };
  }

  if (triggered.length === 0) {
    const auto = matchAutoApprove(input, requester, policy);
    if (auto) return auto;
  }

  const context: ApproverContext = { requester, directory: input.directory, resource: input.resource };
  const { definition } = input.policy;
  const escalation = resolveEscalation(definition.escalateTo, context);
  const policySteps = definition.steps.map((step, index) =>
    planStep(
      {
        index,
        name: step.name,
        source: 'policy',
        approverRefs: step.approvers,
        require: step.require,
      },
      escalation,
      context,
    ),
  );
  const sodSteps = triggered.map((rule, i) =>
    planStep(
      {
        index: policySteps.length + i,
        name: `separation of duties: ${rule.key}`,
        source: 'sod',
        sodRule: rule.key,
        approverRefs: rule.approvers ?? [],
        require: 'any',
      },
      escalation,
      context,
    ),
  );
  const steps = [...policySteps, ...sodSteps];

  const blocked = steps.find((step) => !isSatisfiable(step));
  if (blocked) {
    return {
      outcome: 'deny',
      code: 'no_eligible_approver',
      policy,
      step: blocked,
      reason: blockedReason(blocked),
    };
  }
  return {
    outcome: 'approval_required',
    policy,
    steps,
    ...(definition.distinctApprovers ? { distinctApprovers: true } : {}),
    timing: timingOf(definition),
    stepUp: stepUpRequired(input.entitlement.risk, input.entitlement.stepUp, definition.stepUp),
    reason: approvalReason(policy, steps),
  };
}

/**
 * Rules the request triggers, sorted by key so the input's order never matters: the requested
 * entitlement is one of the rule's, and with it the requester would hold all of them.
 */
function triggeredSodRules(rules: SodRuleView[], requested: string, held: string[]): SodRuleView[] {
  const holding = new Set([...held, requested]);
  return rules
    .filter((rule) => rule.entitlements.includes(requested) && rule.entitlements.every((e) => holding.has(e)))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

// The first rule in the policy's order that matches wins: the order is the policy author's.
function matchAutoApprove(
  input: PolicyEvaluationInput,
  requester: string,
  policy: PolicyRef,
): AutoApproveDecision | undefined {
  const risk = input.entitlement.risk;
  const rules = input.policy.definition.autoApprove ?? [];
  for (const [index, rule] of rules.entries()) {
    if (!riskAtMost(risk, rule.maxRisk)) continue;
    const groups = rule.requesterInGroups;
    const matched = groups?.filter((group) => isGroupMember(input.directory, group, requester));
    if (matched !== undefined && matched.length === 0) continue;
    const because = matched
      ? `, requester in group${matched.length > 1 ? 's' : ''} ${matched.join(', ')}`
      : '';
    return {
      outcome: 'auto_approve',
      policy,
      rule: {
        index,
        maxRisk: rule.maxRisk,
        ...(groups && matched ? { requesterInGroups: [...groups], matchedGroups: matched } : {}),
      },
      reason: `auto-approved by policy "${policy.key}" (risk ${risk} ≤ ${rule.maxRisk}${because})`,
    };
  }
  return undefined;
}

// Only the timers the policy sets, so the plan has no `undefined` that a JSON round trip would drop.
function timingOf(definition: PolicyEvaluationInput['policy']['definition']): PlanTiming {
  const timing: PlanTiming = {};
  if (definition.remindAfter !== undefined) timing.remindAfter = definition.remindAfter;
  if (definition.escalateAfter !== undefined) timing.escalateAfter = definition.escalateAfter;
  if (definition.expireAfter !== undefined) timing.expireAfter = definition.expireAfter;
  return timing;
}

function blockedReason(step: PlanStep): string {
  const found = step.eligible.length === 0 ? 'none' : `only ${step.eligible.length}`;
  const escalation = step.escalation;
  const tried =
    escalation.approvers.length > 0
      ? `even after escalating to ${escalation.ref}`
      : `and no one to escalate to (${escalation.ref})`;
  return `not enough eligible approvers for ${stepTitle(step)}: needs ${step.required}, ${found} eligible ${tried}`;
}

function approvalReason(policy: PolicyRef, steps: PlanStep[]): string {
  const count = `${steps.length} step${steps.length === 1 ? '' : 's'}`;
  const rules = steps.flatMap((step) => (step.sodRule === undefined ? [] : [`"${step.sodRule}"`]));
  const sod = rules.length
    ? `, including separation-of-duties rule${rules.length > 1 ? 's' : ''} ${andList(rules)}`
    : '';
  const escalated = steps.filter((step) => step.escalatedAtPlanTime).map(stepTitle);
  const escalation = escalated.length
    ? `; escalated at plan time for lack of eligible approvers: ${andList(escalated)}`
    : '';
  return `approval required by policy "${policy.key}" v${policy.version} in ${count}${sod}${escalation}`;
}
