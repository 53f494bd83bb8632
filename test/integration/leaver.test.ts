import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../core/net.js';
import { importDirectory } from '../../directory/import.js';
import { parseDirectorySource } from '../../directory/parse.js';
import { startImportedGrantLifetimes } from '../../grants/start-lifetimes.js';
import { startPendingLeavers } from '../../identity/leaver.js';
import { leaverWorkflowId } from '../../workflows/ids.js';
import type { LeaverResult } from '../../workflows/messages.js';
import { bearer } from '../helpers/api.js';
import { spawnWorker } from '../helpers/cli.js';
import { QUICK_RETRY, useRequestStack } from '../helpers/requests.js';
import { step } from '../helpers/steps.js';

describe('a leaver loses everything, verified', () => {
  const fixture = useRequestStack();

  const isMember = async (email: string, role: string | undefined) =>
    (
      await fixture.stack.target`
        select 1 from pg_auth_members m join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member
        where r.rolname = ${role ?? ''} and u.rolname = ${fixture.stack.databaseUser(email)}`
    ).length > 0;
  const events = async (type: string) =>
    (
      await fixture.database.runtime.sql`select event from audit_intake where event->>'event_type' = ${type}`
    ).map(
      (row) =>
        row.event as {
          target: { id: string; name?: string };
          correlation?: { grant_id?: string };
          details: Record<string, unknown>;
        },
    );

  it('revokes every grant through its lifetime and reads it back, cancels requests, revokes tokens, once, across a worker killed mid-way', async () => {
    const { cast, roles } = fixture.stack;
    const deps = {
      db: fixture.database.runtime.db,
      temporal: fixture.stack.api.temporal,
      taskQueue: fixture.stack.taskQueue,
    };

    const grantIds = await step(
      'setup: Dev holds read and write at the target, and has a request open',
      async () => {
        await fixture.stack.target.unsafe(
          `grant "${roles.read}" to "${fixture.stack.databaseUser(cast.dev)}"`,
        );
        await fixture.stack.target.unsafe(
          `grant "${roles.write}" to "${fixture.stack.databaseUser(cast.dev)}"`,
        );
        const access = `access:\n  - { person: ${cast.dev}, entitlement: db/read, since: 2024-01-15 }\n  - { person: ${cast.dev}, entitlement: db/write, since: 2024-01-15 }\n`;
        await importDirectory(
          fixture.database.runtime.db,
          parseDirectorySource(fixture.stack.directorySource + access, 'd.yaml'),
          {
            actor: 'cli:test',
          },
        );
        expect(await startImportedGrantLifetimes({ ...deps, provisioningRetry: QUICK_RETRY })).toBe(2);
        const filed = await fixture.stack.api.app.inject({
          method: 'POST',
          url: '/api/v1/requests',
          headers: bearer(fixture.stack.token(cast.dev)),
          payload: { resource: 'db', entitlement: 'timed', durationSeconds: 3_600, reason: 'on call' },
        });
        expect(filed.statusCode, filed.body).toBe(201);
        const rows = await fixture.database.runtime.sql`
        select g.id from grants g join people p on p.id = g.person_id where p.email = ${cast.dev} and g.status = 'active'`;
        return rows.map((row) => row.id as string);
      },
    );

    // The leaver runs in a real `grantflow worker` process, killed (SIGKILL) once the leaver has
    // begun; the in-process worker then takes over from where the history stands.
    await fixture.stack.stopWorker();
    const child = spawnWorker(fixture.stack.workerEnv());

    const personId = await step('Dev leaves: the sweep starts one leaver workflow, once', async () => {
      const [person] = await fixture.database.runtime.sql`
        update people set status = 'inactive', deactivated_at = now() where email = ${cast.dev} returning id`;
      const leaverDeps = { ...deps, slaSeconds: 120 };
      // The child's own sweep may start it first: one start in all, either way.
      const started = (await startPendingLeavers(leaverDeps)) + (await startPendingLeavers(leaverDeps));
      expect(started).toBeLessThanOrEqual(1);
      return person?.id as string;
    });

    await step('the worker process is killed mid-leaver, and another worker takes over', async () => {
      try {
        await waitUntil(async () => (await events('identity.leaver.started')).length === 1, {
          timeoutMs: 45_000,
          intervalMs: 5,
        });
      } finally {
        child.child.kill('SIGKILL');
      }
      await child.exited;
      await fixture.stack.startWorker();
    });

    const result = await step('the leaver ends with every removal read back, within the SLA', async () => {
      const [person] = await fixture.database.runtime
        .sql`select deactivated_at from people where id = ${personId}`;
      const handle = fixture.stack.api.temporal.workflow.getHandle(
        leaverWorkflowId(personId, new Date(person?.deactivated_at as Date).getTime()),
      );
      const done: LeaverResult = await handle.result();
      expect(done).toMatchObject({
        grants: 2,
        verified: 2,
        failed: 0,
        withinSla: true,
      });
      expect(done.tokensRevoked).toBeGreaterThanOrEqual(1);
      return done;
    });

    await step('nothing is left: at the target, in the API, in the requests', async () => {
      expect(await isMember(cast.dev, roles.read)).toBe(false);
      expect(await isMember(cast.dev, roles.write)).toBe(false);
      const grants = await fixture.database.runtime
        .sql`select status, removal_verified from grants where id in ${fixture.database.runtime.sql(grantIds)}`;
      expect(grants.map((g) => [g.status, g.removal_verified])).toEqual([
        ['revoked', true],
        ['revoked', true],
      ]);
      const call = await fixture.stack.api.app.inject({
        method: 'GET',
        url: '/api/v1/grants',
        headers: bearer(fixture.stack.token(cast.dev)),
      });
      expect(call.statusCode).toBe(401);
      const [request] = await fixture.database.runtime.sql`
        select r.status from access_requests r join people p on p.id = r.requester_id where p.email = ${cast.dev}`;
      // Closed: by the leaver's cancel, or by the policy finding the requester inactive first
      // (then the leaver found nothing open to cancel).
      expect(['cancelled', 'denied']).toContain(request?.status);
      // Cancelled once, whichever try of the leaver's activity did it: one killed with the worker
      // may have cancelled it before its retry found nothing open (and counted 0).
      const cancellations = await fixture.database.runtime.sql`
        select count(*)::int as n from audit_intake i join access_requests r on r.id::text = i.event->'correlation'->>'request_id'
        join people p on p.id = r.requester_id
        where p.email = ${cast.dev} and i.event->>'event_type' = 'access.request.cancelled'`;
      expect(cancellations[0]?.n).toBe(request?.status === 'cancelled' ? 1 : 0);
      expect(result.requestsCancelled).toBeLessThanOrEqual(request?.status === 'cancelled' ? 1 : 0);
    });

    await step(
      'the ledger: started, each grant deprovisioned once, completed with the time it took',
      async () => {
        expect(await events('identity.leaver.started')).toHaveLength(1);
        const [completed] = await events('identity.leaver.completed');
        expect(completed?.details).toMatchObject({
          grants: 2,
          verified: 2,
          secondsToRemoval: result.secondsToRemoval,
        });
        const deprovisioned = (await events('access.grant.deprovisioned')).map(
          (e) => e.correlation?.grant_id,
        );
        expect(deprovisioned.sort()).toEqual([...grantIds].sort());
      },
    );
  }, 150_000);
});
