// Plain-data inputs and outputs of the policy engine. Everything here survives a JSON round trip,
// because a decision travels through Temporal workflow history and must read back identically.
import type { PolicyDefinition } from '../directory/file-schema.js';
import type { RiskLevel, StepUpMethod, StepUpSetting } from '../domain/index.js';

/** One person as the engine needs them; `manager` is an email. */
export type DirectoryPersonView = {
  email: string;
  name: string;
  manager?: string | undefined;
  status: 'active' | 'inactive';
  slackUserId?: string | undefined;
};

/** One group; `members` are emails, in any order. */
export type DirectoryGroupView = { key: string; name: string; members: string[] };

/** The slice of the directory a decision can depend on: people by email, groups by key. */
export type DirectoryView = {
  people: Record<string, DirectoryPersonView>;
  groups: Record<string, DirectoryGroupView>;
};

/** The entitlement being requested (its resource is given separately); `stepUp` as its entry sets it. */
export type EntitlementView = {
  key: string;
  name: string;
  risk: RiskLevel;
  maxDurationSeconds: number;
  stepUp?: StepUpSetting | undefined;
};

/** The resource the entitlement belongs to; `owner` is an email. */
export type ResourceView = { key: string; name: string; owner: string };

/** The policy version in force, so a decision names exactly what it was made under. */
export type PolicyVersionView = { key: string; version: number; definition: PolicyDefinition };

/** A separation-of-duties rule; `entitlements` are `resource/entitlement` keys. */
export type SodRuleView = {
  key: string;
  description?: string | undefined;
  entitlements: string[];
  action: 'deny' | 'require_approval';
  approvers?: string[] | undefined;
};

/** Everything `evaluatePolicy` looks at; nothing else can change its answer. */
export type PolicyEvaluationInput = {
  /** The requester's email. */
  requester: string;
  entitlement: EntitlementView;
  resource: ResourceView;
  policy: PolicyVersionView;
  /** `resource/entitlement` keys the requester holds now (active grants) or has pending. */
  heldEntitlements: string[];
  sodRules: SodRuleView[];
  directory: DirectoryView;
};

/** The policy version a decision was made under. */
export type PolicyRef = { key: string; version: number };

/** How many approvals a step asks for, as written. */
export type RequireLabel = 'any' | 'all' | number;

/** Who a step escalates to, resolved when the plan is made. */
export type PlanEscalation = {
  /** The reference actually used: `manager` when `manager_of_manager` fell back to the manager. */
  ref: string;
  /** `default` when the policy names no `escalateTo`. */
  source: 'policy' | 'default';
  /** Active people, sorted, the requester removed; empty when there is no one to escalate to. */
  approvers: string[];
  /** For people: "your manager's manager (Lee Park)", "Platform". */
  label: string;
};

/** One approval step of a plan, with its approvers resolved to people. */
export type PlanStep = {
  /** Position in the plan, from 0. */
  index: number;
  /** The step's name as written in the policy; SoD steps are named after their rule. */
  name?: string | undefined;
  source: 'policy' | 'sod';
  /** The rule key, for `source: 'sod'`. */
  sodRule?: string | undefined;
  /** Approver references as written. */
  approverRefs: string[];
  /** People who may decide this step: active, sorted, unique, never the requester. */
  eligible: string[];
  /** Approvals needed: `any` → 1, `all` → every eligible person, N → N. */
  required: number;
  requireLabel: RequireLabel;
  escalation: PlanEscalation;
  /** True when too few people were eligible, so the escalation approvers were added up front. */
  escalatedAtPlanTime: boolean;
  /** A label per approver reference, addressed to the requester ("your manager (Dana Reyes)"). */
  labels: string[];
};

/** The policy's timers, in seconds; absent when the policy sets none. */
export type PlanTiming = { remindAfter?: number; escalateAfter?: number; expireAfter?: number };

/** The policy approves the request itself. */
export type AutoApproveDecision = {
  outcome: 'auto_approve';
  policy: PolicyRef;
  rule: { index: number; maxRisk: RiskLevel; requesterInGroups?: string[]; matchedGroups?: string[] };
  reason: string;
};

/** People must approve, step by step. */
export type ApprovalRequiredDecision = {
  outcome: 'approval_required';
  policy: PolicyRef;
  steps: PlanStep[];
  /** Each step needs people who decided no earlier step (else one approval counts for every step its approver may decide). */
  distinctApprovers?: boolean;
  timing: PlanTiming;
  /**
   * What an approval must carry beyond the approver's word: `webauthn`, a passkey assertion over
   * the decision; null, nothing. Absent in plans made before step-up existed (read as null).
   */
  stepUp?: StepUpMethod | null;
  reason: string;
};

/** A separation-of-duties rule forbids the combination. */
export type SodConflictDecision = {
  outcome: 'deny';
  code: 'sod_conflict';
  policy: PolicyRef;
  rule: { key: string; description?: string; entitlements: string[] };
  /** The rule's other entitlements, which the requester already holds or has pending. */
  conflictingWith: string[];
  /** Further deny rules the request also triggers, by key. */
  otherRules: string[];
  reason: string;
};

/** A step cannot be satisfied even after escalation; refusing beats stalling or passing silently. */
export type NoEligibleApproverDecision = {
  outcome: 'deny';
  code: 'no_eligible_approver';
  policy: PolicyRef;
  /** The first step that cannot be satisfied, as planned. */
  step: PlanStep;
  reason: string;
};

/** The requester is unknown or inactive; no policy applies to them. */
export type RequesterInactiveDecision = {
  outcome: 'deny';
  code: 'requester_inactive';
  policy: PolicyRef;
  reason: string;
};

/** Any refusal by the policy engine. */
export type DenyDecision = SodConflictDecision | NoEligibleApproverDecision | RequesterInactiveDecision;

/** What the policy says about one request. */
export type PolicyDecision = AutoApproveDecision | ApprovalRequiredDecision | DenyDecision;

/** What `checkRequestInput` needs: a subset of `PolicyEvaluationInput` plus the request's own fields. */
export type RequestCheckInput = {
  requester: string;
  /** Requested grant length in seconds. */
  durationSeconds: number;
  reason?: string | undefined;
  entitlement: Pick<EntitlementView, 'name' | 'risk' | 'maxDurationSeconds'>;
  policy: { key: string; definition: Pick<PolicyDefinition, 'maxDuration' | 'requireReasonAbove'> };
  directory: Pick<DirectoryView, 'people'>;
};

/** One problem with a request field, phrased to follow the field name. */
export type RequestFieldProblem = { field: 'requester' | 'durationSeconds' | 'reason'; message: string };

/** The longest grant allowed and which limit sets it. */
export type MaxDurationResult = { seconds: number; source: 'entitlement' | 'policy' };

/** Whom an explanation addresses. */
export type ExplainPlanOptions = {
  /** The requester, named when someone else reads the text. */
  requester: { email: string; name: string };
  /** The reader's email; the requester (addressed as "you") when omitted. */
  reader?: string | undefined;
};
