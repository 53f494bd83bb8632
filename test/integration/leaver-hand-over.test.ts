// A leaver who others were waiting on: a manager leaves with a request waiting for their approval
// and a campaign item waiting for their review. Both go to their own manager, who can then decide
// them; the requester's next step is unchanged; and a leaver with no grants at all is still swept.
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../core/net.js';
import { importDirectory } from '../../directory/import.js';
import { parseDirectorySource } from '../../directory/parse.js';
import { startImportedGrantLifetimes } from '../../grants/start-lifetimes.js';
import { startPendingLeavers } from '../../identity/leaver.js';
import { leaverWorkflowId } from '../../workflows/ids.js';
import type { LeaverResult } from '../../workflows/messages.js';
import { bearer } from '../helpers/api.js';
import { QUICK_RETRY, useRequestStack } from '../helpers/requests.js';
import { step } from '../helpers/steps.js';

describe('a leaver hands on what waits on them', () => {
  const fixture = useRequestStack();

  const call = (as: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    fixture.stack.api.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: bearer(fixture.stack.token(as)),
      ...(payload ? { payload } : {}),
    });

  it("gives a departed manager's waiting approval and review to their manager, who decides them", async () => {
    const { cast } = fixture.stack;
    const { db, sql } = fixture.database.runtime;
    const deps = { db, temporal: fixture.stack.api.temporal, taskQueue: fixture.stack.taskQueue };

    const { requestId, campaignId } = await step(
      'setup: Dee asks for db/read (manager, then owner); Mia reviews what Dev holds',
      async () => {
        const access = `access:\n  - { person: ${cast.dev}, entitlement: db/low, since: 2024-01-15 }\n`;
        await importDirectory(db, parseDirectorySource(fixture.stack.directorySource + access, 'd.yaml'), {
          actor: 'cli:test',
        });
        expect(await startImportedGrantLifetimes({ ...deps, provisioningRetry: QUICK_RETRY })).toBe(1);
        const filed = await call(cast.dev2, 'POST', '/requests', {
          resource: 'db',
          entitlement: 'read',
          durationSeconds: 3_600,
          reason: 'quarter close',
        });
        expect(filed.statusCode, filed.body).toBe(201);
        const id = filed.json().id as string;
        await waitUntil(
          async () => (await call(cast.admin, 'GET', `/requests/${id}`)).json().status === 'pending_approval',
          {
            timeoutMs: 20_000,
          },
        );
        const launched = await call(cast.admin, 'POST', '/campaigns', {
          name: 'Low access review',
          scope: { resources: ['db'], entitlements: ['db/low'] },
          dueInSeconds: 3_600,
          reminderEverySeconds: 3_600,
          escalateAfterSeconds: 3_600,
          defaultAction: 'keep',
          period: '2033-Q2',
        });
        expect(launched.statusCode, launched.body).toBe(201);
        const campaign = launched.json().campaignId as string;
        await waitUntil(
          async () =>
            (
              await sql`select 1 from campaign_items i join people p on p.id = i.reviewer_id
                        where i.campaign_id = ${campaign} and p.email = ${cast.manager}`
            ).length === 1,
          { timeoutMs: 20_000 },
        );
        return { requestId: id, campaignId: campaign };
      },
    );

    const result = await step(
      'Mia leaves, holding no grants: the sweep still starts her leaver',
      async () => {
        const [person] = await sql`
        update people set status = 'inactive', deactivated_at = now() where email = ${cast.manager}
        returning id, deactivated_at`;
        expect(await startPendingLeavers({ ...deps, slaSeconds: 120 })).toBe(1);
        const done: LeaverResult = await fixture.stack.api.temporal.workflow
          .getHandle(
            leaverWorkflowId(person?.id as string, new Date(person?.deactivated_at as Date).getTime()),
          )
          .result();
        return done;
      },
    );

    await step('the approval and the review went to her manager, recorded', async () => {
      expect(result).toMatchObject({ grants: 0, approvalsHandedOver: 1, reviewsHandedOver: 1 });
      const state = (await call(cast.admin, 'GET', `/requests/${requestId}`)).json();
      expect(state.status).toBe('pending_approval');
      const [handedOver] = await sql`
        select event from audit_intake
        where event->>'event_type' = 'access.request.handed_over' and event->'correlation'->>'request_id' = ${requestId}`;
      expect(handedOver?.event).toMatchObject({
        actor: { type: 'system', id: 'identity:leaver' },
        details: { from: cast.manager, to: cast.ceo, steps: [0] },
      });
      await waitUntil(
        async () =>
          fixture.stack.notifier
            .about(requestId)
            .some((n) => n.kind === 'approval_needed' && n.to.includes(cast.ceo)),
        { timeoutMs: 10_000 },
      );
      const [item] = await sql`
        select reviewer.email as reviewer, delegated.email as delegated_from from campaign_items i
        join people reviewer on reviewer.id = i.reviewer_id
        left join people delegated on delegated.id = i.delegated_from_id
        where i.campaign_id = ${campaignId}`;
      expect(item).toMatchObject({ reviewer: cast.ceo, delegated_from: cast.manager });
    });

    await step(
      'her manager approves step 1; the owner still decides step 2; the departed one cannot',
      async () => {
        const refused = await call(cast.manager, 'POST', `/requests/${requestId}/decisions`, {
          decision: 'approve',
        });
        expect(refused.statusCode).toBe(401);
        const approved = await call(cast.ceo, 'POST', `/requests/${requestId}/decisions`, {
          decision: 'approve',
        });
        expect(approved.statusCode, approved.body).toBe(200);
        expect(approved.json()).toMatchObject({ status: 'pending_approval', currentStep: 1 });
        const granted = await call(cast.owner, 'POST', `/requests/${requestId}/decisions`, {
          decision: 'approve',
        });
        expect(granted.statusCode, granted.body).toBe(200);
        await waitUntil(
          async () => (await call(cast.admin, 'GET', `/requests/${requestId}`)).json().status === 'granted',
          {
            timeoutMs: 20_000,
          },
        );
      },
    );

    await step('a second hand-over of the same departure changes nothing', async () => {
      expect(await startPendingLeavers({ ...deps, slaSeconds: 120 })).toBe(0);
      const events = await sql`
        select 1 from audit_intake where event->>'event_type' = 'access.request.handed_over'`;
      expect(events).toHaveLength(1);
    });
  }, 90_000);
});
