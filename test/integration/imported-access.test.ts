import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../core/net.js';
import { importDirectory } from '../../directory/import.js';
import { parseDirectorySource } from '../../directory/parse.js';
import { startImportedGrantLifetimes } from '../../grants/start-lifetimes.js';
import { bearer } from '../helpers/api.js';
import { QUICK_RETRY, useRequestStack } from '../helpers/requests.js';

describe('existing access in the directory file', () => {
  const fixture = useRequestStack();

  const withAccess = (lines: string) => `${fixture.stack.directorySource}access:\n${lines}`;
  const importText = (text: string) =>
    importDirectory(fixture.database.runtime.db, parseDirectorySource(text, 'access.yaml'), {
      actor: 'cli:test',
    });
  const grantsOf = async () =>
    (await fixture.database.runtime.sql`
      select g.id, p.email, g.source, g.status, g.expires_at, g.lifetime_started_at, g.removal_verified
      from grants g join people p on p.id = g.person_id where g.source = 'import' order by p.email`) as unknown as {
      id: string;
      email: string;
      source: string;
      status: string;
      expires_at: Date | null;
      lifetime_started_at: Date | null;
      removal_verified: boolean | null;
    }[];
  const isMember = async (email: string, role: string) =>
    (
      await fixture.stack.target`
        select 1 from pg_auth_members m join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member
        where r.rolname = ${role} and u.rolname = ${fixture.stack.databaseUser(email)}`
    ).length > 0;

  it('imports held access as grants, idempotently; a dropped line is reported, not revoked; lifetimes revoke and expire them at the target', async () => {
    // Setup: the target already holds what the file says (that is what "existing access" means).
    const { cast, roles } = fixture.stack;
    await fixture.stack.target.unsafe(`grant "${roles.read}" to "${fixture.stack.databaseUser(cast.dev)}"`);
    await fixture.stack.target.unsafe(`grant "${roles.timed}" to "${fixture.stack.databaseUser(cast.dev2)}"`);
    const until = new Date(Date.now() + 8_000).toISOString();
    const lines =
      `  - { person: ${cast.dev}, entitlement: db/read, since: 2024-01-15, note: "standing" }\n` +
      `  - { person: ${cast.dev2}, entitlement: db/timed, since: "2025-06-01T09:00:00Z", until: "${until}" }\n`;

    // Act: import, then import the same file again.
    const first = await importText(withAccess(lines));
    const again = await importText(withAccess(lines));

    // Verify: two grants from `import`, one with no end date, each recorded in the ledger once.
    expect(first.access.added).toEqual([`${cast.dev} db/read`, `${cast.dev2} db/timed`]);
    expect(again.changed).toBe(false);
    expect(again.access).toMatchObject({ added: [], unchanged: 2 });
    const imported = await grantsOf();
    expect(imported.map((g) => [g.email, g.source, g.status])).toEqual([
      [cast.dev, 'import', 'active'],
      [cast.dev2, 'import', 'active'],
    ]);
    expect(imported[0]?.expires_at).toBeNull();
    const events = await fixture.database.runtime.sql`
      select event->>'actor' as actor from audit_intake where event->>'event_type' = 'access.grant.imported'`;
    expect(events).toHaveLength(2);
    expect(JSON.parse(events[0]?.actor as string)).toMatchObject({ type: 'system', id: 'cli:test' });

    // A line removed from the file is reported and left active.
    const dropped = await importText(withAccess(lines.split('\n')[1] as string));
    expect(dropped.accessNotInFile).toEqual([`${cast.dev} db/read`]);
    expect((await grantsOf()).every((g) => g.status === 'active')).toBe(true);

    // Lifetimes: started once each, however often the starter runs.
    const deps = {
      db: fixture.database.runtime.db,
      temporal: fixture.stack.api.temporal,
      taskQueue: fixture.stack.taskQueue,
      provisioningRetry: QUICK_RETRY,
    };
    expect(await startImportedGrantLifetimes(deps)).toBe(2);
    expect(await startImportedGrantLifetimes(deps)).toBe(0);

    // An admin revokes the standing grant: removed at the target and read back.
    const standing = imported[0]?.id as string;
    const revoked = await fixture.stack.api.app.inject({
      method: 'POST',
      url: `/api/v1/grants/${standing}/revoke`,
      headers: bearer(fixture.stack.token(cast.admin)),
      payload: { reason: 'no longer needed' },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    await waitUntil(async () => (await grantsOf())[0]?.removal_verified === true, { timeoutMs: 20_000 });
    expect(await isMember(cast.dev, roles.read as string)).toBe(false);

    // The imported grant with an end date expires by its own timer.
    await waitUntil(async () => (await grantsOf())[1]?.status === 'expired', { timeoutMs: 30_000 });
    await waitUntil(async () => !(await isMember(cast.dev2, roles.timed as string)), { timeoutMs: 20_000 });
  });

  it('refuses access lines that name nobody, nothing, a future start or a past end, and changes nothing', () => {
    const { cast } = fixture.stack;
    const bad =
      '  - { person: nobody@acme.test, entitlement: db/read, since: 2024-01-01 }\n' +
      `  - { person: ${cast.dev}, entitlement: db/nothing, since: 2024-01-01 }\n` +
      `  - { person: ${cast.dev}, entitlement: db/write, since: 2999-01-01 }\n` +
      `  - { person: ${cast.dev}, entitlement: db/low, since: 2024-01-01, until: 2024-02-01 }\n`;
    expect(() => parseDirectorySource(withAccess(bad), 'access.yaml')).toThrowError(
      /no person with email "nobody@acme.test"[\s\S]*has no entitlement "nothing"[\s\S]*in the future[\s\S]*in the past/,
    );
  });
});
