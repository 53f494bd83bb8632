import { describe, expect, it } from 'vitest';
import type { PolicyDefinition } from '../../../directory/file-schema.js';
import type { RiskLevel } from '../../../domain/index.js';
import {
  type DirectoryView,
  evaluatePolicy,
  type PlanStep,
  type PolicyDecision,
  type PolicyEvaluationInput,
  type SodRuleView,
} from '../../../policy/index.js';
import { type Random, seededRandom } from '../audit/random.js';
import { MAKER_CHECKER, request, withPolicy } from './org.js';

function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Every object rebuilt with its keys in a random order; arrays keep their order. */
function shuffleKeys<T>(random: Random, value: T): T {
  if (Array.isArray(value)) return value.map((item) => shuffleKeys(random, item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = shuffled(random, Object.entries(value)).map(([k, v]) => [k, shuffleKeys(random, v)]);
  return Object.fromEntries(entries) as T;
}

/**
 * The same request written differently: object keys in another order, and the lists whose order
 * carries no meaning (group members, held entitlements, SoD rules) shuffled. Policy steps, their
 * approvers and a rule's entitlements keep their order: that order is the author's.
 */
function rewritten(random: Random, input: PolicyEvaluationInput): PolicyEvaluationInput {
  const groups = Object.fromEntries(
    Object.entries(input.directory.groups).map(([key, group]) => [
      key,
      { ...group, members: shuffled(random, group.members) },
    ]),
  );
  return shuffleKeys(random, {
    ...input,
    heldEntitlements: shuffled(random, input.heldEntitlements),
    sodRules: shuffled(random, input.sodRules),
    directory: { ...input.directory, groups },
  });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const CHECKER = { key: 'checker', name: 'Payments checker', risk: 'high', maxDurationSeconds: 3600 } as const;

const SCENARIOS: Record<string, PolicyEvaluationInput> = {
  'two steps and an SoD step': withPolicy(
    {
      steps: [
        { name: 'Manager', approvers: ['manager'], require: 'any' },
        { approvers: ['group:security', 'resource_owner'], require: 3 },
      ],
      remindAfter: 600,
      escalateAfter: 1200,
      escalateTo: 'group:platform',
      expireAfter: 3600,
    },
    request({
      entitlement: CHECKER,
      heldEntitlements: ['payments/maker', 'crm/read', 'payments/release'],
      sodRules: [
        { ...MAKER_CHECKER, key: 'b', action: 'require_approval', approvers: ['group:risk'] },
        {
          ...MAKER_CHECKER,
          key: 'a',
          action: 'require_approval',
          approvers: ['group:security', 'user:olga@acme.test'],
        },
        {
          key: 'c',
          entitlements: ['payments/checker', 'payments/release'],
          action: 'require_approval',
          approvers: ['group:finance'],
        },
      ],
    }),
  ),
  'an SoD deny': request({
    entitlement: CHECKER,
    heldEntitlements: ['payments/maker', 'payments/release'],
    sodRules: [
      MAKER_CHECKER,
      { ...MAKER_CHECKER, key: 'a', entitlements: ['payments/release', 'payments/checker'] },
    ],
  }),
  'auto-approval by group': withPolicy({
    autoApprove: [{ maxRisk: 'medium', requesterInGroups: ['finance', 'platform', 'engineering'] }],
  }),
  'no eligible approver': withPolicy({ steps: [{ approvers: ['group:security'], require: 4 }] }),
};

describe('determinism', () => {
  it.each(Object.keys(SCENARIOS))('%s: the same decision however the input is written', (name) => {
    const input = SCENARIOS[name] as PolicyEvaluationInput;
    const expected = evaluatePolicy(input);

    for (let seed = 1; seed <= 25; seed++) {
      const decision = evaluatePolicy(rewritten(seededRandom(seed), input));

      expect(decision, `seed ${seed}`).toStrictEqual(expected);
      expect(JSON.stringify(decision), `seed ${seed}`).toBe(JSON.stringify(expected));
    }
  });

  it.each(Object.keys(SCENARIOS))('%s: survives a JSON round trip and leaves the input alone', (name) => {
    const input = deepFreeze(structuredClone(SCENARIOS[name] as PolicyEvaluationInput));

    const decision = evaluatePolicy(input);

    expect(JSON.parse(JSON.stringify(decision))).toStrictEqual(decision);
  });
});

// Random organisations and policies; a failure names its seed, so it replays.
const RISKS: RiskLevel[] = ['low', 'medium', 'high', 'critical'];

function randomCase(random: Random): PolicyEvaluationInput {
  const emails = Array.from({ length: 2 + random.int(8) }, (_, i) => `p${i}@acme.test`);
  const people: DirectoryView['people'] = {};
  emails.forEach((email, i) => {
    // Managers come earlier in the list, so there is never a cycle (the file schema refuses those).
    const manager = i > 0 && random.next() < 0.8 ? emails[random.int(i)] : undefined;
    people[email] = {
      email,
      name: `Person ${i}`,
      ...(manager ? { manager } : {}),
      status: random.next() < 0.2 ? 'inactive' : 'active',
    };
  });
  const groups: DirectoryView['groups'] = {};
  for (const key of ['g0', 'g1', 'g2']) {
    groups[key] = { key, name: key.toUpperCase(), members: emails.filter(() => random.next() < 0.4) };
  }
  const refs = [
    'manager',
    'resource_owner',
    'group:g0',
    'group:g1',
    'group:g2',
    'group:gone',
    ...emails.map((e) => `user:${e}`),
  ];
  const steps: PolicyDefinition['steps'] = Array.from({ length: 1 + random.int(3) }, () => ({
    approvers: [...new Set(Array.from({ length: 1 + random.int(3) }, () => random.pick(refs)))],
    require: random.pick(['any', 'all', 1, 2, 3] as const),
  }));
  const escalateTo = random.pick([
    undefined,
    'manager_of_manager',
    'group:g0',
    `user:${random.pick(emails)}`,
  ]);
  const entitlements = ['r/a', 'r/b', 'r/c', 's/a'];
  const sodRules: SodRuleView[] = Array.from({ length: random.int(3) }, (_, i) => {
    const set = [
      ...new Set([random.pick(entitlements), random.pick(entitlements), random.pick(entitlements)]),
    ];
    const deny = random.next() < 0.4;
    return {
      key: `rule-${i}`,
      entitlements: set,
      action: deny ? 'deny' : 'require_approval',
      ...(deny
        ? {}
        : { approvers: [random.pick(refs.filter((r) => r.startsWith('group:') || r.startsWith('user:')))] }),
    };
  });
  const autoApprove =
    random.next() < 0.3 ? [{ maxRisk: random.pick(RISKS), requesterInGroups: ['g1'] }] : undefined;
  return {
    requester: random.pick(emails),
    entitlement: { key: 'a', name: 'A', risk: random.pick(RISKS), maxDurationSeconds: 3600 },
    resource: { key: 'r', name: 'R', owner: random.pick(emails) },
    policy: {
      key: 'random',
      version: 1,
      definition: {
        steps,
        ...(escalateTo ? { escalateTo, escalateAfter: 60 } : {}),
        ...(autoApprove ? { autoApprove } : {}),
      },
    },
    heldEntitlements: entitlements.filter(() => random.next() < 0.5),
    sodRules,
    directory: { people, groups },
  };
}

function stepsIn(decision: PolicyDecision): PlanStep[] {
  if (decision.outcome === 'approval_required') return decision.steps;
  if (decision.outcome === 'deny' && decision.code === 'no_eligible_approver') return [decision.step];
  return [];
}

describe('properties over random organisations', () => {
  it('never lets anyone approve their own request or an inactive person approve at all', () => {
    const outcomes = new Set<string>();
    for (let seed = 1; seed <= 500; seed++) {
      const input = randomCase(seededRandom(seed));
      const decision = evaluatePolicy(input);
      outcomes.add(decision.outcome === 'deny' ? decision.code : decision.outcome);
      const context = `seed ${seed}: ${JSON.stringify(decision)}`;

      for (const step of stepsIn(decision)) {
        const everyone = [...step.eligible, ...step.escalation.approvers];
        expect(everyone, context).not.toContain(input.requester);
        for (const email of everyone) expect(input.directory.people[email]?.status, context).toBe('active');
        expect(step.eligible, context).toEqual([...new Set(step.eligible)].sort());
        if (step.escalatedAtPlanTime)
          expect(step.eligible, context).toEqual(expect.arrayContaining(step.escalation.approvers));
      }
      if (decision.outcome === 'approval_required') {
        for (const step of decision.steps) {
          expect(step.required, context).toBeGreaterThanOrEqual(1);
          expect(step.eligible.length, context).toBeGreaterThanOrEqual(step.required);
        }
      }
      expect(evaluatePolicy(rewritten(seededRandom(seed + 1000), input)), context).toStrictEqual(decision);
    }
    // The generator reaches every kind of outcome, so the properties above are not vacuous.
    expect([...outcomes].sort()).toEqual(
      [
        'approval_required',
        'auto_approve',
        'no_eligible_approver',
        'requester_inactive',
        'sod_conflict',
      ].sort(),
    );
  });
});
