import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GrantflowError } from '../../../core/errors.js';
import { policyDefinitionSchema, storedPolicyDefinitionSchema } from '../../../directory/file-schema.js';
import { policyDefinitionOf } from '../../../directory/import/policies.js';
import {
  DirectoryFileError,
  type DirectoryProblem,
  parseDirectoryFile,
  parseDirectorySource,
} from '../../../directory/parse.js';

const ACME_PATH = new URL('../../../examples/acme.yaml', import.meta.url);
const ACME = readFileSync(ACME_PATH, 'utf8');

/** Replaces exactly one occurrence, so a test edit can never silently miss. */
function edit(text: string, from: string, to: string): string {
  const first = text.indexOf(from);
  if (first < 0 || text.indexOf(from, first + 1) >= 0) throw new Error(`expected exactly one "${from}"`);
  return text.replace(from, to);
}

/** The 1-based line and column where `needle` starts (the first one after `after`, when given). */
function positionOf(text: string, needle: string, after = ''): { line: number; column: number } {
  const anchor = text.indexOf(after);
  const offset = text.indexOf(needle, Math.max(anchor, 0));
  if (anchor < 0 || offset < 0) throw new Error(`no "${needle}" after "${after}"`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1) as string).length + 1 };
}

/** Where the value of the (unique) line `key: value` starts. */
function valuePosition(text: string, keyAndValue: string): { line: number; column: number } {
  const { line, column } = positionOf(text, keyAndValue);
  return { line, column: column + keyAndValue.indexOf(': ') + 2 };
}

