// A request recorded by an API that was killed before it started the request's workflow (found by
// the chaos suite: the row and its `access.request.created` committed, no workflow, `pending`
// forever, and its requester refused a new request as "already open"). The worker's sweep starts
// the workflow of such a request once it has been pending longer than any start takes.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../core/net.js';
import { insertAccessRequest } from '../../db/queries/access-requests.js';
import { getEntitlement } from '../../db/queries/entitlements.js';
import { getPersonByEmail } from '../../db/queries/people.js';
import { startStrandedRequests } from '../../requests/start-stranded.js';
import { accessRequestWorkflowId } from '../../workflows/ids.js';
import { QUICK_RETRY, useRequestStack } from '../helpers/requests.js';

describe('requests whose workflow never started', () => {
  const fixture = useRequestStack();

  /** Records a request for db/read the way filing does, without starting its workflow. */
  async function recordWithoutWorkflow(email: string, ageSeconds: number): Promise<string> {
    const { database } = fixture;
    const person = await getPersonByEmail(database.runtime.db, email);
    const found = await getEntitlement(database.runtime.db, 'db', 'read');
    if (!person || !found) throw new Error('the stack has no such person or entitlement');
    const id = randomUUID();
    await insertAccessRequest(database.runtime.db, {
      id,
      requesterId: person.id,
      entitlementId: found.entitlement.id,
      submittedById: person.id,
      reason: 'on call',
      durationSeconds: 3_600,
    });
    await database.owner.sql`
      update access_requests set created_at = now() - make_interval(secs => ${ageSeconds}) where id = ${id}`;
    return id;
  }

  const statusOf = async (id: string) => {
    const [row] = await fixture.database.owner.sql<{ status: string }[]>`
      select status from access_requests where id = ${id}`;
    return row?.status;
  };
  const hasWorkflow = (id: string) =>
    fixture.stack.api.temporal.workflow
      .getHandle(accessRequestWorkflowId(id))
      .describe()
      .then(
        () => true,
        () => false,
      );

  it('starts the workflow of a stale pending request once, and leaves a fresh one to its API', async () => {
    // Setup: one request stranded two minutes ago, one recorded a second ago (its API is starting it).
    const { stack } = fixture;
    const stranded = await recordWithoutWorkflow(stack.cast.dev, 120);
    const fresh = await recordWithoutWorkflow(stack.cast.dev2, 1);
    const deps = {
      db: fixture.database.runtime.db,
      temporal: stack.api.temporal,
      taskQueue: stack.taskQueue,
      provisioningRetry: QUICK_RETRY,
    };

    // Act: the worker's sweep, twice (as every pass does).
    const first = await startStrandedRequests(deps);
    const second = await startStrandedRequests(deps);

    // Verify: the stranded request runs and waits for its manager; nothing started twice; the
    // fresh one untouched.
    expect(first).toBe(1);
    expect(second).toBe(0);
    await waitUntil(async () => (await statusOf(stranded)) === 'pending_approval', {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    expect(await hasWorkflow(fresh)).toBe(false);
    expect(await statusOf(fresh)).toBe('pending');
  });
});
