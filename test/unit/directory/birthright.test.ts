import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DirectoryFileError, type DirectoryProblem, parseDirectorySource } from '../../../directory/parse.js';

const ACME = readFileSync(new URL('../../../examples/acme.yaml', import.meta.url), 'utf8');

// The example's rules, as the file writes them: each test replaces them with its own.
const RULES = `birthright:
  - name: engineering-warehouse-analyst
    when: { department: Engineering }
    grant: [warehouse/analyst]
  - name: security-reads-code
    when: { group: security }
    grant: [github/read]
`;

/** The example with `rules` (YAML list entries, or '' for none) as its birthright section. */
function withRules(rules: string): string {
  if (ACME.indexOf(RULES) < 0) throw new Error('the example no longer has the expected birthright rules');
  return ACME.replace(RULES, rules === '' ? '' : `birthright:\n${rules}`);
}

/** The 1-based line and column where `needle` starts (the first one after `after`). */
function positionOf(text: string, needle: string, after = 'birthright:\n'): { line: number; column: number } {
  const offset = text.indexOf(needle, text.indexOf(after));
  if (offset < 0) throw new Error(`no "${needle}" after "${after}"`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1) as string).length + 1 };
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

describe('the birthright section', () => {
  it("reads the example's rules: one on a department, one on a group", () => {
    expect(parseDirectorySource(ACME, 'acme.yaml').directory.birthright).toEqual([
      {
        name: 'engineering-warehouse-analyst',
        when: { department: 'Engineering' },
        grant: ['warehouse/analyst'],
      },
      { name: 'security-reads-code', when: { group: 'security' }, grant: ['github/read'] },
    ]);
  });

  it('may be left out: no rules', () => {
    expect(parseDirectorySource(withRules(''), 'acme.yaml').directory.birthright).toEqual([]);
  });

  it('refuses an unknown group, entitlement and resource, each at its line and field', () => {
    const text = withRules(
      '  - name: oncall\n' +
        '    when: { group: sre-on-call }\n' +
        '    grant: [warehouse/analyst, warehouse/nothing, wiki/read]\n',
    );

    expect(problemsOf(text)).toEqual([
      {
        file: 'acme.yaml',
        ...positionOf(text, 'sre-on-call'),
        field: 'birthright[0].when.group',
        message: 'no group with key "sre-on-call" in groups',
      },
      {
        file: 'acme.yaml',
        ...positionOf(text, 'warehouse/nothing'),
        field: 'birthright[0].grant[1]',
        message: 'resource "warehouse" has no entitlement "nothing"',
      },
      {
        file: 'acme.yaml',
        ...positionOf(text, 'wiki/read'),
        field: 'birthright[0].grant[2]',
        message: 'no resource with key "wiki" in resources',
      },
    ]);
  });

  it('refuses a duplicate rule name at its second use, and an entitlement listed twice', () => {
    const text = withRules(
      '  - name: everyone-reads\n' +
        '    when: { department: Engineering }\n' +
        '    grant: [github/read]\n' +
        '  - name: everyone-reads\n' +
        '    when: { department: Sales }\n' +
        '    grant: [github/read, warehouse/analyst, github/read]\n',
    );

    expect(problemsOf(text)).toEqual([
      {
        file: 'acme.yaml',
        ...positionOf(text, 'everyone-reads', '    grant: [github/read]\n'),
        field: 'birthright[1].name',
        message: 'duplicate rule name "everyone-reads": also used by birthright[0]',
      },
      {
        file: 'acme.yaml',
        ...positionOf(text, 'github/read]', 'when: { department: Sales }'),
        field: 'birthright[1].grant[2]',
        message: '"github/read" is listed twice in this rule',
      },
    ]);
  });

  it('needs exactly one condition: a department or a group', () => {
    const text = withRules(
      '  - name: nobody\n' +
        '    when: {}\n' +
        '    grant: [github/read]\n' +
        '  - name: both\n' +
        '    when: { department: Engineering, group: security }\n' +
        '    grant: [github/read]\n',
    );

    expect(problemsOf(text)).toEqual([
      {
        file: 'acme.yaml',
        ...positionOf(text, '{}'),
        field: 'birthright[0].when',
        message: 'needs a department or a group, like { department: Engineering }',
      },
      {
        file: 'acme.yaml',
        ...positionOf(text, '{ department: Engineering, group'),
        field: 'birthright[1].when',
        message: 'names both a department and a group: a rule has one condition (write a rule for each)',
      },
    ]);
  });

  it('refuses an unknown condition (so: none), an empty grant list and a missing name', () => {
    const text = withRules(
      '  - name: by-team\n' +
        '    when: { team: platform }\n' +
        '    grant: [github/read]\n' +
        '  - name: nothing\n' +
        '    when: { group: platform }\n' +
        '    grant: []\n' +
        '  - when: { group: platform }\n' +
        '    grant: [github/read]\n',
    );

    expect(problemsOf(text).map(({ field, message }) => ({ field, message }))).toEqual([
      {
        field: 'birthright[0].when',
        message: 'needs a department or a group, like { department: Engineering }',
      },
      { field: 'birthright[0].when.team', message: 'unknown field "team"' },
      { field: 'birthright[1].grant', message: 'must list at least one entitlement, found 0' },
      { field: 'birthright[2].name', message: 'is required' },
    ]);
  });

  it('refuses an entitlement of a manual resource: nobody is asked to act', () => {
    const text = withRules(
      '  - name: everyone-directory\n    when: { department: Sales }\n    grant: [hr-system/directory]\n',
    );

    expect(problemsOf(text)).toEqual([
      {
        file: 'acme.yaml',
        ...positionOf(text, 'hr-system/directory'),
        field: 'birthright[0].grant[0]',
        message:
          'resource "hr-system" is granted by hand (connector kind manual); birthright access is granted by a connector, with nobody acting',
      },
    ]);
  });
});
