// A leaver's side effects: revoke their tokens, cancel their open requests, hand the approvals
// waiting on them and their open reviews to their manager (or, without one, to the resource's
// owner), revoke each active grant through its own lifetime workflow (which deprovisions and
// reads the target back), and record how long it all took. Each step is idempotent (update ids
// per leaver and grant), so a retried activity or a restarted worker removes every grant once.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { AuditEventInput } from '../audit/events.js';
import { appendToIntake } from '../audit/intake.js';
import { ConnectorError, type Connectors } from '../connectors/index.js';
import type { Database } from '../db/client.js';
import {
  type AccessRequestView,
  listAccessRequests,
  listRequestsNamingApprover,
  OPEN_REQUEST_STATUSES,
} from '../db/queries/access-requests.js';
import { revokeTokensOf } from '../db/queries/api-tokens.js';
import { countItemsDelegatedFrom, delegateItems } from '../db/queries/campaign-decisions.js';
import { listOpenItemsWithOwnersOf } from '../db/queries/campaign-items.js';
import { listGrants } from '../db/queries/grants.js';
import { getManagerOf, getPersonById } from '../db/queries/people.js';
import { getResourceByKey, listAllResources } from '../db/queries/resources.js';
import type { Person } from '../db/schema.js';
import { isRefusedAsMoot, isWorkflowNotFound } from '../temporal/updates.js';
import { accessRequestWorkflowId, grantWorkflowId } from '../workflows/ids.js';
import {
  type AccountDeactivation,
  type ActorInput,
  cancelUpdate,
  grantStateQuery,
  handOverApprovalsUpdate,
  type LeaverInput,
  type LeaverResult,
} from '../workflows/messages.js';
import { asFailure, connectorOf } from './connector-calls.js';
import { heartbeat } from './heartbeat.js';
import { revokeThroughLifetime } from './lifetime-revoke.js';

/** What the leaver activities need. */
export type LeaverActivityDeps = { db: Database; temporal?: Client; connectors: Connectors };

/** How the removal of a leaver's grants stands after one pass. */
export type LeaverPass = {
  grants: number;
  pending: number;
  verified: number;
  unverified: number;
  failed: number;
};

/** The first steps, before the grants: counts of what was done. */
export type LeaverStart = Pick<
  LeaverResult,
  'requestsCancelled' | 'approvalsHandedOver' | 'reviewsHandedOver' | 'tokensRevoked'
>;