function problemsOf(text: string): DirectoryProblem[] {
  try {
    parseDirectorySource(text, 'acme.yaml');
  } catch (error) {
    if (error instanceof DirectoryFileError) return error.problems;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

/** The single problem of a file with one mistake, checked to be the only one. */
function onlyProblem(text: string): DirectoryProblem {
  const problems = problemsOf(text);
  expect(problems, JSON.stringify(problems, null, 2)).toHaveLength(1);
  return problems[0] as DirectoryProblem;
}

describe('parseDirectorySource on examples/acme.yaml', () => {
  const { directory, fileName, sourceHash } = parseDirectorySource(ACME, 'acme.yaml');

  it('reads every section of the example', () => {
    expect(fileName).toBe('acme.yaml');
    expect(sourceHash).toMatch(/^[0-9a-f]{64}$/);
    expect(directory.people).toHaveLength(31);
    expect(new Set(directory.people.map((p) => p.department))).toEqual(
      new Set([
        'Executive',
        'Engineering',
        'IT',
        'Security',
        'Finance',
        'Sales',
        'People Operations',
        'Internal Audit',
      ]),
    );
    expect(directory.groups.map((g) => g.key)).toEqual([
      'security',
      'platform',
      'sre-oncall',
      'engineering',
      'finance',
      'finance-controllers',
      'it-admins',
      'grantflow-admins',
      'auditors',
    ]);
    expect(directory.policies).toHaveLength(6);
    expect(directory.resources.map((r) => r.key)).toEqual([
      'payments-db',
      'warehouse',
      'github',
      'aws-prod',
      'billing',
      'hr-system',
      'okta-admin',
    ]);
    expect(directory.resources.flatMap((r) => r.entitlements)).toHaveLength(19);
    expect(new Set(directory.resources.flatMap((r) => r.entitlements.map((e) => e.risk)))).toEqual(
      new Set(['low', 'medium', 'high', 'critical']),
    );
    expect(directory.separationOfDuties.map((r) => r.action)).toEqual(['deny', 'require_approval', 'deny']);
  });

  it('fills defaults and converts durations to seconds', () => {
    expect(directory.people[0]).toEqual({
      email: 'alex.morgan@acme.test',
      name: 'Alex Morgan',
      slackUserId: 'U0ACME001',
      department: 'Executive',
      title: 'Chief Executive Officer',
      status: 'active',
    });
    expect(directory.people.find((p) => p.email === 'peter.voss@acme.test')?.status).toBe('inactive');
    const standard = directory.policies.find((p) => p.key === 'standard');
    expect(standard).toEqual({
      key: 'standard',
      description: "Everyday access to business data. The manager, then the system's owner.",
      steps: [
        { name: 'Manager', approvers: ['manager'], require: 'any' },
        { name: 'Resource owner', approvers: ['resource_owner'], require: 'any' },
      ],
      remindAfter: 8 * 3600,
      escalateAfter: 86_400,
      escalateTo: 'manager_of_manager',
      expireAfter: 5 * 86_400,
      maxDuration: 14 * 86_400,
      requireReasonAbove: 'low',
    });
    const paymentsDb = directory.resources[0];
    expect(paymentsDb?.connector).toEqual({ kind: 'postgres', databaseUrlEnv: 'PAYMENTS_DATABASE_URL' });
    expect(paymentsDb?.entitlements[1]).toMatchObject({
      key: 'payments_write',
      risk: 'high',
      maxDuration: 8 * 3600,
      policy: 'privileged',
      target: { role: 'payments_write' },
    });
  });

  it('stores policies in a form that reads back to the same definition', () => {
    for (const policy of directory.policies) {
      const stored = JSON.parse(JSON.stringify(policyDefinitionOf(policy)));
      expect(stored).not.toHaveProperty('key');
      expect(storedPolicyDefinitionSchema.parse(stored)).toEqual(stored);
    }
  });

  it('lower-cases emails wherever they appear', () => {
    const text = edit(
      edit(ACME, '  - email: sofia.rossi@acme.test', '  - email: Sofia.Rossi@ACME.test'),
      '        approvers: [user:nina.kowalski@acme.test,',
      '        approvers: [user:Nina.Kowalski@acme.test,',
    );
    const parsed = parseDirectorySource(text, 'acme.yaml').directory;
    expect(parsed.people.some((p) => p.email === 'sofia.rossi@acme.test')).toBe(true);
    expect(parsed.policies.find((p) => p.key === 'hr-data')?.steps[0]?.approvers[0]).toBe(
      'user:nina.kowalski@acme.test',
    );
  });
});

describe('policyDefinitionSchema', () => {
  it('refuses a bare number as a duration (hours or seconds?)', () => {
    const result = policyDefinitionSchema.safeParse({ steps: [{ approvers: ['manager'] }], maxDuration: 8 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['maxDuration']);
  });

  it('requires escalateTo with escalateAfter and an escalation before expiry', () => {
    const result = policyDefinitionSchema.safeParse({
      steps: [{ approvers: ['manager'] }],
      escalateAfter: '2d',
      expireAfter: '1d',
    });
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['escalateTo', 'is required when escalateAfter is set (who should the request escalate to?)'],
      [
        'escalateAfter',
        'must be shorter than expireAfter (1d), found 2d: the request would expire before it escalates',
      ],
    ]);
  });

  it('takes distinctApprovers as a yes or no', () => {
    const steps = [{ approvers: ['manager'] }, { approvers: ['resource_owner'] }];
    expect(policyDefinitionSchema.parse({ steps, distinctApprovers: true }).distinctApprovers).toBe(true);
    const wrong = policyDefinitionSchema.safeParse({ steps, distinctApprovers: 'yes' });
    expect(wrong.error?.issues[0]?.path).toEqual(['distinctApprovers']);
  });
});

describe('shape errors name the line and field', () => {
  it('points at a misspelt field and suggests the right one', () => {
    const text = edit(ACME, '    title: VP of Sales', '    titel: VP of Sales');
    expect(onlyProblem(text)).toEqual({
      file: 'acme.yaml',
      ...positionOf(text, 'titel: VP of Sales'),
      field: 'people[22].titel',
      message: 'unknown field "titel" (did you mean "title"?)',
    });
  });

  it('says which risk levels exist and what was found', () => {
    const text = edit(
      ACME,
      '        risk: critical\n        maxDuration: 2h',
      '        risk: severe\n        maxDuration: 2h',
    );
    expect(onlyProblem(text)).toEqual({
      file: 'acme.yaml',
      ...positionOf(text, 'severe'),
      field: 'resources[6].entitlements[1].risk',
      message: 'must be one of "low", "medium", "high", "critical", found "severe"',
    });
  });

  it('refuses a zero duration', () => {
    const text = edit(ACME, '        maxDuration: 2h', '        maxDuration: 0h');
    expect(onlyProblem(text)).toMatchObject({
      ...positionOf(text, '0h'),
      field: 'resources[6].entitlements[1].maxDuration',
      message: 'must be longer than zero, found "0h"',
    });
  });

  it('refuses a duration that is not one', () => {
    const text = edit(ACME, '    remindAfter: 30m', '    remindAfter: half an hour');
    expect(onlyProblem(text)).toMatchObject({
      ...positionOf(text, 'half an hour'),
      field: 'policies[2].remindAfter',
      message:
        'must be a duration: a whole number and a unit (s, m, h, d or w), like "45s", "30m", "4h", "2d", "1w" or "1h30m", found "half an hour"',
    });
  });

  it('puts a missing field at the entry it belongs to', () => {
    const text = edit(ACME, '  - key: sre-oncall\n    name: SRE on-call rotation\n', '  - key: sre-oncall\n');
    expect(onlyProblem(text)).toMatchObject({
      ...positionOf(text, 'key: sre-oncall'),
      field: 'groups[2].name',
      message: 'is required',
    });
  });

  it('explains the approver notation', () => {
    const text = edit(ACME, '        approvers: [group:sre-oncall]', '        approvers: [oncall]');
    expect(onlyProblem(text)).toMatchObject({
      ...positionOf(text, 'oncall]'),
      field: 'policies[2].steps[1].approvers[0]',
      message: 'must be "manager", "resource_owner", "user:<email>" or "group:<key>", found "oncall"',
    });
  });

  it('refuses an unknown connector kind', () => {
    const text = edit(
      ACME,
      '      kind: manual\n    entitlements:\n      - key: invoices_view',
      '      kind: ftp\n    entitlements:\n      - key: invoices_view',
    );
    expect(onlyProblem(text)).toMatchObject({
      ...positionOf(text, 'ftp'),
      field: 'resources[4].connector.kind',
      message: 'must be one of "postgres", "mysql", "ldap", "scim", "webhook", "manual", found "ftp"',
    });
  });

  it('needs a role for every postgres entitlement', () => {
    const text = edit(ACME, '        target: { role: payments_read }\n', '');
    expect(onlyProblem(text)).toMatchObject({
      ...positionOf(text, 'key: payments_read'),
      field: 'resources[0].entitlements[0].target',
      message: expect.stringContaining('a postgres entitlement needs target.role'),
    });
  });

  it('reads an ldap connector and needs a group DN for every ldap entitlement', () => {
    let text = edit(
      ACME,
      '      kind: manual\n    entitlements:\n      - key: directory\n',
      [
        '      kind: ldap',
        '      urlEnv: HR_LDAP_URL',
        '      bindDnEnv: HR_LDAP_BIND_DN',
        '      bindPasswordEnv: HR_LDAP_BIND_PASSWORD',
        "      usersBaseDn: 'ou=people,dc=example,dc=test'",
        '      userAttribute: mail',
        '    entitlements:',
        '      - key: directory',
        "        target: { groupDn: 'cn=hr-directory,ou=groups,dc=example,dc=test' }",
        '',
      ].join('\n'),
    );
    text = edit(
      text,
      '        policy: hr-data\n      - key: hr_admin\n',
      "        policy: hr-data\n        target: { groupDn: 'cn=compensation,ou=groups,dc=example,dc=test' }\n      - key: hr_admin\n",
    );
    const valid = edit(
      text,
      '        maxDuration: 1d\n        policy: hr-data\n',
      "        maxDuration: 1d\n        policy: hr-data\n        target: { groupDn: 'cn=hr-admins,ou=groups,dc=example,dc=test' }\n",
    );
    const hr = parseDirectorySource(valid, 'acme.yaml').directory.resources.find(
      (r) => r.key === 'hr-system',
    );
    expect(hr?.connector).toMatchObject({ kind: 'ldap', usersBaseDn: 'ou=people,dc=example,dc=test' });

    const broken = edit(
      text,
      '        maxDuration: 1d\n        policy: hr-data\n',
      '        maxDuration: 1d\n        policy: hr-data\n        target: { groupDn: hr-admins }\n',
    );
    expect(onlyProblem(broken)).toMatchObject({
      field: 'resources[5].entitlements[2].target.groupDn',
      message: expect.stringContaining('an ldap entitlement needs target.groupDn'),
    });
  });

  it('reads a scim connector and needs its base URL from the file or a variable', () => {
    const scim = (lines: string[]) =>
      edit(
        ACME,
        '      kind: manual\n    entitlements:\n      - key: invoices_view',
        ['      kind: scim', ...lines, '    entitlements:', '      - key: invoices_view'].join('\n'),
      );
    const valid = scim([
      '      baseUrl: https://billing.acme.test/scim/v2',
      '      tokenEnv: BILLING_SCIM_TOKEN',
    ]);
    const billing = parseDirectorySource(valid, 'acme.yaml').directory.resources[4];
    expect(billing?.connector).toEqual({
      kind: 'scim',
      baseUrl: 'https://billing.acme.test/scim/v2',
      tokenEnv: 'BILLING_SCIM_TOKEN',
    });
    expect(
      parseDirectorySource(
        scim(['      baseUrlEnv: BILLING_SCIM_URL', '      tokenEnv: BILLING_SCIM_TOKEN']),
        'acme.yaml',
      ).directory.resources[4]?.connector,
    ).toEqual({ kind: 'scim', baseUrlEnv: 'BILLING_SCIM_URL', tokenEnv: 'BILLING_SCIM_TOKEN' });

    expect(onlyProblem(scim(['      tokenEnv: BILLING_SCIM_TOKEN']))).toMatchObject({
      field: 'resources[4].connector.baseUrl',
      message: 'a scim connector needs baseUrl or baseUrlEnv',
    });
    expect(
      onlyProblem(
        scim(['      baseUrl: ftp://billing.acme.test/scim', '      tokenEnv: BILLING_SCIM_TOKEN']),
      ),
    ).toMatchObject({
      field: 'resources[4].connector.baseUrl',
      message: 'must be an http:// or https:// URL, found "ftp://billing.acme.test/scim"',
    });
  });

  it('refuses a zero quorum', () => {
    const text = edit(ACME, '        require: 2', '        require: 0');
    expect(onlyProblem(text)).toMatchObject({
      ...valuePosition(text, 'require: 0'),
      field: 'policies[3].steps[2].require',
      message: 'must be "any", "all" or a positive whole number of approvals, found 0',
    });
  });

  it('reports a missing section and how to write an empty one', () => {
    const text = ACME.slice(0, ACME.indexOf('separationOfDuties:'));
    expect(onlyProblem(text)).toMatchObject({
      ...positionOf(text, 'people:\n'),
      field: 'separationOfDuties',
      message: expect.stringContaining('write "separationOfDuties: []" if there are none'),
    });
  });
});

describe('cross-reference errors name the line and field', () => {
  it('finds an unknown manager', () => {
    const anchor = '  - email: tom.becker@acme.test';
    const text = edit(
      ACME,
      `${anchor}\n    name: Tom Becker\n    slackUserId: U0ACME008\n    manager: hannah.kim@acme.test`,
      `${anchor}\n    name: Tom Becker\n    slackUserId: U0ACME008\n    manager: hannah.kimm@acme.test`,
    );
    expect(onlyProblem(text)).toEqual({
      file: 'acme.yaml',
      ...positionOf(text, 'hannah.kimm@acme.test'),
      field: 'people[7].manager',
      message: 'no person with email "hannah.kimm@acme.test" in people',
    });
  });

  it('finds an unknown group in a step and in escalateTo', () => {
    let text = edit(ACME, '        approvers: [group:sre-oncall]', '        approvers: [group:sre-on-call]');
    text = edit(text, '    escalateTo: group:platform', '    escalateTo: group:platforms');
    expect(problemsOf(text)).toEqual([
      {
        file: 'acme.yaml',
        ...positionOf(text, 'group:sre-on-call'),
        field: 'policies[2].steps[1].approvers[0]',
        message: 'no group with key "sre-on-call" in groups',
      },
      {
        file: 'acme.yaml',
        ...positionOf(text, 'group:platforms'),
        field: 'policies[2].escalateTo',
        message: 'no group with key "platforms" in groups',
      },
    ]);
  });

  it('finds an unknown policy', () => {
    const text = edit(
      ACME,
      '        maxDuration: 3d\n        policy: standard',
      '        maxDuration: 3d\n        policy: standrad',
    );
    expect(onlyProblem(text)).toMatchObject({
      ...positionOf(text, 'standrad'),
      field: 'resources[1].entitlements[1].policy',
      message: 'no policy with key "standrad" in policies',
    });
  });

  it('finds unknown entitlements and resources in a separation-of-duties rule', () => {
    const text = edit(
      ACME,
      '    entitlements: [billing/payout_initiator, billing/payout_approver]',
      '    entitlements: [billing/payout_initiater, stripe/payout_approver]',
    );
    expect(problemsOf(text).map(({ field, message, column }) => ({ field, message, column }))).toEqual([
      {
        field: 'separationOfDuties[0].entitlements[0]',
        message: 'resource "billing" has no entitlement "payout_initiater"',
        column: positionOf(text, 'billing/payout_initiater').column,
      },
      {
        field: 'separationOfDuties[0].entitlements[1]',
        message: 'no resource with key "stripe" in resources',
        column: positionOf(text, 'stripe/').column,
      },
    ]);
  });

  it('finds a duplicate email at its second use', () => {
    const text = edit(ACME, '  - email: zara.ahmed@acme.test', '  - email: oscar.lind@acme.test');
    expect(onlyProblem(text)).toMatchObject({
      ...positionOf(text, 'oscar.lind@acme.test', 'name: Oscar Lind'),
      field: 'people[28].email',
      message: 'duplicate email "oscar.lind@acme.test": also used by people[27]',
    });
  });

  it('finds a duplicate group key', () => {
    const text = edit(ACME, '  - key: it-admins', '  - key: finance');
    expect(onlyProblem(text)).toMatchObject({
      ...positionOf(text, 'finance', '    members: [maria.santos@acme.test, james.obrien@acme.test]'),
      field: 'groups[6].key',
      message: 'duplicate group key "finance": also used by groups[4]',
    });
  });

  it('finds a manager cycle once, at the first person of the cycle', () => {
    const text = edit(
      ACME,
      '    slackUserId: U0ACME001\n',
      '    slackUserId: U0ACME001\n    manager: tom.becker@acme.test\n',
    );
    expect(onlyProblem(text)).toMatchObject({
      ...positionOf(text, 'tom.becker@acme.test'),
      field: 'people[0].manager',
      message:
        'manager chain loops back to "alex.morgan@acme.test": alex.morgan@acme.test → tom.becker@acme.test → ' +
        'hannah.kim@acme.test → priya.raman@acme.test → alex.morgan@acme.test',
    });
  });

  it("refuses an entitlement longer than its policy's maxDuration", () => {
    const text = edit(
      ACME,
      '        maxDuration: 8h\n        policy: privileged\n        target: { role: payments_write }',
      '        maxDuration: 9h\n        policy: privileged\n        target: { role: payments_write }',
    );
    expect(onlyProblem(text)).toMatchObject({
      ...positionOf(text, '9h'),
      field: 'resources[0].entitlements[1].maxDuration',
      message: '9h exceeds the maxDuration of policy "privileged" (8h)',
    });
  });

  it('needs approvers for a require_approval rule', () => {
    const text = edit(
      ACME,
      '    action: require_approval\n    approvers: [group:finance-controllers]\n',
      '    action: require_approval\n',
    );
    expect(onlyProblem(text)).toMatchObject({
      ...positionOf(text, 'key: payments-write-and-refunds'),
      field: 'separationOfDuties[1].approvers',
      message: 'is required when action is require_approval',
    });
  });

  it('refuses an inactive resource owner', () => {
    const text = edit(ACME, '    owner: james.obrien@acme.test', '    owner: peter.voss@acme.test');
    expect(onlyProblem(text)).toMatchObject({
      ...positionOf(text, 'peter.voss@acme.test', '  - key: billing'),
      field: 'resources[4].owner',
      message: '"peter.voss@acme.test" is inactive and cannot act as resource owner',
    });
  });

  it('refuses a quorum larger than the group', () => {
    const text = edit(ACME, '        require: 2', '        require: 6');
    expect(onlyProblem(text)).toMatchObject({
      ...valuePosition(text, 'require: 6'),
      field: 'policies[3].steps[2].require',
      message: 'requires 6 approvals but the approvers add up to at most 5 people',
    });
  });
});

describe('DirectoryFileError', () => {
  it('reports every problem at once, in file order, one per line of its message', () => {
    let text = edit(
      ACME,
      '        risk: critical\n        maxDuration: 2h',
      '        risk: extreme\n        maxDuration: 2h',
    );
    text = edit(text, '    title: VP of Sales', '    title: [VP, of, Sales]');
    text = edit(text, '    remindAfter: 30m', '    remindAfter: 30 minutes');

    let error: unknown;
    try {
      parseDirectorySource(text, 'acme.yaml');
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(DirectoryFileError);
    expect(error).toBeInstanceOf(GrantflowError);
    const failure = error as DirectoryFileError;
    expect(failure.code).toBe('directory_invalid');
    expect(failure.status).toBe(400);
    expect(failure.details).toEqual({ problems: failure.problems });
    const title = positionOf(text, '[VP, of, Sales]');
    const remind = positionOf(text, '30 minutes');
    const risk = positionOf(text, 'extreme');
    expect(failure.message.split('\n')).toEqual([
      `acme.yaml:${title.line}:${title.column} people[22].title: must be a string, found a list of 3 item(s)`,
      `acme.yaml:${remind.line}:${remind.column} policies[2].remindAfter: must be a duration: a whole number and a unit (s, m, h, d or w), like "45s", "30m", "4h", "2d", "1w" or "1h30m", found "30 minutes"`,
      `acme.yaml:${risk.line}:${risk.column} resources[6].entitlements[1].risk: must be one of "low", "medium", "high", "critical", found "extreme"`,
    ]);
  });

  it('checks cross-references once the shape is valid, and reports them all', () => {
    let text = edit(ACME, '    owner: james.obrien@acme.test', '    owner: jim@acme.test');
    text = edit(
      text,
      '    manager: ben.carter@acme.test\n    department: Sales\n    title: Sales Operations Manager',
      '    manager: bob.carter@acme.test\n    department: Sales\n    title: Sales Operations Manager',
    );
    text = edit(text, '        requesterInGroups: [engineering]', '        requesterInGroups: [engineers]');

    expect(problemsOf(text).map((p) => `${p.line} ${p.field}: ${p.message}`)).toEqual([
      `${positionOf(text, 'bob.carter').line} people[25].manager: no person with email "bob.carter@acme.test" in people`,
      `${positionOf(text, '[engineers]').line} policies[0].autoApprove[0].requesterInGroups[0]: no group with key "engineers" in groups`,
      `${positionOf(text, 'jim@acme.test').line} resources[4].owner: no person with email "jim@acme.test" in people`,
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const text = edit(ACME, '    title: Staff Data Engineer', '    title: "Staff Data Engineer');
    const problems = problemsOf(text);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.message).toMatch(/^YAML syntax error: /);
    expect(problems[0]?.line).toBeGreaterThanOrEqual(positionOf(text, '"Staff Data Engineer').line);
  });

  it('reports a duplicate key as a syntax error at the second key', () => {
    const text = edit(
      ACME,
      '    title: Senior Accountant\n',
      '    title: Senior Accountant\n    title: Accountant\n',
    );
    expect(onlyProblem(text)).toMatchObject({
      ...positionOf(text, 'title: Accountant'),
      field: '',
      message: 'YAML syntax error: Map keys must be unique',
    });
  });

  it('says when the file is not a mapping at all', () => {
    expect(problemsOf('- just\n- a list\n')).toEqual([
      {
        file: 'acme.yaml',
        line: 1,
        column: 1,
        field: '',
        message:
          'the file must be a mapping with "people", "groups", "policies", "resources", "separationOfDuties", "birthright", "access", found a list of 2 item(s)',
      },
    ]);
  });

  it('says when the file cannot be read', async () => {
    await expect(parseDirectoryFile('/nonexistent/acme.yaml')).rejects.toThrow(
      /^\/nonexistent\/acme\.yaml:1:1 cannot read the file: ENOENT/,
    );
  });

  it('reads the example from disk', async () => {
    const parsed = await parseDirectoryFile(ACME_PATH.pathname);
    expect(parsed.fileName).toBe(ACME_PATH.pathname);
    expect(parsed.directory.people).toHaveLength(31);
  });
});

describe('parseDirectorySource on text that is not Unicode', () => {
  it('refuses a lone surrogate escape where it is, instead of failing later', () => {
    const text = edit(ACME, 'name: Tom Becker', 'name: "Tom Becker \\ud800"');
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      ...positionOf(text, '"Tom Becker \\ud800"'),
      message: expect.stringContaining('lone surrogate'),
    });
  });
});
