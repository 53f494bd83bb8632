import { describe, expect, it } from 'vitest';
import { searchLedger } from '../../audit/read.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { verifyLedger } from '../../audit/verify/index.js';
import { waitUntil } from '../../core/net.js';
import { bearer } from '../helpers/api.js';
import { spawnWorker } from '../helpers/cli.js';
import { useRequestStack } from '../helpers/requests.js';

describe('the worker killed during provisioning', () => {
  const fixture = useRequestStack();

  async function status(id: string): Promise<string> {
    const [row] = await fixture.database.owner.sql<
      { status: string }[]
    >`select status from access_requests where id = ${id}`;
    return row?.status ?? 'missing';
  }

  it('grants exactly once when another worker takes over', { timeout: 150_000 }, async () => {
    // Setup: the work runs in a real `grantflow worker` process instead of in-process.
    await fixture.stack.stopWorker();
    const { child, exited } = spawnWorker(fixture.stack.workerEnv());
    const filed = await fixture.stack.api.app.inject({
      method: 'POST',
      url: '/api/v1/requests',
      headers: bearer(fixture.stack.token(fixture.stack.cast.dev)),
      payload: { resource: 'db', entitlement: 'low', durationSeconds: 3_600 },
    });
    expect(filed.statusCode).toBe(201);
    const id = filed.json().id;

    // Act: kill it the moment provisioning starts, then bring a worker back.
    try {
      await waitUntil(async () => (await status(id)) === 'provisioning', {
        timeoutMs: 45_000,
        intervalMs: 5,
      });
    } finally {
      child.kill('SIGKILL');
    }
    await exited;
    await fixture.stack.startWorker();
    // A lost workflow task comes back after its 10 s timeout, a lost call after its 3 s budget;
    // on a loaded 2-core machine that can add up to well over 30 s.
    await waitUntil(async () => (await status(id)) === 'granted', { timeoutMs: 75_000, intervalMs: 100 });

    // Verify: one membership, one grant, one provisioned event, and a ledger that verifies.
    const memberships = await fixture.stack.target`
      select count(*)::int as n from pg_auth_members m join pg_roles r on r.oid = m.roleid
      join pg_roles u on u.oid = m.member
      where r.rolname = ${fixture.stack.roles.low ?? ''} and u.rolname = ${fixture.stack.databaseUser(fixture.stack.cast.dev)}`;
    expect(memberships[0]?.n).toBe(1);
    const grants = await fixture.database.owner.sql`select id from grants where request_id = ${id}`;
    expect(grants).toHaveLength(1);
    await sequenceAll(fixture.database.runtime.sql);
    const provisioned = await searchLedger(
      fixture.database.runtime.sql,
      { correlation: id, type: 'access.grant.provisioned' },
      10,
    );
    expect(provisioned).toHaveLength(1);
    const report = await verifyLedger(fixture.database.runtime.sql, {
      verifiers: fixture.stack.api.ledger.keys.verifiers,
    });
    expect(report.status).toBe('intact');
  });
});
