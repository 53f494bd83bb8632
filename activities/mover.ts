// A mover's side effects, in one idempotent activity: mark the move handled, send `revoke` to each
// grant whose resource says `onMove: revoke`, launch one review campaign over the grants whose
// resource says `review` (its once-key is the move, so a retry finds the same campaign), and record
// what went where. The review is owned by the new manager: they review (the `manager` rule reads
// the directory after the move) and sign off; without a manager, the first reviewed resource's
// owner does.
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { appendToIntake } from '../audit/intake.js';
import { launchCampaign } from '../campaigns/launch.js';
import type { Database } from '../db/client.js';
import { listMoverGrants, type MoverGrant, markMoveHandled } from '../db/queries/movers.js';
import { getManagerOf, getPersonById } from '../db/queries/people.js';
import { formatDuration } from '../domain/index.js';
import type { MoverInput, MoverResult } from '../workflows/messages.js';
import { revokeThroughLifetime } from './lifetime-revoke.js';

/** What the mover activity needs. */
export type MoverActivityDeps = { db: Database; temporal?: Client };

/** The name the mover acts under in grants' ledgers. */
const MOVER_ACTOR = 'identity:mover';

/** Reminders and escalation inside the review window: a third and two thirds of the way. */
const reviewTiming = (seconds: number) => ({
  reminderEverySeconds: Math.max(1, Math.floor(seconds / 3)),
  escalateAfterSeconds: Math.max(1, Math.floor((seconds * 2) / 3)),
});

/** Mover activities. */
export function createMoverActivities(deps: MoverActivityDeps) {
  async function launchReview(input: MoverInput, review: MoverGrant[]): Promise<string> {
    if (!deps.temporal) throw new Error('this worker has no Temporal client: movers cannot be processed');
    const manager = await getManagerOf(deps.db, input.personId);
    const owner =
      manager?.status === 'active' ? manager : await getPersonById(deps.db, review[0]?.ownerId ?? '');
    if (!owner) throw new Error(`the review of ${input.email}'s move has nobody to own it`);
    const launched = await launchCampaign(
      { db: deps.db, temporal: deps.temporal, taskQueue: Context.current().info.taskQueue },
      {
        name: `Mover review: ${input.email} (moved ${new Date(input.movedAt).toISOString().slice(0, 10)})`,
        scope: { holders: [input.email], resources: [...new Set(review.map((g) => g.resourceKey))] },
        reviewer: { rule: 'manager' },
        dueInSeconds: input.reviewSeconds,
        ...reviewTiming(input.reviewSeconds),
        // Access nobody vouches for after a move goes: the least privilege the move allows.
        defaultAction: 'revoke',
      },
      { id: owner.id, email: owner.email, name: owner.name },
      { onceKey: `mover:${input.personId}:${input.movedAt}` },
    );
    return launched.campaign.id;
  }

  return {
    /** Handles one move; see the file comment. */
    async handleMove(input: MoverInput): Promise<MoverResult> {
      const temporal = deps.temporal;
      if (!temporal) throw new Error('this worker has no Temporal client: movers cannot be processed');
      await markMoveHandled(deps.db, input.personId, new Date(input.movedAt));
      const held = await listMoverGrants(deps.db, input.personId);
      const by = (action: MoverGrant['onMove']) => held.filter((grant) => grant.onMove === action);
      const [review, revoke, keep] = [by('review'), by('revoke'), by('keep')];
      const reason = `${input.email} moved (new manager or department)`;
      for (const grant of revoke) {
        await revokeThroughLifetime(
          temporal,
          grant.grantId,
          { by: MOVER_ACTOR, asAdmin: true, reason },
          `mover:${input.personId}:${input.movedAt}:revoke:${grant.grantId}`,
        );
      }
      const campaignId = review.length > 0 ? await launchReview(input, review) : undefined;
      const result: MoverResult = {
        reviewed: review.length,
        revoked: revoke.length,
        kept: keep.length,
        ...(campaignId ? { campaignId } : {}),
      };
      await appendToIntake(deps.db, [
        {
          idempotencyKey: `mover:${input.personId}:${input.movedAt}:handled`,
          event: {
            event_id: randomUUID(),
            occurred_at: new Date().toISOString(),
            event_type: 'identity.mover.handled',
            actor: { type: 'system', id: MOVER_ACTOR },
            source: { service: 'grantflow-worker' },
            target: { type: 'person', id: input.personId, name: input.email },
            action: 'review_move',
            result: 'success',
            details: {
              moved_at: new Date(input.movedAt).toISOString(),
              review_due_in: formatDuration(input.reviewSeconds),
              ...result,
              reviewed_grants: review.map((g) => g.entitlementRef),
              revoked_grants: revoke.map((g) => g.entitlementRef),
              kept_grants: keep.map((g) => g.entitlementRef),
            },
          },
        },
      ]);
      return result;
    },
  };
}
