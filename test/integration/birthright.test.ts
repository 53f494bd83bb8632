import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../core/net.js';
import { importDirectory } from '../../directory/import.js';
import { DirectoryFileError, parseDirectorySource } from '../../directory/parse.js';
import { startImportedGrantLifetimes } from '../../grants/start-lifetimes.js';
import { sweepBirthright } from '../../identity/birthright.js';
import { QUICK_RETRY, useRequestStack } from '../helpers/requests.js';

type BirthrightGrant = {
  id: string;
  email: string;
  ref: string;
  rule: string;
  status: string;
  request_id: string | null;
  expires_at: Date | null;
  lifetime_started_at: Date | null;
  provision_verified: boolean | null;
  removal_verified: boolean | null;
  end_reason: string | null;
};

describe('birthright rules', () => {
  const fixture = useRequestStack();

  /** Replaces exactly one occurrence, so an edit of the directory can never silently miss. */
  const edit = (text: string, from: string, to: string) => {
    const first = text.indexOf(from);
    if (first < 0 || text.indexOf(from, first + 1) >= 0) throw new Error(`expected exactly one "${from}"`);
    return text.replace(from, to);
  };
  const goneEmail = () => fixture.stack.cast.dev.replace(/^dev\./, 'gone.');

  /**
   * The stack's directory with departments, an inactive engineer who left, dev2 holding db/read from
   * the access section, and `rules` as the birthright section. Dev is in `devDepartment`.
   */
  function directory(options: {
    devDepartment: string;
    rules: string;
    sec3InSecurity?: boolean;
    sec2Active?: boolean;
  }): string {
    const { cast } = fixture.stack;
    let text = fixture.stack.directorySource;
    const person = (email: string, name: string) => `  - email: ${email}\n    name: ${name}\n`;
    text = edit(
      text,
      person(cast.dev, 'Dev Eloper'),
      `${person(cast.dev, 'Dev Eloper')}    department: ${options.devDepartment}\n`,
    );
    text = edit(
      text,
      person(cast.dev2, 'Dee Two'),
      `${person(cast.dev2, 'Dee Two')}    department: Engineering\n`,
    );
    if (options.sec2Active === false)
      text = edit(
        text,
        person(cast.sec2, 'Sec Two'),
        `${person(cast.sec2, 'Sec Two')}    status: inactive\n`,
      );
    text = edit(
      text,
      '\ngroups:\n',
      `\n${person(goneEmail(), 'Gone Away')}    department: Engineering\n    status: inactive\ngroups:\n`,
    );
    if (options.sec3InSecurity === false)
      text = edit(text, `[${cast.sec1}, ${cast.sec2}, ${cast.sec3}]`, `[${cast.sec1}, ${cast.sec2}]`);
    return `${text}birthright:\n${options.rules}access:\n  - { person: ${cast.dev2}, entitlement: db/read, since: 2024-01-15 }\n`;
  }

  const ENGINEERING_READ =
    '  - name: engineering-read\n    when: { department: engineering }\n    grant: [db/read]\n';
  const SECURITY_LOW = '  - name: security-low\n    when: { group: security }\n    grant: [db/low]\n';

  const importText = (text: string) =>
    importDirectory(fixture.database.runtime.db, parseDirectorySource(text, 'birthright.yaml'), {
      actor: 'cli:test',
    });
  const deps = () => ({
    db: fixture.database.runtime.db,
    temporal: fixture.stack.api.temporal,
    taskQueue: fixture.stack.taskQueue,
    provisioningRetry: QUICK_RETRY,
  });
  /** One pass of the worker's loop: the birthright sweep, then lifetimes for the grants it recorded. */
  const sweep = async () => {
    const swept = await sweepBirthright(deps());
    const lifetimes = await startImportedGrantLifetimes(deps());
    return { ...swept, lifetimes };
  };
  const sql = () => fixture.database.runtime.sql;
  const birthrightGrants = async () =>
    (await sql()`
      select g.id, p.email, res.key || '/' || e.key as ref, r.name as rule, g.status, g.request_id,
        g.expires_at, g.lifetime_started_at, g.provision_verified, g.removal_verified, g.end_reason
      from grants g
      join people p on p.id = g.person_id
      join entitlements e on e.id = g.entitlement_id
      join resources res on res.id = e.resource_id
      join birthright_rules r on r.id = g.birthright_rule_id
      where g.source = 'birthright'
      order by p.email, g.granted_at`) as unknown as BirthrightGrant[];
  const active = async () => (await birthrightGrants()).filter((g) => g.status === 'active');
  const eventsOf = async (type: string) =>
    (await sql()`
      select event from audit_intake where event->>'event_type' = ${type} order by id`) as unknown as {
      event: {
        actor: { type: string; id: string };
        reason?: string;
        correlation: { grant_id: string };
        details: Record<string, unknown>;
      };
    }[];
  const isMember = async (email: string, role: string) =>
    (
      await fixture.stack.target`
        select 1 from pg_auth_members m join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member
        where r.rolname = ${role} and u.rolname = ${fixture.stack.databaseUser(email)}`
    ).length > 0;
  const removed = (ids: string[]) =>
    waitUntil(
      async () =>
        (await birthrightGrants()).filter((g) => ids.includes(g.id) && g.removal_verified === true).length ===
        ids.length,
      { timeoutMs: 20_000 },
    );

  it('grants by department and group, provisions at the target once, and revokes what stops applying', async () => {
    // Setup: the target already holds dev2's imported access.
    const { cast, roles } = fixture.stack;
    const read = roles.read as string;
    const low = roles.low as string;
    await fixture.stack.target.unsafe(`grant "${read}" to "${fixture.stack.databaseUser(cast.dev2)}"`);
    const rules = ENGINEERING_READ + SECURITY_LOW;

    // Act: import, then two workers' loops at once.
    const report = await importText(directory({ devDepartment: 'Engineering', rules }));
    const [one, two] = await Promise.all([sweep(), sweep()]);
    const first = {
      granted: one.granted + two.granted,
      revoked: one.revoked + two.revoked,
      lifetimes: one.lifetimes + two.lifetimes,
    };

    // Verify: the department rule matches regardless of case; dev2 holds db/read already and the
    // engineer who left is inactive, so neither gets a grant.
    expect(report.birthright.added).toEqual(['engineering-read', 'security-low']);
    expect(first.granted).toBe(4);
    expect(first.revoked).toBe(0);
    // Both loops may pick up a grant that awaits its lifetime; the workflow starts once either way.
    expect(first.lifetimes).toBeGreaterThanOrEqual(5);
    await waitUntil(async () => (await active()).every((g) => g.provision_verified === true), {
      timeoutMs: 20_000,
    });
    const granted = await active();
    expect(granted.map((g) => [g.email, g.ref, g.rule])).toEqual(
      [
        [cast.dev, 'db/read', 'engineering-read'],
        [cast.sec1, 'db/low', 'security-low'],
        [cast.sec2, 'db/low', 'security-low'],
        [cast.sec3, 'db/low', 'security-low'],
      ].sort((a, b) => (a[0] as string).localeCompare(b[0] as string)),
    );
    for (const grant of granted) {
      expect(grant).toMatchObject({ request_id: null, expires_at: null, provision_verified: true });
      expect(grant.lifetime_started_at).not.toBeNull();
    }
    expect(await isMember(cast.dev, read)).toBe(true);
    for (const sec of [cast.sec1, cast.sec2, cast.sec3]) expect(await isMember(sec, low)).toBe(true);
    const [{ requests }] =
      (await sql()`select count(*)::int as requests from access_requests`) as unknown as [
        { requests: number },
      ];
    expect(requests).toBe(0);
    const recorded = await eventsOf('access.grant.birthright');
    expect(recorded).toHaveLength(4);
    const devEvent = recorded.find((r) => r.event.details.holder === cast.dev)?.event;
    expect(devEvent).toMatchObject({
      actor: { type: 'system', id: 'identity:birthright' },
      details: { rule: 'engineering-read', when: { department: 'engineering' }, expiresAt: null },
    });
    expect(new Set(recorded.map((r) => r.event.correlation.grant_id))).toEqual(
      new Set(granted.map((g) => g.id)),
    );
    const provisioned = (await eventsOf('access.grant.provisioned')).filter((r) =>
      granted.some((g) => g.id === r.event.correlation.grant_id),
    );
    expect(provisioned.map((r) => r.event.details.verifiedAtTarget)).toEqual([true, true, true, true]);

    // Sweeping again changes nothing.
    expect(await sweep()).toEqual({ granted: 0, revoked: 0, lifetimes: 0 });
    expect(await sweep()).toEqual({ granted: 0, revoked: 0, lifetimes: 0 });
    expect(await birthrightGrants()).toHaveLength(4);
    expect(await eventsOf('access.grant.birthright')).toHaveLength(4);

    // Dev moves to Sales: the department rule no longer applies, the grant is revoked and read back.
    const devGrant = granted.find((g) => g.email === cast.dev) as BirthrightGrant;
    await importText(directory({ devDepartment: 'Sales', rules }));
    expect(await sweep()).toEqual({ granted: 0, revoked: 1, lifetimes: 0 });
    await removed([devGrant.id]);
    expect(await isMember(cast.dev, read)).toBe(false);
    const [devRevoked] = (await birthrightGrants()).filter((g) => g.id === devGrant.id);
    expect(devRevoked).toMatchObject({
      status: 'revoked',
      end_reason: `birthright rule "engineering-read" no longer applies to ${cast.dev}`,
    });
    const revocation = (await eventsOf('access.grant.revoked')).find(
      (r) => r.event.correlation.grant_id === devGrant.id,
    );
    expect(revocation?.event.actor).toEqual({ type: 'system', id: 'identity:birthright' });
    // dev2's imported grant of the same entitlement is not the sweep's to touch.
    expect(await isMember(cast.dev2, read)).toBe(true);

    // Back in Engineering, while the worker is down: the grant is recorded and its lifetime started,
    // and the worker provisions it (once) when it is back.
    await fixture.stack.stopWorker();
    try {
      await importText(directory({ devDepartment: 'Engineering', rules }));
      expect(await sweep()).toEqual({ granted: 1, revoked: 0, lifetimes: 1 });
      expect(await sweep()).toEqual({ granted: 0, revoked: 0, lifetimes: 0 });
    } finally {
      await fixture.stack.startWorker();
    }
    await waitUntil(async () => isMember(cast.dev, read), { timeoutMs: 20_000 });
    const [again] = (await active()).filter((g) => g.email === cast.dev);
    expect(again?.id).not.toBe(devGrant.id);
    await waitUntil(
      async () => (await active()).find((g) => g.id === again?.id)?.provision_verified === true,
      {
        timeoutMs: 20_000,
      },
    );
    const provisionedAgain = (await eventsOf('access.grant.provisioned')).filter(
      (r) => r.event.correlation.grant_id === again?.id,
    );
    expect(provisionedAgain).toHaveLength(1);

    // sec3 leaves the group and sec2 leaves the company: sec3 loses it; sec2's is the leaver's to remove.
    const secGrant = (email: string) => granted.find((g) => g.email === email)?.id as string;
    await importText(
      directory({ devDepartment: 'Engineering', rules, sec3InSecurity: false, sec2Active: false }),
    );
    expect(await sweep()).toEqual({ granted: 0, revoked: 1, lifetimes: 0 });
    await removed([secGrant(cast.sec3)]);
    expect(await isMember(cast.sec3, low)).toBe(false);

    // The group rule is removed from the file: its grants of active people go.
    const retired = await importText(
      directory({
        devDepartment: 'Engineering',
        rules: ENGINEERING_READ,
        sec3InSecurity: false,
        sec2Active: false,
      }),
    );
    expect(retired.birthright.deactivated).toEqual(['security-low']);
    expect(await sweep()).toEqual({ granted: 0, revoked: 1, lifetimes: 0 });
    await removed([secGrant(cast.sec1)]);
    expect(await isMember(cast.sec1, low)).toBe(false);
    expect((await active()).map((g) => [g.email, g.ref])).toEqual(
      [
        [cast.dev, 'db/read'],
        [cast.sec2, 'db/low'],
      ].sort((a, b) => (a[0] as string).localeCompare(b[0] as string)),
    );
    expect(await sweep()).toEqual({ granted: 0, revoked: 0, lifetimes: 0 });
  });

  it('refuses bad rules with file:line errors and changes nothing', async () => {
    const before = await sql()`select name, status, updated_at from birthright_rules order by name`;
    const bad =
      '  - name: oncall\n    when: { group: on-call }\n    grant: [db/read]\n' +
      '  - name: oncall\n    when: { department: Ops }\n    grant: [db/nothing]\n' +
      '  - name: files\n    when: { department: Legal }\n    grant: [paper/cabinet]\n';
    const text = directory({ devDepartment: 'Engineering', rules: bad });
    // Shape errors are reported on their own (references are checked once the shape is right).
    const shapeless = directory({
      devDepartment: 'Engineering',
      rules: '  - name: both\n    when: { department: Ops, group: security }\n    grant: [db/read]\n',
    });

    const refusal = async (source: string) => {
      try {
        await importText(source);
      } catch (error) {
        if (error instanceof DirectoryFileError) return error;
        throw error;
      }
      throw new Error('expected the file to be refused');
    };
    const error = await refusal(text);
    const shapeError = await refusal(shapeless);

    const lineOf = (source: string, needle: string) =>
      source.slice(0, source.indexOf(needle)).split('\n').length;
    expect(error.problems.map(({ line, field, message }) => ({ line, field, message }))).toEqual([
      {
        line: lineOf(text, 'group: on-call'),
        field: 'birthright[0].when.group',
        message: 'no group with key "on-call" in groups',
      },
      {
        line: lineOf(text, '  - name: oncall\n    when: { department: Ops'),
        field: 'birthright[1].name',
        message: 'duplicate rule name "oncall": also used by birthright[0]',
      },
      {
        line: lineOf(text, 'db/nothing'),
        field: 'birthright[1].grant[0]',
        message: 'resource "db" has no entitlement "nothing"',
      },
      {
        line: lineOf(text, 'paper/cabinet'),
        field: 'birthright[2].grant[0]',
        message: expect.stringContaining('resource "paper" is granted by hand'),
      },
    ]);
    expect(error.message).toMatch(
      /^birthright\.yaml:\d+:\d+ birthright\[0\]\.when\.group: no group with key "on-call" in groups$/m,
    );
    expect(shapeError.problems).toMatchObject([
      {
        line: lineOf(shapeless, 'when: { department: Ops'),
        field: 'birthright[0].when',
        message: 'names both a department and a group: a rule has one condition (write a rule for each)',
      },
    ]);
    expect(await sql()`select name, status, updated_at from birthright_rules order by name`).toEqual(before);
    expect(await sweep()).toEqual({ granted: 0, revoked: 0, lifetimes: 0 });
  });
});
