import { describe, expect, it } from 'vitest';
import { safeReturnTo } from '../../../api/routes/session.js';
import { consoleRoleOf } from '../../../identity/console-sign-in.js';

describe('safeReturnTo', () => {
  it('keeps a same-origin path with its query and fragment', () => {
    expect(safeReturnTo('/requests/42?decision=approve#top')).toBe('/requests/42?decision=approve#top');
  });

  it.each([
    undefined,
    '',
    'requests',
    'https://evil.test/',
    '//evil.test/x',
    '/\\evil.test',
    '/\t/evil.test',
    '/\n/evil.test',
    'javascript:alert(1)',
  ])('sends %j to /', (value) => {
    expect(safeReturnTo(value)).toBe('/');
  });
});

describe('consoleRoleOf', () => {
  const policy = {
    adminGroups: ['grantflow-admins'],
    auditorGroups: ['auditors'],
    idleSeconds: 60,
    maxSeconds: 600,
  };

  it('makes admins of admin groups, even when also auditors', () => {
    expect(consoleRoleOf(['auditors', 'grantflow-admins'], policy)).toBe('admin');
  });

  it('makes auditors of auditor groups, everyone else an employee', () => {
    expect(consoleRoleOf(['auditors', 'engineering'], policy)).toBe('auditor');
    expect(consoleRoleOf(['engineering'], policy)).toBe('employee');
    expect(consoleRoleOf([], policy)).toBe('employee');
  });
});
