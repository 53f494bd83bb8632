// A small organisation for the policy tests. Sam is the usual requester:
//
//   Lee Park (no manager) ─┬─ Dana Reyes ─┬─ Sam Lee
//                          │              ├─ Ana Ito, Ben Okafor
//                          │              └─ Cy Tran (inactive) ── Ian Moss
//                          └─ Priya Shah (owns Payments)
//   Zoe Kim (no manager) ──── Max Roy;  Rita Mora, Olga Berg: no manager
import type { PolicyDefinition } from '../../../directory/file-schema.js';
import type {
  DirectoryPersonView,
  DirectoryView,
  PlanStep,
  PolicyDecision,
  PolicyEvaluationInput,
  SodRuleView,
} from '../../../policy/index.js';

function person(
  email: string,
  name: string,
  manager?: string,
  status: 'active' | 'inactive' = 'active',
): DirectoryPersonView {
  return { email, name, ...(manager ? { manager } : {}), status };
}

/** Sam's organisation; a fresh copy each call so a test may change it. */
export function org(): DirectoryView {
  const people = [
    person('lee@acme.test', 'Lee Park'),
    person('dana@acme.test', 'Dana Reyes', 'lee@acme.test'),
    person('sam@acme.test', 'Sam Lee', 'dana@acme.test'),
    person('ana@acme.test', 'Ana Ito', 'dana@acme.test'),
    person('ben@acme.test', 'Ben Okafor', 'dana@acme.test'),
    person('cy@acme.test', 'Cy Tran', 'dana@acme.test', 'inactive'),
    person('ian@acme.test', 'Ian Moss', 'cy@acme.test'),
    person('priya@acme.test', 'Priya Shah', 'lee@acme.test'),
    person('zoe@acme.test', 'Zoe Kim'),
    person('max@acme.test', 'Max Roy', 'zoe@acme.test'),
    person('rita@acme.test', 'Rita Mora'),
    person('olga@acme.test', 'Olga Berg'),
  ];
  const groups = [
    {
      key: 'security',
      name: 'Security',
      members: ['ana@acme.test', 'ben@acme.test', 'cy@acme.test', 'sam@acme.test'],
    },
    { key: 'risk', name: 'Risk', members: ['rita@acme.test'] },
    { key: 'engineering', name: 'Engineering', members: ['sam@acme.test', 'ana@acme.test'] },
    { key: 'platform', name: 'Platform', members: ['olga@acme.test', 'sam@acme.test'] },
    { key: 'finance', name: 'Finance', members: ['priya@acme.test'] },
    { key: 'nobody', name: 'Nobody', members: [] },
  ];
  return {
    people: Object.fromEntries(people.map((p) => [p.email, p])),
    groups: Object.fromEntries(groups.map((g) => [g.key, g])),
  };
}

/** A policy definition with one manager step unless told otherwise. */
function definition(overrides: Partial<PolicyDefinition> = {}): PolicyDefinition {
  return { steps: [{ approvers: ['manager'], require: 'any' }], ...overrides };
}

/** The maker-checker rule of the examples: nobody both makes and checks payments. */
export const MAKER_CHECKER: SodRuleView = {
  key: 'payments-maker-checker',
  description: 'Nobody both makes and checks payments',
  entitlements: ['payments/maker', 'payments/checker'],
  action: 'deny',
};

/** Sam requests payments/read (low risk, 8h max) under policy "standard" v3 with a manager step. */
export function request(overrides: Partial<PolicyEvaluationInput> = {}): PolicyEvaluationInput {
  return {
    requester: 'sam@acme.test',
    entitlement: { key: 'read', name: 'Payments read', risk: 'low', maxDurationSeconds: 8 * 3600 },
    resource: { key: 'payments', name: 'Payments', owner: 'priya@acme.test' },
    policy: { key: 'standard', version: 3, definition: definition() },
    heldEntitlements: [],
    sodRules: [],
    directory: org(),
    ...overrides,
  };
}

/** The same request with other policy steps (and any other definition fields). */
export function withPolicy(overrides: Partial<PolicyDefinition>, base = request()): PolicyEvaluationInput {
  return { ...base, policy: { ...base.policy, definition: definition(overrides) } };
}

/** The steps of a decision that must be `approval_required`; anything else fails the test with the decision. */
export function stepsOf(decision: PolicyDecision): PlanStep[] {
  if (decision.outcome !== 'approval_required') {
    throw new Error(`expected approval_required, got ${JSON.stringify(decision, null, 2)}`);
  }
  return decision.steps;
}
