import { describe, expect, it } from 'vitest';
import { quarterOf, resolveLaunchInput } from '../../../campaigns/launch-input.js';
import { ValidationError } from '../../../core/errors.js';

const NOW = new Date('2026-10-01T12:00:00.000Z');
const minimal = { name: 'Q4 review', dueInSeconds: 3600, defaultAction: 'revoke' };

/** The fields a refused input names, with their messages. */
function problems(raw: unknown): { field: string; message: string }[] {
  try {
    resolveLaunchInput(raw, NOW);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).details?.fields as { field: string; message: string }[];
  }
  throw new Error('expected the input to be refused');
}

describe('resolveLaunchInput', () => {
  it('applies defaults and turns dueInSeconds into a due date', () => {
    const input = resolveLaunchInput(minimal, NOW);

    expect(input).toEqual({
      name: 'Q4 review',
      scope: {},
      reviewer: { rule: 'manager' },
      dueAt: new Date('2026-10-01T13:00:00.000Z'),
      reminderEverySeconds: 172_800,
      escalateAfterSeconds: 432_000,
      defaultAction: 'revoke',
      allowChanges: false,
    });
  });

  it('keeps everything a full input gives, lower-casing the named reviewer', () => {
    const input = resolveLaunchInput(
      {
        name: '  Payments admins  ',
        scope: {
          resources: ['payments'],
          entitlements: ['db/read', 'db/write'],
          riskLevels: ['high', 'critical'],
          departments: ['Finance'],
        },
        reviewer: { rule: 'person', person: 'Rita@Acme.test' },
        dueAt: '2026-12-31T17:00:00+01:00',
        reminderEverySeconds: 5,
        escalateAfterSeconds: 20,
        defaultAction: 'escalate',
        allowChanges: true,
        period: '2026-Q4',
      },
      NOW,
    );

    expect(input).toEqual({
      name: 'Payments admins',
      scope: {
        resources: ['payments'],
        entitlements: ['db/read', 'db/write'],
        riskLevels: ['high', 'critical'],
        departments: ['Finance'],
      },
      reviewer: { rule: 'person', person: 'rita@acme.test' },
      dueAt: new Date('2026-12-31T16:00:00.000Z'),
      reminderEverySeconds: 5,
      escalateAfterSeconds: 20,
      defaultAction: 'escalate',
      allowChanges: true,
      period: '2026-Q4',
    });
  });

  it('names reviewer.person when the person rule has no person, and when another rule has one', () => {
    expect(problems({ ...minimal, reviewer: { rule: 'person' } })).toEqual([
      { field: 'reviewer.person', message: 'is required when reviewer.rule is "person"' },
    ]);
    expect(problems({ ...minimal, reviewer: { rule: 'manager', person: 'a@acme.test' } })).toEqual([
      { field: 'reviewer.person', message: 'is only allowed when reviewer.rule is "person"' },
    ]);
    expect(problems({ ...minimal, reviewer: { rule: 'person', person: 'not-an-email' } })[0]?.field).toBe(
      'reviewer.person',
    );
  });

  it('names the bad element of a scope list', () => {
    expect(problems({ ...minimal, scope: { entitlements: ['db/read', 'justakey'] } })).toEqual([
      { field: 'scope.entitlements[1]', message: 'must be a "resource/entitlement" key, like "db/read"' },
    ]);
    expect(problems({ ...minimal, scope: { riskLevels: ['extreme'] } })).toEqual([
      { field: 'scope.riskLevels[0]', message: 'must be one of low, medium, high, critical' },
    ]);
    expect(problems({ ...minimal, scope: { departments: [] } })).toEqual([
      { field: 'scope.departments', message: 'must list at least one department when given' },
    ]);
  });

  it('scopes to people (lower-cased) and to open SoD findings, and names a bad one', () => {
    const scoped = resolveLaunchInput(
      { ...minimal, scope: { holders: ['Dev@Acme.test'], sodFindings: true } },
      NOW,
    );
    expect(scoped.scope).toEqual({ holders: ['dev@acme.test'], sodFindings: true });
    expect(problems({ ...minimal, scope: { holders: ['dev'], sodFindings: false } })).toEqual([
      { field: 'scope.holders[0]', message: 'must be an email address' },
      { field: 'scope.sodFindings', message: 'must be true when given' },
    ]);
  });

  it('refuses unknown fields rather than ignoring a misspelling', () => {
    const found = problems({ ...minimal, scope: { resource: ['db'] } });

    expect(found).toHaveLength(1);
    expect(found[0]?.field).toBe('scope');
    expect(found[0]?.message).toMatch(/resource/);
  });

  it('asks for exactly one of dueAt and dueInSeconds', () => {
    const { dueInSeconds: _, ...noDue } = minimal;

    expect(problems(noDue)).toEqual([
      { field: 'dueAt', message: 'give exactly one of dueAt or dueInSeconds' },
    ]);
    expect(problems({ ...minimal, dueAt: '2026-12-01T00:00:00Z' })).toEqual([
      { field: 'dueAt', message: 'give exactly one of dueAt or dueInSeconds' },
    ]);
  });

  it('refuses a due date that is not in the future, or not a date', () => {
    const { dueInSeconds: _, ...noDue } = minimal;

    expect(problems({ ...noDue, dueAt: '2026-10-01T12:00:00Z' })).toEqual([
      { field: 'dueAt', message: 'must be in the future (now is 2026-10-01T12:00:00.000Z)' },
    ]);
    expect(problems({ ...noDue, dueAt: 'next friday' })[0]?.field).toBe('dueAt');
  });

  it('names every bad field at once, in the message too', () => {
    let message = '';
    try {
      resolveLaunchInput({ name: '', dueInSeconds: -1, reminderEverySeconds: 1.5, period: '2026-Q5' }, NOW);
    } catch (error) {
      message = (error as Error).message;
    }
    const fields = problems({ name: '', dueInSeconds: -1, reminderEverySeconds: 1.5, period: '2026-Q5' }).map(
      (p) => p.field,
    );

    expect(fields).toEqual(['name', 'dueInSeconds', 'reminderEverySeconds', 'defaultAction', 'period']);
    expect(message).toContain('name must not be empty');
    expect(message).toContain('defaultAction is required: one of revoke, keep, escalate');
    expect(message).toContain('period must be a quarter like "2026-Q4"');
  });

  it('refuses a name over 200 characters', () => {
    expect(problems({ ...minimal, name: 'x'.repeat(201) })).toEqual([
      { field: 'name', message: 'must be at most 200 characters' },
    ]);
  });
});

describe('quarterOf', () => {
  it.each([
    ['2026-01-01T00:00:00Z', '2026-Q1'],
    ['2026-03-31T23:59:59Z', '2026-Q1'],
    ['2026-04-01T00:00:00Z', '2026-Q2'],
    ['2026-09-30T12:00:00Z', '2026-Q3'],
    ['2026-12-31T23:59:59Z', '2026-Q4'],
    // Quarters are UTC: New Year's Eve evening in New York is already Q1 of the next year.
    ['2026-12-31T21:00:00-05:00', '2027-Q1'],
  ])('%s is in %s', (iso, quarter) => {
    expect(quarterOf(new Date(iso))).toBe(quarter);
  });
});