/** How many grants one leaver pass revokes at once. */
const REVOKES_AT_ONCE = 16;

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
      const tokensRevoked = await revokeTokensOf(deps.db, input.personId, new Date(input.deactivatedAt));
      const open = await listAccessRequests(deps.db, {
        requesterId: input.personId,
        status: [...OPEN_REQUEST_STATUSES],
        limit: 500,
      });
      let requestsCancelled = 0;
      for (const request of open) {
        heartbeat(request.id);
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
      const manager = await getManagerOf(deps.db, input.personId);
      const successor = manager?.status === 'active' ? manager : undefined;
      const owners = new Map<string, Person | undefined>();
      const activeOwner = async (ownerId: string) => {
        if (!owners.has(ownerId)) {
          const owner = await getPersonById(deps.db, ownerId);
          owners.set(ownerId, owner?.status === 'active' && owner.id !== input.personId ? owner : undefined);
        }
        return owners.get(ownerId);
      };

      // Approvals waiting on the leaver: to their manager, or the owner when the manager is the
      // requester (nobody approves their own request) or there is none.
      let approvalsHandedOver = 0;
      const approverFor = async (request: AccessRequestView) => {
        if (successor && successor.email !== request.requesterEmail) return successor;
        const resource = await getResourceByKey(deps.db, request.resourceKey);
        const owner = resource ? await activeOwner(resource.ownerId) : undefined;
        return owner && owner.email !== request.requesterEmail ? owner : undefined;
      };
      for (const request of await listRequestsNamingApprover(deps.db, input.email, 500)) {
        heartbeat(request.id);
        const to = await approverFor(request);
        if (!to) continue; // The request's own escalation and expiry take it from here.
        try {
          await temporal()
            .workflow.getHandle(accessRequestWorkflowId(request.id))
            .executeUpdate(handOverApprovalsUpdate, {
              args: [{ ...actor(input), from: input.email, to: to.email }],
              updateId: `leaver:${input.personId}:${input.deactivatedAt}:handover:${request.id}`,
            });
          approvalsHandedOver += 1;
        } catch (error) {
          if (!isWorkflowNotFound(error) && !isRefusedAsMoot(error)) throw error;
        }
      }

      // Reviews: to the manager, else each item to its resource's owner; with neither they stay,
      // and the campaign's escalation takes them.
      const moves = new Map<string, { campaignId: string; toReviewerId: string; itemIds: number[] }>();
      for (const item of await listOpenItemsWithOwnersOf(deps.db, input.personId)) {
        const to = successor ?? (await activeOwner(item.ownerId));
        if (!to) continue;
        const key = `${item.campaignId}:${to.id}`;
        const move = moves.get(key) ?? { campaignId: item.campaignId, toReviewerId: to.id, itemIds: [] };
        move.itemIds.push(item.itemId);
        moves.set(key, move);
      }
      for (const move of moves.values()) {
        await delegateItems(deps.db, { ...move, fromReviewerId: input.personId });
      }
      // Counted from the rows, so a retried activity counts what its first attempt moved.
      const reviewsHandedOver = await countItemsDelegatedFrom(
        deps.db,
        input.personId,
        new Date(input.deactivatedAt),
      );
      const counts = { tokensRevoked, requestsCancelled, approvalsHandedOver, reviewsHandedOver };
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
      /** Where one grant's removal stands, after sending its revoke when it is still active. */
      const standing = async (grant: (typeof grants)[number]): Promise<keyof LeaverPass | undefined> => {
        const byLeaver = grant.status === 'revoked' && grant.endReason?.includes('left (deactivated by');
        if (grant.status !== 'active' && !byLeaver) return undefined;
        if (grant.status === 'active') {
          // Without a lifetime workflow yet (an imported grant the worker's loop has not reached)
          // it stays pending; the next pass revokes it once the loop has started it.
          await revokeThroughLifetime(
            temporal(),
            grant.id,
            actor(input),
            `leaver:${input.personId}:${input.deactivatedAt}:revoke:${grant.id}`,
          );
          return 'pending';
        }
        if (grant.removalVerified === true) return 'verified';
        if (grant.removalVerified === false) return 'failed';
        const state = await temporal()
          .workflow.getHandle(grantWorkflowId(grant.id))
          .query(grantStateQuery)
          .catch((error: unknown) => {
            if (isWorkflowNotFound(error)) return undefined;
            throw error;
          });
        return state?.status === 'ending' ? 'pending' : 'unverified';
      };
      // A few grants at a time: each revoke waits for its workflow to take it (about 0.1 s), and a
      // leaver may hold hundreds; the heartbeat per slice keeps the pass alive.
      for (let from = 0; from < grants.length; from += REVOKES_AT_ONCE) {
        const slice = grants.slice(from, from + REVOKES_AT_ONCE);
        heartbeat(slice[0]?.id);
        for (const outcome of await Promise.all(slice.map(standing))) {
          if (outcome === undefined) continue;
          pass.grants += 1;
          pass[outcome] += 1;
        }
      }
      return pass;
    },

    /**
     * Deactivates the leaver's own account at every active resource whose target keeps accounts
     * (a SaaS app over SCIM), after their access there is gone. A permanent refusal is reported
     * and the rest go on; a target that is down fails the activity, which the workflow retries.
     */
    async deactivateLeaverAccounts(input: LeaverInput): Promise<AccountDeactivation[]> {
      const accounts: AccountDeactivation[] = [];
      for (const resource of await listAllResources(deps.db)) {
        if (resource.status !== 'active') continue;
        heartbeat(resource.key);
        try {
          const connector = connectorOf(deps.connectors, resource);
          if (!connector.deactivateAccount) continue;
          const { outcome, detail } = await connector.deactivateAccount({ email: input.email });
          accounts.push({ resource: resource.key, outcome, ...(detail ? { detail } : {}) });
        } catch (error) {
          if (!(error instanceof ConnectorError) || error.retryable) throw asFailure(error);
          accounts.push({ resource: resource.key, outcome: 'failed', detail: error.message });
        }
      }
      return accounts;
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
