import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getEntitlement } from '../../db/queries/entitlements.js';
import { listGroupKeysOfPerson, listGroups } from '../../db/queries/groups.js';
import { getPersonByEmail, listPeople } from '../../db/queries/people.js';
import { getCurrentPolicy, listPolicyVersions } from '../../db/queries/policies.js';
import { listResources } from '../../db/queries/resources.js';
import { listSodRules, listSodRulesForEntitlement } from '../../db/queries/sod-rules.js';
import { storedPolicyDefinitionSchema } from '../../directory/file-schema.js';
import {
  formatImportReport,
  IMPORT_KINDS,
  type ImportReport,
  importDirectory,
  type KindReport,
} from '../../directory/import.js';
import { DirectoryFileError, type ParsedDirectory, parseDirectorySource } from '../../directory/parse.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

const ACME = readFileSync(new URL('../../examples/acme.yaml', import.meta.url), 'utf8');
const TABLES = [
  'people',
  'groups',
  'group_members',
  'policies',
  'policy_versions',
  'resources',
  'entitlements',
  'sod_rules',
  'birthright_rules',
];

/** The file without its `access` section, for edits that remove what access lines refer to. */
function withoutAccess(text: string): string {
  const at = text.indexOf('\naccess:\n');
  if (at < 0) throw new Error('expected an access section');
  return text.slice(0, at + 1);
}

/** Replaces exactly one occurrence, so a test edit can never silently miss. */
function edit(text: string, from: string, to: string): string {
  const first = text.indexOf(from);
  if (first < 0 || text.indexOf(from, first + 1) >= 0) throw new Error(`expected exactly one "${from}"`);
  return text.replace(from, to);
}

/** Removes the YAML list entry (person, group, ...) starting at `startLine`: every deeper-indented line after it. */
function removeEntry(text: string, startLine: string): string {
  const lines = text.split('\n');
  const start = lines.indexOf(startLine);
  if (start < 0) throw new Error(`no line "${startLine}"`);
  const indent = startLine.indexOf('-');
  let end = start + 1;
  while (end < lines.length) {
    const line = lines[end] as string;
    if (line.trim() !== '' && line.search(/\S/) <= indent) break;
    end++;
  }
  return [...lines.slice(0, start), ...lines.slice(end)].join('\n');
}

function emptyKind(): KindReport {
  return { added: [], changed: [], removed: [], deactivated: [], unchanged: expect.any(Number) as number };
}

