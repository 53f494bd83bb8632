// A leaver's side effects: revoke their tokens, cancel their open requests, hand their open
// reviews on, revoke each active grant through its own lifetime workflow (which deprovisions and
// reads the target back), and record how long it all took. Each step is idempotent (update ids
// per leaver and grant), so a retried activity or a restarted worker removes every grant once.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { AuditEventInput } from '../audit/events.js';
import { appendToIntake } from '../audit/intake.js';
import type { Database } from '../db/client.js';
import { listAccessRequests, OPEN_REQUEST_STATUSES } from '../db/queries/access-requests.js';
import { revokeTokensOf } from '../db/queries/api-tokens.js';
import { delegateItems } from '../db/queries/campaign-decisions.js';
import { listCampaignsWithOpenItemsOf } from '../db/queries/campaign-items.js';
import { listGrants } from '../db/queries/grants.js';
import { getManagerOf } from '../db/queries/people.js';
import { accessRequestWorkflowId, grantWorkflowId } from '../workflows/ids.js';
import {
  type ActorInput,
  cancelUpdate,
  grantStateQuery,
  type LeaverInput,
  type LeaverResult,
} from '../workflows/messages.js';
import { isRefusedAsMoot, isWorkflowNotFound, revokeThroughLifetime } from './lifetime-revoke.js';

/** What the leaver activities need. */
export type LeaverActivityDeps = { db: Database; temporal?: Client };

/** How the removal of a leaver's grants stands after one pass. */
export type LeaverPass = {
  grants: number;
  pending: number;
  verified: number;
  unverified: number;
  failed: number;
};

/** The first steps, before the grants: counts of what was done. */
export type LeaverStart = Pick<LeaverResult, 'requestsCancelled' | 'reviewsHandedOver' | 'tokensRevoked'>;

/** The name the leaver acts under in grants' and requests' ledgers. */
const LEAVER_ACTOR = 'identity:leaver';

function leaverEvent(
  input: LeaverInput,
  type: 'identity.leaver.started' | 'identity.leaver.completed' | 'identity.leaver.sla_breached',
  details: Record<string, unknown>,
): { idempotencyKey: string; event: AuditEventInput } {
  return {
    idempotencyKey: `leaver:${input.personId}:${input.deactivatedAt}:${type}`,
    event: {
      event_id: randomUUID(),
      occurred_at: new Date().toISOString(),
      event_type: type,
      actor: { type: 'system', id: LEAVER_ACTOR },
      source: { service: 'grantflow-worker' },
      target: { type: 'person', id: input.personId, name: input.email },
      action:
        type === 'identity.leaver.started' ? 'offboard' : type.endsWith('completed') ? 'complete' : 'breach',
      result: type === 'identity.leaver.sla_breached' ? 'failure' : 'success',
      details: {
        deactivated_at: new Date(input.deactivatedAt).toISOString(),
        deactivated_by: input.by,
        ...details,
      },
    },
  };
}

/** Leaver activities. */
export function createLeaverActivities(deps: LeaverActivityDeps) {
  const temporal = () => {
    if (!deps.temporal) throw new Error('this worker has no Temporal client: leavers cannot be processed');
    return deps.temporal;
  };
  const actor = (input: LeaverInput): ActorInput => ({
    by: LEAVER_ACTOR,
    asAdmin: true,
    reason: `${input.email} left (deactivated by ${input.by})`,
  });

  return {
    /** Tokens, open requests and open reviews: everything but the grants. */
    async beginLeaver(input: LeaverInput): Promise<LeaverStart> {
      const tokensRevoked = await revokeTokensOf(deps.db, input.personId);
      const open = await listAccessRequests(deps.db, {
        requesterId: input.personId,
        status: [...OPEN_REQUEST_STATUSES],
        limit: 500,
      });
      let requestsCancelled = 0;
      for (const request of open) {
        try {
          const closed = await temporal()
            .workflow.getHandle(accessRequestWorkflowId(request.id))
            .executeUpdate(cancelUpdate, {
              args: [actor(input)],
              updateId: `leaver:${input.personId}:${input.deactivatedAt}:cancel:${request.id}`,
            });
          // A cancel accepted while the policy is still deciding answers with how the request
          // closed, which may be denied (the requester is inactive): count only real cancels.
          if (closed.status === 'cancelled') requestsCancelled += 1;
        } catch (error) {
          if (!isWorkflowNotFound(error) && !isRefusedAsMoot(error)) throw error;
        }
      }
      // Reviews go to the manager; without one they stay, and the campaign's escalation takes them.
      const manager = await getManagerOf(deps.db, input.personId);
      let reviewsHandedOver = 0;
      if (manager && manager.status === 'active') {
        for (const campaignId of await listCampaignsWithOpenItemsOf(deps.db, input.personId)) {
          const moved = await delegateItems(deps.db, {
            campaignId,
            fromReviewerId: input.personId,
            toReviewerId: manager.id,
          });
          reviewsHandedOver += moved.length;
        }
      }
      const counts = { tokensRevoked, requestsCancelled, reviewsHandedOver };
      await appendToIntake(deps.db, [leaverEvent(input, 'identity.leaver.started', counts)]);
      return counts;
    },

    /**
     * One pass over the leaver's grants: sends `revoke` to each still active, and counts where the
     * removals stand (pending while a lifetime workflow is still deprovisioning or reading back).
     */
    async revokeLeaverGrants(input: LeaverInput): Promise<LeaverPass> {
      const grants = await listGrants(deps.db, { personId: input.personId, limit: 10_000 });
      const pass: LeaverPass = { grants: 0, pending: 0, verified: 0, unverified: 0, failed: 0 };
      for (const grant of grants) {
        const byLeaver = grant.status === 'revoked' && grant.endReason?.includes('left (deactivated by');
        if (grant.status !== 'active' && !byLeaver) continue;
        pass.grants += 1;
        const handle = temporal().workflow.getHandle(grantWorkflowId(grant.id));
        if (grant.status === 'active') {
          // Without a lifetime workflow yet (an imported grant the worker's loop has not reached)
          // it stays pending; the next pass revokes it once the loop has started it.
          await revokeThroughLifetime(
            temporal(),
            grant.id,
            actor(input),
            `leaver:${input.personId}:${input.deactivatedAt}:revoke:${grant.id}`,
          );
          pass.pending += 1;
          continue;
        }
        if (grant.removalVerified === true) pass.verified += 1;
        else if (grant.removalVerified === false) pass.failed += 1;
        else {
          const state = await handle.query(grantStateQuery).catch((error: unknown) => {
            if (isWorkflowNotFound(error)) return undefined;
            throw error;
          });
          if (state?.status === 'ending') pass.pending += 1;
          else pass.unverified += 1;
        }
      }
      return pass;
    },

    /** Records the leaver's end, with the time from deactivation to the last removal. */
    async completeLeaver(input: LeaverInput & { result: LeaverResult }): Promise<void> {
      await appendToIntake(deps.db, [
        leaverEvent(input, 'identity.leaver.completed', {
          ...input.result,
          sla_seconds: input.slaSeconds,
        }),
      ]);
    },

    /** Records that the leaver SLA passed with access still in place. */
    async recordLeaverSlaBreach(input: LeaverInput & { pass: LeaverPass }): Promise<void> {
      await appendToIntake(deps.db, [
        leaverEvent(input, 'identity.leaver.sla_breached', { sla_seconds: input.slaSeconds, ...input.pass }),
      ]);
    },
  };
}
