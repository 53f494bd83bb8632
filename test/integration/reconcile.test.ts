import { describe, expect, it } from 'vitest';
import { findFreePort } from '../../core/net.js';
import { listPopulationPage } from '../../db/queries/campaigns.js';
import { importDirectory } from '../../directory/import.js';
import { parseDirectorySource } from '../../directory/parse.js';
import { bearer } from '../helpers/api.js';
import { useRequestStack } from '../helpers/requests.js';
import { step } from '../helpers/steps.js';

type Finding = {
  id: string;
  kind: string;
  status: string;
  person: string | null;
  account: string | null;
  entitlement: string | null;
  resolution: string | null;
  grantId: string | null;
};
type Run = { runId: string; outcome: string; counts?: Record<string, number>; error?: string };

describe('reconciliation against a real PostgreSQL target', () => {
  const fixture = useRequestStack();

  const admin = () => bearer(fixture.stack.token(fixture.stack.cast.admin));
  const importText = (text: string) =>
    importDirectory(fixture.database.runtime.db, parseDirectorySource(text, 'directory.yaml'), {
      actor: 'cli:test',
    });
  const grantAt = (role: string | undefined, email: string) =>
    fixture.stack.target.unsafe(`grant "${role}" to "${fixture.stack.databaseUser(email)}"`);
  const revokeAt = (role: string | undefined, email: string) =>
    fixture.stack.target.unsafe(`revoke "${role}" from "${fixture.stack.databaseUser(email)}"`);
  async function reconcile(resource = 'db'): Promise<Run> {
    const response = await fixture.stack.api.app.inject({
      method: 'POST',
      url: '/api/v1/reconciliations',
      headers: admin(),
      payload: { resource, wait: true },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }
  async function findings(query = 'resource=db'): Promise<Finding[]> {
    const response = await fixture.stack.api.app.inject({
      method: 'GET',
      url: `/api/v1/findings?${query}`,
      headers: admin(),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().items;
  }
  const ledger = async (type: string) =>
    (
      await fixture.database.runtime.sql`select event from audit_intake where event->>'event_type' = ${type}`
    ).map((row) => row.event as { details: Record<string, unknown>; target: { id: string } });

  it('finds orphans, unknown accounts and missing grants; sees them again without reopening; resolves what went away', async () => {
    const { cast, roles } = fixture.stack;
    const unknown = `svc_${(roles.read ?? '').slice(2, 10)}`;
    await step(
      'setup: Dev holds read and Dee holds low, through imported grants the target agrees with',
      async () => {
        await grantAt(roles.read, cast.dev);
        await grantAt(roles.low, cast.dev2);
        await importText(
          `${fixture.stack.directorySource}access:\n  - { person: ${cast.dev}, entitlement: db/read, since: 2024-01-15 }\n  - { person: ${cast.dev2}, entitlement: db/low, since: 2024-01-15 }\n`,
        );
        expect((await reconcile()).counts).toMatchObject({ grants: 2, matched: 2, opened: 0, open: 0 });
      },
    );

    await step('differences made by hand at the target', async () => {
      await grantAt(roles.write, cast.dev2); // no grant: an orphan
      await fixture.stack.target.unsafe(`create role "${unknown}" login`);
      await fixture.stack.target.unsafe(`grant "${roles.read}" to "${unknown}"`); // nobody we know
      await revokeAt(roles.low, cast.dev2); // a grant the target no longer holds
    });

    const found = await step('reconcile: three findings, each recorded', async () => {
      const run = await reconcile();
      expect(run).toMatchObject({
        outcome: 'completed',
        counts: { grants: 2, matched: 1, opened: 3, open: 3 },
      });
      const open = await findings('resource=db&status=open');
      expect(open.map((f) => [f.kind, f.person, f.account, f.entitlement]).sort()).toEqual(
        [
          ['missing', cast.dev2, fixture.stack.databaseUser(cast.dev2), 'low'],
          ['orphan', cast.dev2, fixture.stack.databaseUser(cast.dev2), 'write'],
          ['unknown_account', null, unknown, 'read'],
        ].sort(),
      );
      const opened = await ledger('reconciliation.finding.opened');
      expect(opened.map((e) => e.target.id).sort()).toEqual(open.map((f) => f.id).sort());
      expect((await ledger('reconciliation.run.completed')).length).toBe(2);
      return open;
    });

    await step('a second run sees the same findings and opens none', async () => {
      expect((await reconcile()).counts).toMatchObject({ opened: 0, open: 3 });
      expect((await findings('resource=db&status=open')).map((f) => f.id).sort()).toEqual(
        found.map((f) => f.id).sort(),
      );
      expect(await ledger('reconciliation.finding.opened')).toHaveLength(3);
    });

    await step('fixed at the target: the orphan is resolved as gone', async () => {
      await revokeAt(roles.write, cast.dev2);
      expect((await reconcile()).counts).toMatchObject({ open: 2, resolved: 1 });
      const orphan = (await findings('resource=db&kind=orphan'))[0];
      expect(orphan).toMatchObject({ status: 'resolved', resolution: 'gone' });
    });

    await step(
      'an admin closes the unknown account by hand, with a reason; a second close is refused',
      async () => {
        const target = found.find((f) => f.kind === 'unknown_account') as Finding;
        const close = (as: string) =>
          fixture.stack.api.app.inject({
            method: 'POST',
            url: `/api/v1/findings/${target.id}/resolution`,
            headers: bearer(fixture.stack.token(as)),
            payload: { reason: 'removed at the target by the DBA' },
          });
        expect((await close(cast.dev)).statusCode).toBe(403);
        const closed = await close(cast.admin);
        expect(closed.statusCode, closed.body).toBe(200);
        expect(closed.json()).toMatchObject({ status: 'resolved', resolvedBy: cast.admin });
        expect((await close(cast.admin)).statusCode).toBe(409);
        await fixture.stack.target.unsafe(`revoke "${roles.read}" from "${unknown}"`);
      },
    );
  });

  it('acts per the resource policy: adopts an orphan as a grant to review, provisions a missing grant again', async () => {
    const { cast, roles } = fixture.stack;
    await importText(
      fixture.stack.directorySource.replace(
        /(connector: \{ kind: postgres, databaseUrlEnv: [A-Z0-9_]+ \}\n)/,
        '$1    reconcile: { onOrphan: adopt, onMissing: reprovision }\n',
      ) +
        `access:\n  - { person: ${cast.dev}, entitlement: db/read, since: 2024-01-15 }\n  - { person: ${cast.dev2}, entitlement: db/low, since: 2024-01-15 }\n`,
    );
    await grantAt(roles.checker, cast.dev);
    const run = await reconcile();
    expect(run, JSON.stringify(run)).toMatchObject({ outcome: 'completed', counts: { acted: 2, open: 0 } });
    const adopted = (await findings('resource=db&kind=orphan&status=resolved')).find(
      (f) => f.entitlement === 'checker',
    );
    expect(adopted).toMatchObject({ resolution: 'adopted', person: cast.dev });
    const [grant] = await fixture.database.runtime
      .sql`select source, status, expires_at from grants where id = ${adopted?.grantId ?? ''}`;
    expect(grant).toMatchObject({ source: 'reconciliation', status: 'active', expires_at: null });
    const missing = (await findings('resource=db&kind=missing')).find(
      (f) => f.status === 'resolved' && f.resolution === 'reprovisioned',
    );
    expect(missing?.person).toBe(cast.dev2);
    const member = await fixture.stack.target`
      select 1 from pg_auth_members m join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member
      where r.rolname = ${roles.low ?? ''} and u.rolname = ${fixture.stack.databaseUser(cast.dev2)}`;
    expect(member).toHaveLength(1);

    // The person's overview shows the adopted grant beside the others; employees may not read it.
    const overview = await fixture.stack.api.app.inject({
      method: 'GET',
      url: `/api/v1/people/overview?email=${encodeURIComponent(cast.dev.toUpperCase())}`,
      headers: admin(),
    });
    expect(overview.statusCode, overview.body).toBe(200);
    expect(overview.json()).toMatchObject({
      person: { email: cast.dev, source: 'file', status: 'active' },
      manager: cast.manager,
    });
    expect(
      overview
        .json()
        .grants.map((g: { entitlement: string; source: string }) => `${g.entitlement}:${g.source}`)
        .sort(),
    ).toEqual(['checker:reconciliation', 'read:import']);
    const asEmployee = await fixture.stack.api.app.inject({
      method: 'GET',
      url: `/api/v1/people/overview?email=${encodeURIComponent(cast.dev)}`,
      headers: bearer(fixture.stack.token(cast.dev)),
    });
    expect(asEmployee.statusCode).toBe(403);
  });

  it('reports a target it cannot read, and draws no finding from it', async () => {
    const port = await findFreePort();
    fixture.stack.connectorEnv.DOWN_DB_URL = `postgres://postgres@127.0.0.1:${port}/nothing`;
    await importText(
      `${fixture.stack.directorySource.replace(
        /^resources:\n/m,
        `resources:\n  - key: down\n    name: Down DB\n    owner: ${fixture.stack.cast.owner}\n    connector: { kind: postgres, databaseUrlEnv: DOWN_DB_URL }\n    entitlements:\n      - { key: read, name: read, risk: low, maxDuration: 8h, policy: auto-low, target: { role: nobody_here } }\n`,
      )}access:\n  - { person: ${fixture.stack.cast.dev}, entitlement: down/read, since: 2024-01-15 }\n`,
    );
    const run = await reconcile('down');
    expect(run.outcome).toBe('target_unavailable');
    expect(run.error).toMatch(/connector_unavailable/);
    expect(await findings('resource=down')).toEqual([]);
    const events = await ledger('reconciliation.run.target_unavailable');
    expect(events.map((e) => e.details.run_id)).toEqual([run.runId]);
  });

  it('refuses what it cannot do: a manual resource, an unknown one, a non-admin', async () => {
    const post = (as: string, resource: string) =>
      fixture.stack.api.app.inject({
        method: 'POST',
        url: '/api/v1/reconciliations',
        headers: bearer(fixture.stack.token(as)),
        payload: { resource },
      });
    expect((await post(fixture.stack.cast.admin, 'paper')).statusCode).toBe(400);
    expect((await post(fixture.stack.cast.admin, 'nope')).statusCode).toBe(404);
    expect((await post(fixture.stack.cast.dev, 'db')).statusCode).toBe(403);
  });
});

describe('separation of duties on current access', () => {
  const fixture = useRequestStack();

  const check = async () => {
    const response = await fixture.stack.api.app.inject({
      method: 'POST',
      url: '/api/v1/reconciliations/sod',
      headers: bearer(fixture.stack.token(fixture.stack.cast.admin)),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { breaches: number; opened: number; resolved: number };
  };
  const sodFindings = async () =>
    (
      await fixture.stack.api.app.inject({
        method: 'GET',
        url: '/api/v1/findings?kind=sod_violation',
        headers: bearer(fixture.stack.token(fixture.stack.cast.admin)),
      })
    ).json().items as Finding[];

  it('finds a breach in what someone holds now, once, and resolves it when the rule no longer applies', async () => {
    const { cast } = fixture.stack;
    const access = `access:\n  - { person: ${cast.dev}, entitlement: db/maker, since: 2024-01-15 }\n  - { person: ${cast.dev}, entitlement: db/checker, since: 2024-01-15 }\n  - { person: ${cast.dev2}, entitlement: db/maker, since: 2024-01-15 }\n`;
    await importDirectory(
      fixture.database.runtime.db,
      parseDirectorySource(`${fixture.stack.directorySource}${access}`, 'd.yaml'),
      {
        actor: 'cli:test',
      },
    );
    expect(await check()).toMatchObject({ breaches: 1, opened: 1, resolved: 0 });
    expect(await check()).toMatchObject({ breaches: 1, opened: 0 });
    const [breach] = await sodFindings();
    expect(breach).toMatchObject({ kind: 'sod_violation', status: 'open', person: cast.dev });

    // A campaign scoped to the open SoD findings reviews exactly the grants that make up a breach:
    // Dev's maker and checker, not Dee's maker alone.
    const scoped = await listPopulationPage(fixture.database.runtime.db, { sodFindings: true });
    const held = await fixture.database.runtime.sql`
      select g.id from grants g join people p on p.id = g.person_id where p.email = ${cast.dev} and g.status = 'active'`;
    expect(scoped.map((g) => g.grantId).sort()).toEqual(held.map((row) => row.id as string).sort());
    expect(scoped).toHaveLength(2);

    // The rule is dropped from the file: the breach is gone.
    const withoutRule = fixture.stack.directorySource.replace(
      /separationOfDuties:\n(?: .*\n)+/,
      'separationOfDuties: []\n',
    );
    await importDirectory(
      fixture.database.runtime.db,
      parseDirectorySource(`${withoutRule}${access}`, 'd.yaml'),
      {
        actor: 'cli:test',
      },
    );
    expect(await check()).toMatchObject({ breaches: 0, resolved: 1 });
    expect((await sodFindings())[0]).toMatchObject({ status: 'resolved', resolution: 'gone' });
    expect(await listPopulationPage(fixture.database.runtime.db, { sodFindings: true })).toEqual([]);
  });
});
