// Enforcing a campaign's revoke decisions through each grant's own lifetime workflow: its `revoke`
// update deprovisions and then reads the target back. One pass over a batch of pending items sends
// the update where the grant is still active and records the outcome where the removal is over;
// the workflow repeats passes until nothing is pending.
import { ApplicationFailure } from '@temporalio/activity';
import { type Client, type WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Database } from '../db/client.js';
import { listPendingRevocations, recordRevocationOutcome } from '../db/queries/campaign-enforcement.js';
import { getCampaignItem } from '../db/queries/campaign-items.js';
import { type GrantView, getGrant } from '../db/queries/grants.js';
import { getPersonById } from '../db/queries/people.js';
import { isWorkflowNotFound } from '../temporal/updates.js';
import { campaignWorkflowId, grantWorkflowId } from '../workflows/ids.js';
import { grantStateQuery, revokeUpdate } from '../workflows/messages.js';
import { heartbeat } from './heartbeat.js';

/** What revocation needs: the database and a Temporal client to reach the grants' workflows. */
export type CampaignRevocationDeps = { db: Database; temporal?: Client };

/** One pass over a batch: how many are still pending, and where the next batch starts. */
export type RevocationPass = { checked: number; pending: number; next?: number; more: boolean };

/** Grants handled at once within one batch. */
const PARALLEL = 8;

type Outcome = 'pending' | 'verified' | 'unverified' | 'failed' | 'not_needed';

/** The campaign's revocation activity. */
export function createCampaignRevocationActivities(deps: CampaignRevocationDeps) {
  return {
    /** One pass over up to `limit` pending revocations after `afterId` (see the file comment). */
    async enforceCampaignRevocations(input: {
      campaignId: string;
      name: string;
      launchedBy: string;
      afterId?: number;
      limit: number;
    }): Promise<RevocationPass> {
      const temporal = deps.temporal;
      // Retryable on purpose: a worker started without a client is a deployment fault to fix, and
      // the campaign should resume once it is fixed rather than fail.
      if (!temporal) throw new Error('this worker has no Temporal client: campaign revocations cannot run');
      const batch = await listPendingRevocations(deps.db, {
        campaignId: input.campaignId,
        limit: input.limit,
        ...(input.afterId !== undefined ? { afterId: input.afterId } : {}),
      });
      let pending = 0;
      const one = async (item: (typeof batch)[number]) => {
        const grant = await getGrant(deps.db, item.grantId);
        const handle = temporal.workflow.getHandle(grantWorkflowId(item.grantId));
        const outcome = grant
          ? await step(handle, grant, input.campaignId, () => actorFor(input, item.id))
          : { status: 'failed' as const, error: 'the grant no longer exists' };
        if (outcome.status === 'pending') pending += 1;
        else
          await recordRevocationOutcome(deps.db, {
            campaignId: input.campaignId,
            grantId: item.grantId,
            status: outcome.status,
            ...(outcome.error ? { error: outcome.error } : {}),
          });
        heartbeat(item.id);
      };
      // A few grants at a time: each is a round trip to Temporal and, through it, to a target.
      let next = 0;
      const lane = async () => {
        while (next < batch.length) await one(batch[next++] as (typeof batch)[number]);
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL, batch.length) }, lane));
      return { checked: batch.length, pending, next: batch.at(-1)?.id, more: batch.length === input.limit };
    },
  };

  /** Who the grant's ledger shows revoking it: the reviewer who decided, else the launcher. */
  async function actorFor(input: { campaignId: string; name: string; launchedBy: string }, itemId: number) {
    const item = await getCampaignItem(deps.db, input.campaignId, itemId);
    const decider = item?.decidedById ? await getPersonById(deps.db, item.decidedById) : undefined;
    const why =
      item?.decisionSource === 'default_action'
        ? `nobody kept it by the due date (${item.reason ?? 'default action'})`
        : (item?.reason ?? 'the reviewer decided to revoke it');
    return {
      by: decider?.email ?? input.launchedBy,
      asAdmin: true,
      reason: `certification campaign "${input.name}" (${input.campaignId}): ${why}`,
    };
  }
}

/** Moves one grant on: sends the revoke while it is active, else reads how its removal ended. */
async function step(
  handle: WorkflowHandle,
  grant: GrantView,
  campaignId: string,
  actor: () => Promise<{ by: string; asAdmin: boolean; reason: string }>,
): Promise<{ status: Outcome; error?: string }> {
  if (grant.status === 'active') {
    try {
      // The same update id on every pass and retry: Temporal runs it once.
      await handle.executeUpdate(revokeUpdate, {
        args: [await actor()],
        updateId: `${campaignWorkflowId(campaignId)}:revoke:${grant.id}`,
      });
    } catch (error) {
      if (isWorkflowNotFound(error)) {
        return { status: 'failed', error: 'the grant has no running lifetime workflow to revoke it' };
      }
      const refusal = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
      // `conflict`: the grant is already ending (this campaign's earlier pass, an expiry, a release).
      if (!(refusal instanceof ApplicationFailure) || refusal.type !== 'conflict') {
        if (refusal instanceof ApplicationFailure) return { status: 'failed', error: refusal.message };
        throw error;
      }
    }
    return { status: 'pending' };
  }
  if (grant.status !== 'revoked' || !grant.endReason?.includes(campaignId)) {
    return { status: 'not_needed' };
  }
  if (grant.removalVerified === true) return { status: 'verified' };
  if (grant.removalVerified === false) return { status: 'failed', error: 'the target still grants it' };
  // null: not read back yet, or the target cannot tell; the workflow knows which.
  try {
    const described = await handle.describe();
    if (described.status.name === 'COMPLETED') return { status: 'unverified' };
    if (described.status.name !== 'RUNNING') {
      return {
        status: 'failed',
        error: `the grant's lifetime workflow is ${described.status.name.toLowerCase()}`,
      };
    }
    const state = await handle.query(grantStateQuery);
    return state.status === 'ending' || state.status === 'active'
      ? { status: 'pending' }
      : { status: 'unverified' };
  } catch (error) {
    if (isWorkflowNotFound(error)) return { status: 'unverified' };
    throw error;
  }
}
