// Short plain English for a decision, for Slack messages and the CLI. Labels in a plan address the
// requester ("your manager"); when someone else reads the text they name the requester instead.
import { parseApproverRef } from '../directory/file-schema.js';
import { andList, orList, stepTitle } from './text.js';
import type { ExplainPlanOptions, PlanStep, PolicyDecision } from './types.js';

function readerIsSomeoneElse(options: ExplainPlanOptions | undefined): options is ExplainPlanOptions {
  if (options?.reader === undefined) return false;
  return options.reader.trim().toLowerCase() !== options.requester.email.trim().toLowerCase();
}

// Only labels this module's own templates wrote are rewritten (keyed by the reference kind), so a
// group that happens to be called "you" is never touched.
function forReader(label: string, ref: string, options: ExplainPlanOptions | undefined): string {
  if (!readerIsSomeoneElse(options)) return label;
  const name = options.requester.name;
  switch (parseApproverRef(ref)?.kind) {
    case 'manager':
    case 'manager_of_manager':
      return label.replace(/^your /, `${name}'s `);
    case 'resource_owner':
      return label.replace(/ \(you\)$/, ` (${name})`);
    case 'user':
      return label === 'you' ? name : label;
    default:
      return label;
  }
}

function approversText(step: PlanStep, options: ExplainPlanOptions | undefined): string {
  const isGroup = step.approverRefs.map((ref) => parseApproverRef(ref)?.kind === 'group');
  const labels = step.labels.map((label, i) => forReader(label, step.approverRefs[i] ?? '', options));
  if (labels.length === 0) return 'no approvers listed';
  if (step.requireLabel === 'any') return orList(labels.map((l, i) => (isGroup[i] ? `one of ${l}` : l)));
  if (typeof step.requireLabel === 'number') return `${step.requireLabel} of ${andList(labels)}`;
  if (!isGroup.includes(true)) return andList(labels);
  // After a plan-time escalation the count would include the stand-ins, so it is left out.
  if (step.escalatedAtPlanTime) return `all of ${andList(labels)}`;
  return `all of ${andList(labels)} (${step.required} ${step.required === 1 ? 'person' : 'people'})`;
}

/** One step in a few words: "your manager (Dana Reyes)", "2 of Security", "one of Risk for ...". */
export function describeStep(step: PlanStep, options?: ExplainPlanOptions): string {
  let text = approversText(step, options);
  if (step.source === 'sod') text += ` for separation-of-duties rule "${step.sodRule}"`;
  if (step.escalatedAtPlanTime) {
    text += `, escalated to ${forReader(step.escalation.label, step.escalation.ref, options)}`;
  }
  return text;
}

const NAMED = /^(.*) \(([^()]+)\)$/;

/**
 * The steps in a few words each. Consecutive steps that one and the same person decides alone
 * read as one ("your manager and the owner of Payments database: Hannah Kim"), since their one
 * approval counts for both; never so when the policy wants distinct approvers.
 */
function stepPhrases(
  decision: Extract<PolicyDecision, { outcome: 'approval_required' }>,
  options: ExplainPlanOptions,
) {
  const phrases: string[] = [];
  let merged: { person: string; who: string[]; bases: string[] } | undefined;
  const flush = () => {
    if (!merged) return;
    phrases.push(
      merged.bases.length > 1
        ? `${andList(merged.bases)}: ${merged.who[0]}`
        : `${merged.bases[0]} (${merged.who[0]})`,
    );
    merged = undefined;
  };
  for (const step of decision.steps) {
    const text = describeStep(step, options);
    const named = NAMED.exec(text);
    const alone = step.required === 1 && step.eligible.length === 1 && step.labels.length === 1;
    const person = step.eligible[0];
    if (!decision.distinctApprovers && alone && named && person) {
      const [, base = '', who = ''] = named;
      if (merged?.person === person) {
        merged.bases.push(base);
        continue;
      }
      flush();
      merged = { person, who: [who], bases: [base] };
      continue;
    }
    flush();
    phrases.push(text);
  }
  flush();
  return phrases;
}

/** The whole decision in one line: who must approve, or why it was approved or denied. */
export function explainPlan(decision: PolicyDecision, options: ExplainPlanOptions): string {
  switch (decision.outcome) {
    case 'auto_approve':
      return decision.reason;
    case 'approval_required':
      return `needs: ${stepPhrases(decision, options).join(', then ')}`;
    case 'deny':
      break;
  }
  switch (decision.code) {
    case 'sod_conflict':
      return `denied: separation-of-duties rule "${decision.rule.key}" (holding ${andList(decision.rule.entitlements)} together)`;
    case 'requester_inactive': {
      const who = readerIsSomeoneElse(options) ? `${options.requester.name} is` : 'you are';
      return `denied: ${who} not an active person in the directory`;
    }
    case 'no_eligible_approver': {
      const { step } = decision;
      const found = step.eligible.length === 0 ? 'none' : `only ${step.eligible.length}`;
      const target = forReader(step.escalation.label, step.escalation.ref, options);
      const tried =
        step.escalation.approvers.length > 0
          ? `even after escalating to ${target}`
          : `and no one to escalate to: ${target}`;
      return `denied: not enough approvers for ${stepTitle(step)}: needs ${step.required}, ${found} eligible ${tried}`;
    }
  }
}