describe('importDirectory', () => {
  let database: TestDatabase;
  const acme = () => parseDirectorySource(ACME, 'acme.yaml');

  /** Every row of every directory table, as text, ordered: equal dumps mean an untouched database. */
  async function dump(): Promise<Record<string, string[]>> {
    const result: Record<string, string[]> = {};
    for (const table of TABLES) {
      const rows = await database.owner.sql.unsafe<{ row: string }[]>(
        `select to_jsonb(t)::text as row from "${table}" t order by 1`,
      );
      result[table] = rows.map((r) => r.row);
    }
    return result;
  }

  async function count(table: string, where = 'true'): Promise<number> {
    const [row] = await database.owner.sql.unsafe<{ n: number }[]>(
      `select count(*)::int as n from "${table}" where ${where}`,
    );
    return row?.n ?? -1;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  // Only the directory tables: the audit ledger refuses TRUNCATE by design.
  afterEach(async () => {
    await database.owner.sql.unsafe(`truncate ${TABLES.map((t) => `"${t}"`).join(', ')} cascade`);
  });
  afterAll(() => database.drop());

  it('imports the Acme example as the runtime role, with counts matching the file', async () => {
    const parsed = acme();
    const file = parsed.directory;

    const report = await importDirectory(database.runtime.db, parsed, { actor: 'test:admin' });

    const entitlementCount = file.resources.reduce((n, r) => n + r.entitlements.length, 0);
    const membershipCount = file.groups.reduce((n, g) => n + g.members.length, 0);
    expect(report.changed).toBe(true);
    expect(report.people.added).toHaveLength(31);
    expect(report.people.added).toContain('alex.morgan@acme.test');
    expect(report.groups.added).toEqual(file.groups.map((g) => g.key));
    expect(report.memberships.added).toHaveLength(membershipCount);
    expect(report.memberships.added).toContain('security/dana.whitfield@acme.test');
    expect(report.policies.added).toEqual(file.policies.map((p) => p.key));
    expect(report.resources.added).toEqual(file.resources.map((r) => r.key));
    expect(report.entitlements.added).toHaveLength(entitlementCount);
    expect(report.sodRules.added).toEqual([
      'payout-maker-checker',
      'payments-write-and-refunds',
      'identity-and-infrastructure-admin',
    ]);
    for (const kind of IMPORT_KINDS) {
      expect(report[kind].changed, kind).toEqual([]);
      expect(report[kind].unchanged, kind).toBe(0);
    }

    expect(await count('people')).toBe(31);
    expect(await count('people', "status = 'inactive'")).toBe(1);
    expect(await count('groups')).toBe(9);
    expect(await count('group_members')).toBe(membershipCount);
    expect(await count('policies')).toBe(6);
    expect(await count('policy_versions', "version = 1 and created_by = 'test:admin'")).toBe(6);
    expect(await count('resources')).toBe(7);
    expect(await count('entitlements')).toBe(entitlementCount);
    expect(await count('sod_rules')).toBe(3);

    const db = database.runtime.db;
    const tom = await getPersonByEmail(db, 'Tom.Becker@acme.test');
    const hannah = await getPersonByEmail(db, 'hannah.kim@acme.test');
    expect(tom).toMatchObject({ name: 'Tom Becker', slackUserId: 'U0ACME008', department: 'Engineering' });
    expect(tom?.managerId).toBe(hannah?.id);
    expect(await listGroupKeysOfPerson(db, tom?.id as string)).toEqual(['engineering']);

    const write = await getEntitlement(db, 'payments-db', 'payments_write');
    expect(write?.entitlement).toMatchObject({
      riskLevel: 'high',
      maxDurationSeconds: 8 * 3600,
      connectorTarget: { role: 'payments_write' },
      status: 'active',
    });
    expect(write?.resource).toMatchObject({
      connectorKind: 'postgres',
      connectorConfig: { databaseUrlEnv: 'PAYMENTS_DATABASE_URL' },
      ownerId: hannah?.id,
    });
    const privileged = await getCurrentPolicy(db, 'privileged');
    expect(privileged?.policy.id).toBe(write?.entitlement.policyId);
    expect(privileged?.version.version).toBe(1);
    const definition = storedPolicyDefinitionSchema.parse(privileged?.version.definition);
    expect(definition.steps[2]).toEqual({
      name: 'Security quorum',
      approvers: ['group:security'],
      require: 2,
    });
    expect(definition).toMatchObject({ remindAfter: 3600, escalateAfter: 14400, maxDuration: 28800 });

    const catalog = await listResources(db);
    expect(catalog.map((r) => r.key)).toEqual([...file.resources.map((r) => r.key)].sort());
    expect(catalog.find((r) => r.key === 'billing')?.entitlements.map((e) => e.key)).toEqual([
      'invoices_view',
      'payout_approver',
      'payout_initiator',
      'refunds',
    ]);
    expect((await listGroups(db)).find((g) => g.key === 'security')?.memberCount).toBe(5);
    expect((await listSodRulesForEntitlement(db, 'billing/refunds')).map((r) => r.key)).toEqual([
      'payments-write-and-refunds',
    ]);
    expect((await listPeople(db, { limit: 2, offset: 0, status: 'inactive' })).map((p) => p.email)).toEqual([
      'peter.voss@acme.test',
    ]);
  });

  it('changes nothing at all, not even updated_at, when the same file is imported again', async () => {
    await importDirectory(database.runtime.db, acme(), { actor: 'test:admin' });
    const before = await dump();

    const report = await importDirectory(database.runtime.db, acme(), { actor: 'test:other' });

    expect(report.changed).toBe(false);
    for (const kind of IMPORT_KINDS) {
      expect(report[kind], kind).toEqual({ ...emptyKind(), unchanged: report[kind].unchanged });
    }
    expect(report.people.unchanged).toBe(31);
    expect(report.policies.unchanged).toBe(6);
    expect(report.entitlements.unchanged).toBe(await count('entitlements'));
    expect(await dump()).toEqual(before);
    expect(formatImportReport(report)).toBe('No changes: the database already matches acme.yaml.');
  });

  it('applies exactly an edited department, a removed person and a changed policy', async () => {
    await importDirectory(database.runtime.db, acme(), { actor: 'test:admin' });
    const before = await dump();
    let text = edit(
      ACME,
      '    department: Sales\n    title: Account Executive\n  - email: ava',
      '    department: Marketing\n    title: Account Executive\n  - email: ava',
    );
    text = removeEntry(withoutAccess(text), '  - email: zara.ahmed@acme.test');
    text = edit(text, '    remindAfter: 8h\n', '    remindAfter: 4h\n');

    const report = await importDirectory(database.runtime.db, parseDirectorySource(text, 'acme.yaml'), {
      actor: 'test:editor',
    });

    expect(report.changed).toBe(true);
    expect(report.people).toEqual({
      added: [],
      changed: [
        {
          key: 'liam.nguyen@acme.test',
          fields: [{ field: 'department', before: 'Sales', after: 'Marketing' }],
        },
      ],
      removed: [],
      deactivated: ['zara.ahmed@acme.test'],
      unchanged: 29,
    });
    expect(report.policies).toEqual({
      added: [],
      changed: [
        {
          key: 'standard',
          fields: [
            { field: 'remindAfter', before: 8 * 3600, after: 4 * 3600 },
            { field: 'version', before: 1, after: 2 },
          ],
        },
      ],
      removed: [],
      deactivated: [],
      unchanged: 5,
    });
    for (const kind of ['groups', 'memberships', 'resources', 'entitlements', 'sodRules'] as const) {
      expect(report[kind], kind).toEqual({ ...emptyKind(), unchanged: report[kind].unchanged });
    }
    expect(formatImportReport(report)).toContain(
      'people: 1 changed (liam.nguyen@acme.test: department), 1 deactivated (zara.ahmed@acme.test), 29 unchanged',
    );

    const db = database.runtime.db;
    const zara = await getPersonByEmail(db, 'zara.ahmed@acme.test');
    expect(zara).toMatchObject({ status: 'inactive', name: 'Zara Ahmed', slackUserId: 'U0ACME029' });
    // Dated, as SCIM dates a departure: the leaver SLA counts from here.
    expect(Date.now() - (zara?.deactivatedAt?.getTime() ?? 0)).toBeLessThan(60_000);
    expect((await getPersonByEmail(db, 'liam.nguyen@acme.test'))?.department).toBe('Marketing');
    const standard = await getCurrentPolicy(db, 'standard');
    expect(standard?.policy.currentVersion).toBe(2);
    const versions = await listPolicyVersions(db, standard?.policy.id as string);
    expect(versions.map((v) => [v.version, v.createdBy])).toEqual([
      [2, 'test:editor'],
      [1, 'test:admin'],
    ]);
    expect(versions[0]?.definition).toMatchObject({ remindAfter: 4 * 3600 });
    expect(versions[1]?.definition).toMatchObject({ remindAfter: 8 * 3600 });
    expect(versions[0]?.definitionHash).not.toBe(versions[1]?.definitionHash);

    // Only the three touched rows (and the one new version) differ from before.
    const after = await dump();
    const changedRows = (table: string) =>
      (after[table] ?? []).filter((row) => !before[table]?.includes(row));
    expect(
      changedRows('people')
        .map((row) => JSON.parse(row).email)
        .sort(),
    ).toEqual(['liam.nguyen@acme.test', 'zara.ahmed@acme.test']);
    expect(changedRows('policies').map((row) => JSON.parse(row).key)).toEqual(['standard']);
    expect(changedRows('policy_versions').map((row) => JSON.parse(row).version)).toEqual([2]);
    for (const table of ['groups', 'group_members', 'resources', 'entitlements', 'sod_rules']) {
      expect(after[table], table).toEqual(before[table]);
    }
  });

  it('retires catalog entries, removes groups and memberships, and reactivates what comes back', async () => {
    await importDirectory(database.runtime.db, acme(), { actor: 'test:admin' });
    let text = removeEntry(withoutAccess(ACME), '  - key: okta-admin');
    text = removeEntry(text, '  - key: identity-and-infrastructure-admin');
    text = removeEntry(text, '  - key: it-admins');
    text = edit(
      text,
      '      - diego.alvarez@acme.test\n  - key: sre-oncall',
      '      - diego.alvarez@acme.test\n      - ruth.adeyemi@acme.test\n  - key: sre-oncall',
    );
    text = edit(
      text,
      '    members: [maria.santos@acme.test, james.obrien@acme.test]',
      '    members: [maria.santos@acme.test]',
    );

    const report = await importDirectory(database.runtime.db, parseDirectorySource(text, 'acme.yaml'), {
      actor: 'test:admin',
    });

    expect(report.resources.deactivated).toEqual(['okta-admin']);
    expect(report.entitlements.deactivated).toEqual(['okta-admin/helpdesk_admin', 'okta-admin/super_admin']);
    expect(report.sodRules.deactivated).toEqual(['identity-and-infrastructure-admin']);
    expect(report.groups.removed).toEqual(['it-admins']);
    expect(report.memberships.removed.sort()).toEqual([
      'finance-controllers/james.obrien@acme.test',
      'it-admins/kofi.mensah@acme.test',
      'it-admins/ruth.adeyemi@acme.test',
    ]);
    expect(report.memberships.added).toEqual(['platform/ruth.adeyemi@acme.test']);
    expect(await count('groups', "key = 'it-admins'")).toBe(0);
    expect(await count('resources', "key = 'okta-admin' and status = 'retired'")).toBe(1);
    expect(await count('entitlements', "status = 'retired'")).toBe(2);
    expect((await listResources(database.runtime.db)).map((r) => r.key)).not.toContain('okta-admin');
    expect((await listResources(database.runtime.db, { includeRetired: true })).map((r) => r.key)).toContain(
      'okta-admin',
    );
    expect((await listSodRules(database.runtime.db)).map((r) => r.key)).not.toContain(
      'identity-and-infrastructure-admin',
    );

    const back = await importDirectory(database.runtime.db, acme(), { actor: 'test:admin' });

    expect(back.resources.changed).toEqual([
      { key: 'okta-admin', fields: [{ field: 'status', before: 'retired', after: 'active' }] },
    ]);
    expect(back.entitlements.changed.map((c) => c.key)).toEqual([
      'okta-admin/helpdesk_admin',
      'okta-admin/super_admin',
    ]);
    expect(back.sodRules.changed.map((c) => c.key)).toEqual(['identity-and-infrastructure-admin']);
    expect(back.groups.added).toEqual(['it-admins']);
    expect(back.memberships.removed).toEqual(['platform/ruth.adeyemi@acme.test']);
    expect(await count('entitlements', "status = 'retired'")).toBe(0);
  });

  it('rejects a file with a broken cross-reference and leaves the database byte-for-byte unchanged', async () => {
    await importDirectory(database.runtime.db, acme(), { actor: 'test:admin' });
    const before = await dump();
    const broken = edit(
      ACME,
      '    members: [maria.santos@acme.test, james.obrien@acme.test]',
      '    members: [maria.santos@acme.test, jim.obrien@acme.test]',
    );

    let error: unknown;
    try {
      const parsed = parseDirectorySource(broken, 'acme.yaml');
      await importDirectory(database.runtime.db, parsed, { actor: 'test:admin' });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(DirectoryFileError);
    const line =
      broken.split('\n').indexOf('    members: [maria.santos@acme.test, jim.obrien@acme.test]') + 1;
    expect((error as DirectoryFileError).problems).toEqual([
      {
        file: 'acme.yaml',
        line,
        column: 39,
        field: 'groups[5].members[1]',
        message: 'no person with email "jim.obrien@acme.test" in people',
      },
    ]);
    expect(await dump()).toEqual(before);
  });

  it('rolls back every earlier write when a later one fails', async () => {
    await importDirectory(database.runtime.db, acme(), { actor: 'test:admin' });
    const before = await dump();
    const parsed = parseDirectorySource(
      edit(ACME, '    title: Senior Accountant', '    title: Chief Accountant'),
      'acme.yaml',
    );
    // Bypass validation the way a bug would: the database's own check must stop it.
    const lastResource = parsed.directory.resources.at(-1);
    const broken: ParsedDirectory = structuredClone(parsed);
    (broken.directory.resources.at(-1)?.entitlements[0] as { maxDuration: number }).maxDuration = 0;
    expect(lastResource?.key).toBe('okta-admin');

    await expect(importDirectory(database.runtime.db, broken, { actor: 'test:admin' })).rejects.toThrow();

    expect(await dump()).toEqual(before);
    expect((await getPersonByEmail(database.runtime.db, 'sofia.rossi@acme.test'))?.title).toBe(
      'Senior Accountant',
    );
  });

  it('runs beforeCommit inside the transaction, so a failing audit write undoes the import', async () => {
    const seen: ImportReport[] = [];

    await expect(
      importDirectory(database.runtime.db, acme(), {
        actor: 'test:admin',
        beforeCommit: async (tx, report) => {
          seen.push(structuredClone(report));
          const [row] = await tx.execute<{ n: number }>(sql`select count(*)::int as n from people`);
          expect(row?.n).toBe(31);
          throw new Error('audit intake unavailable');
        },
      }),
    ).rejects.toThrow('audit intake unavailable');

    expect(seen).toHaveLength(1);
    expect(seen[0]?.changed).toBe(true);
    expect(seen[0]?.people.added).toHaveLength(31);
    expect(await count('people')).toBe(0);
    expect(await count('policy_versions')).toBe(0);
  });

  it('reports a dry run in full and writes nothing', async () => {
    await importDirectory(database.runtime.db, acme(), { actor: 'test:admin' });
    const before = await dump();
    let text = edit(ACME, '    require: 2\n', '    require: 3\n');
    text = edit(
      text,
      '  - email: peter.voss@acme.test',
      '  - email: mia.ortiz@acme.test\n    name: Mia Ortiz\n    manager: ben.carter@acme.test\n    department: Sales\n  - email: peter.voss@acme.test',
    );

    const report = await importDirectory(database.runtime.db, parseDirectorySource(text, 'acme.yaml'), {
      actor: 'test:admin',
      dryRun: true,
    });

    expect(report.dryRun).toBe(true);
    expect(report.changed).toBe(true);
    expect(report.people.added).toEqual(['mia.ortiz@acme.test']);
    expect(report.policies.changed).toEqual([
      {
        key: 'privileged',
        fields: [
          {
            field: 'steps',
            before: expect.arrayContaining([
              { name: 'Security quorum', approvers: ['group:security'], require: 2 },
            ]),
            after: expect.arrayContaining([
              { name: 'Security quorum', approvers: ['group:security'], require: 3 },
            ]),
          },
          { field: 'version', before: 1, after: 2 },
        ],
      },
    ]);
    expect(formatImportReport(report)).toMatch(
      /^Would import acme\.yaml:\n {2}people: 1 added \(mia\.ortiz@acme\.test\)/,
    );
    expect(await dump()).toEqual(before);
  });

  it('moves Slack ids between people and accepts managers defined later in the file', async () => {
    const first = `
people:
  - { email: ann@acme.test, name: Ann, slackUserId: U0AAA1, manager: cat@acme.test }
  - { email: bob@acme.test, name: Bob, slackUserId: U0BBB1, manager: cat@acme.test }
  - { email: cat@acme.test, name: Cat, slackUserId: U0CCC1 }
groups: []
policies: []
resources: []
separationOfDuties: []
`;
    await importDirectory(database.runtime.db, parseDirectorySource(first, 'small.yaml'), { actor: 'test' });
    const second = `
people:
  - { email: ann@acme.test, name: Ann, slackUserId: U0BBB1, manager: bob@acme.test }
  - { email: bob@acme.test, name: Bob, slackUserId: U0AAA1 }
  - { email: dan@acme.test, name: Dan, slackUserId: U0CCC1 }
groups: []
policies: []
resources: []
separationOfDuties: []
`;

    const report: ImportReport = await importDirectory(
      database.runtime.db,
      parseDirectorySource(second, 'small.yaml'),
      { actor: 'test' },
    );

    const db = database.runtime.db;
    expect(report.people.added).toEqual(['dan@acme.test']);
    expect(report.people.deactivated).toEqual(['cat@acme.test']);
    expect(await getPersonByEmail(db, 'ann@acme.test')).toMatchObject({ slackUserId: 'U0BBB1' });
    expect(await getPersonByEmail(db, 'bob@acme.test')).toMatchObject({
      slackUserId: 'U0AAA1',
      managerId: null,
    });
    expect(await getPersonByEmail(db, 'dan@acme.test')).toMatchObject({ slackUserId: 'U0CCC1' });
    expect(await getPersonByEmail(db, 'cat@acme.test')).toMatchObject({
      slackUserId: null,
      status: 'inactive',
    });
    expect((await getPersonByEmail(db, 'ann@acme.test'))?.managerId).toBe(
      (await getPersonByEmail(db, 'bob@acme.test'))?.id,
    );
  });
});
