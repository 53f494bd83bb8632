import { describe, expect, it } from 'vitest';
import {
  formatImportReport,
  IMPORT_KINDS,
  type ImportReport,
  type KindReport,
} from '../../../directory/import/report.js';

function report(
  overrides: Partial<Record<(typeof IMPORT_KINDS)[number], Partial<KindReport>>>,
  accessNotInFile: string[] = [],
): ImportReport {
  const base = Object.fromEntries(
    IMPORT_KINDS.map((kind) => [
      kind,
      { added: [], changed: [], removed: [], deactivated: [], unchanged: 0, ...overrides[kind] },
    ]),
  ) as Record<(typeof IMPORT_KINDS)[number], KindReport>;
  const changed = IMPORT_KINDS.some((kind) => {
    const k = base[kind];
    return k.added.length + k.changed.length + k.removed.length + k.deactivated.length > 0;
  });
  return {
    fileName: '/srv/config/acme.yaml',
    sourceHash: 'ab',
    actor: 'cli:dana',
    dryRun: false,
    changed,
    accessNotInFile,
    ...base,
  };
}

describe('formatImportReport', () => {
  it('reports imported access the file no longer lists, and says it stays active', () => {
    const text = formatImportReport(
      report({ access: { unchanged: 40 } }, ['zoe@acme.test payments-db/payments_read']),
    );
    expect(text).toBe(
      [
        'No changes: the database already matches acme.yaml.',
        '  existing access: 1 imported grants are no longer in the file and stay active (zoe@acme.test payments-db/payments_read); revoke them with `grantflow grants revoke` or review them in a campaign',
      ].join('\n'),
    );
  });

  it('counts existing access added like any other kind', () => {
    const text = formatImportReport(report({ access: { added: ['a@acme.test db/read'], unchanged: 2 } }));
    expect(text).toContain('existing access: 1 added (a@acme.test db/read), 2 unchanged');
  });

  it('says plainly when nothing changed, naming the file', () => {
    expect(formatImportReport(report({ people: { unchanged: 30 } }))).toBe(
      'No changes: the database already matches acme.yaml.',
    );
  });

  it('summarises each kind on one line, with the changed field names', () => {
    const text = formatImportReport(
      report({
        people: {
          added: ['mia@acme.test', 'noor@acme.test'],
          changed: [
            {
              key: 'dana@acme.test',
              fields: [{ field: 'department', before: 'Security', after: 'Platform' }],
            },
          ],
          deactivated: ['zara@acme.test'],
          unchanged: 27,
        },
        memberships: { removed: ['security/zara@acme.test'], unchanged: 20 },
        entitlements: { deactivated: ['okta-admin/super_admin'], unchanged: 18 },
      }),
    );

    expect(text.split('\n')).toEqual([
      'Imported acme.yaml:',
      '  people: 2 added (mia@acme.test, noor@acme.test), 1 changed (dana@acme.test: department), 1 deactivated (zara@acme.test), 27 unchanged',
      '  memberships: 1 removed (security/zara@acme.test), 20 unchanged',
      '  entitlements: 1 retired (okta-admin/super_admin), 18 unchanged',
    ]);
  });

  it('reports birthright rules added, changed and retired, before existing access', () => {
    const text = formatImportReport(
      report({
        birthright: {
          added: ['sales-crm'],
          changed: [
            { key: 'engineering-read', fields: [{ field: 'grant', before: ['db/read'], after: ['db/low'] }] },
          ],
          deactivated: ['security-read'],
        },
        access: { unchanged: 3 },
      }),
    );

    expect(text.split('\n')).toEqual([
      'Imported acme.yaml:',
      '  birthright rules: 1 added (sales-crm), 1 changed (engineering-read: grant), 1 retired (security-read)',
      '  existing access: 3 unchanged',
    ]);
  });

  it('lists at most five names per part and says how many more', () => {
    const added = Array.from({ length: 30 }, (_, i) => `p${i}@acme.test`);
    const text = formatImportReport(report({ people: { added } }));
    expect(text).toContain(
      'people: 30 added (p0@acme.test, p1@acme.test, p2@acme.test, p3@acme.test, p4@acme.test, +25 more)',
    );
  });

  it('shows before and after of every field when asked, and marks a dry run', () => {
    const dry = {
      ...report({
        policies: {
          changed: [
            {
              key: 'standard',
              fields: [
                { field: 'remindAfter', before: 28_800, after: 14_400 },
                { field: 'description', before: null, after: 'Everyday access' },
                { field: 'version', before: 1, after: 2 },
              ],
            },
          ],
        },
      }),
      dryRun: true,
    };

    expect(formatImportReport(dry, { details: true }).split('\n')).toEqual([
      'Would import acme.yaml:',
      '  policies: 1 changed (standard: remindAfter, description, version)',
      '    standard remindAfter: 28800 → 14400',
      '    standard description: (none) → "Everyday access"',
      '    standard version: 1 → 2',
    ]);
  });
});
