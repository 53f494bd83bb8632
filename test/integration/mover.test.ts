import { describe, expect, it } from 'vitest';
import { importDirectory } from '../../directory/import.js';
import { parseDirectorySource } from '../../directory/parse.js';
import { startImportedGrantLifetimes } from '../../grants/start-lifetimes.js';
import { startPendingMovers } from '../../identity/mover.js';
import { moverWorkflowId } from '../../workflows/ids.js';
import type { MoverResult } from '../../workflows/messages.js';
import { QUICK_RETRY, useRequestStack } from '../helpers/requests.js';
import { step } from '../helpers/steps.js';

describe('a mover: the new manager reviews, sensitive access goes, once per move', () => {
  const fixture = useRequestStack();

  it('reviews db/read by the new manager, revokes the onMove: revoke resource at the target, and records it', async () => {
    const { cast, roles } = fixture.stack;
    const deps = {
      db: fixture.database.runtime.db,
      temporal: fixture.stack.api.temporal,
      taskQueue: fixture.stack.taskQueue,
    };
    const sql = fixture.database.runtime.sql;
    // A second resource on the same target whose access does not survive a move.
    const directory = (manager: string) =>
      fixture.stack.directorySource
        .replace(
          'separationOfDuties:',
          `  - key: admin-db\n    name: Admin DB\n    owner: ${cast.owner}\n    onMove: revoke\n` +
            `    connector: { kind: postgres, databaseUrlEnv: ${Object.keys(fixture.stack.connectorEnv)[0]} }\n` +
            `    entitlements:\n      - key: write\n        name: write\n        risk: high\n        maxDuration: 8h\n` +
            `        policy: quorum\n        target: { role: ${roles.write} }\nseparationOfDuties:`,
        )
        .replace(
          `    name: Dev Eloper\n    manager: ${cast.manager}\n`,
          `    name: Dev Eloper\n    manager: ${manager}\n`,
        ) +
      `access:\n  - { person: ${cast.dev}, entitlement: db/read, since: 2024-01-15 }\n` +
      `  - { person: ${cast.dev}, entitlement: admin-db/write, since: 2024-01-15 }\n`;
    const isMember = async (role: string | undefined) =>
      (
        await fixture.stack.target`
          select 1 from pg_auth_members m join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member
          where r.rolname = ${role ?? ''} and u.rolname = ${fixture.stack.databaseUser(cast.dev)}`
      ).length > 0;

    await step('setup: Dev holds db/read and admin-db/write, imported and running', async () => {
      await fixture.stack.target.unsafe(`grant "${roles.read}" to "${fixture.stack.databaseUser(cast.dev)}"`);
      await fixture.stack.target.unsafe(
        `grant "${roles.write}" to "${fixture.stack.databaseUser(cast.dev)}"`,
      );
      await importDirectory(
        fixture.database.runtime.db,
        parseDirectorySource(directory(cast.manager), 'd.yaml'),
        {
          actor: 'cli:test',
        },
      );
      expect(await startImportedGrantLifetimes({ ...deps, provisioningRetry: QUICK_RETRY })).toBe(2);
      expect(await startPendingMovers({ ...deps, reviewSeconds: 3_600 })).toBe(0);
    });

    const movedAt = await step('Dev moves to the CEO in the file: one mover workflow, once', async () => {
      const report = await importDirectory(
        fixture.database.runtime.db,
        parseDirectorySource(directory(cast.ceo), 'd.yaml'),
        { actor: 'cli:test' },
      );
      expect(report.people.changed.map((c) => c.key)).toEqual([cast.dev]);
      expect(await startPendingMovers({ ...deps, reviewSeconds: 3_600 })).toBe(1);
      expect(await startPendingMovers({ ...deps, reviewSeconds: 3_600 })).toBe(0);
      const [row] = await sql`select id, moved_at from people where email = ${cast.dev}`;
      return { personId: row?.id as string, at: new Date(row?.moved_at as Date).getTime() };
    });

    const result = await step('the mover sends db/read to review and revokes admin-db/write', async () => {
      const handle = fixture.stack.api.temporal.workflow.getHandle(
        moverWorkflowId(movedAt.personId, movedAt.at),
      );
      const done: MoverResult = await Promise.race([
        handle.result(),
        new Promise<never>((_, reject) =>
          setTimeout(async () => {
            const { raw } = await handle.describe();
            reject(
              new Error(`mover stuck: ${JSON.stringify(raw.pendingActivities?.[0]?.lastFailure?.message)}`),
            );
          }, 15_000),
        ),
      ]);
      expect(done).toMatchObject({ reviewed: 1, revoked: 1, kept: 0 });
      expect(done.campaignId).toBeDefined();
      return done;
    });

    await step('the review: a campaign over Dev’s db/read only, reviewed by the new manager', async () => {
      let items: { reviewer: string; entitlement: string }[] = [];
      for (let i = 0; i < 100 && items.length === 0; i += 1) {
        items = (await sql`
          select rv.email as reviewer, r.key || '/' || e.key as entitlement
          from campaign_items ci join people rv on rv.id = ci.reviewer_id
          join grants g on g.id = ci.grant_id join entitlements e on e.id = g.entitlement_id
          join resources r on r.id = e.resource_id
          where ci.campaign_id = ${result.campaignId as string}`) as never;
        if (items.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(items).toEqual([{ reviewer: cast.ceo, entitlement: 'db/read' }]);
      const [campaign] =
        await sql`select name, default_action from campaigns where id = ${result.campaignId as string}`;
      expect(campaign).toMatchObject({ default_action: 'revoke' });
      expect(campaign?.name).toContain(cast.dev);
    });

    await step('admin-db/write is gone at the target; db/read stays until the review decides', async () => {
      for (let i = 0; i < 100 && (await isMember(roles.write)); i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await isMember(roles.write)).toBe(false);
      expect(await isMember(roles.read)).toBe(true);
    });

    await step('the ledger: one identity.mover.handled naming what went where', async () => {
      const events =
        await sql`select event from audit_intake where event->>'event_type' = 'identity.mover.handled'`;
      expect(events).toHaveLength(1);
      expect(events[0]?.event.details).toMatchObject({
        reviewed_grants: ['db/read'],
        revoked_grants: ['admin-db/write'],
        kept_grants: [],
      });
    });
  });
});
