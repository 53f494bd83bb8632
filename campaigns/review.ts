// What reviewers do, shared by the API and Slack: decide items (keep / revoke) and delegate them.
// Decisions go straight to PostgreSQL (never through the workflow: there may be 100,000 of them),
// each with its ledger record in the same transaction; the workflow is then nudged to recount.
import type { Client } from '@temporalio/client';
import type { AuditActor, AuditSource } from '../audit/events.js';
import { appendToIntake, completeEvent } from '../audit/intake.js';
import { ConflictError, NotAllowedError, NotFoundError, ValidationError } from '../core/errors.js';
import type { Database } from '../db/client.js';
import { delegateItems, recordDecisions } from '../db/queries/campaign-decisions.js';
import { getCampaign } from '../db/queries/campaigns.js';
import { getPersonByEmail } from '../db/queries/people.js';
import type { Campaign, Person } from '../db/schema.js';
import { campaignWorkflowId } from '../workflows/ids.js';
import { decisionsRecordedSignal } from '../workflows/messages.js';

/** What reviewing needs. */
export type ReviewDeps = { db: Database; temporal: Client };

/** Who acts, as the ledger records them, and from where. */
export type ReviewActor = {
  person: Person;
  audit: AuditActor;
  source: Partial<AuditSource> & { service: string };
};

/** How a batch of decisions went: the items recorded and those refused (already decided, not yours, unknown). */
export type DecisionsApplied = { applied: number[]; refused: number[] };

/** The most items one call may decide ("keep all on this page" sends one page). */
export const MAX_ITEMS_PER_DECISION = 500;

async function reviewingCampaign(db: Database, campaignId: string): Promise<Campaign> {
  const campaign = await getCampaign(db, campaignId);
  if (!campaign) throw new NotFoundError('campaign', campaignId);
  if (campaign.status !== 'reviewing') {
    throw new ConflictError(`the campaign is no longer taking decisions (it is ${campaign.status})`);
  }
  return campaign;
}

/** At most one recount nudge per campaign this often, however fast decisions arrive. */
const NUDGE_INTERVAL_MS = 2_000;
const nudges = new Map<string, { sentAt: number; trailing?: NodeJS.Timeout }>();

/**
 * Asks the workflow to recount, throttled per campaign: each nudge makes it count every item, so
 * a stream of one-item clicks must not become a stream of full recounts (and history events).
 * The last decision of a burst is always followed by a nudge. Best effort: the workflow recounts
 * on its own schedule anyway.
 */
function nudge(deps: ReviewDeps, campaignId: string): void {
  const send = () => {
    nudges.set(campaignId, { sentAt: Date.now() });
    void deps.temporal.workflow
      .getHandle(campaignWorkflowId(campaignId))
      .signal(decisionsRecordedSignal)
      .catch(() => undefined);
  };
  const last = nudges.get(campaignId);
  if (!last || Date.now() - last.sentAt >= NUDGE_INTERVAL_MS) {
    send();
    return;
  }
  if (last.trailing) return;
  last.trailing = setTimeout(send, NUDGE_INTERVAL_MS - (Date.now() - last.sentAt));
  last.trailing.unref();
}

/**
 * Keeps or revokes the listed items, which must be the actor's to review. Refused items (decided
 * already unless the campaign allows changes, someone else's, unknown) are recorded as refused.
 */
export async function decideItems(
  deps: ReviewDeps,
  input: { campaignId: string; itemIds: number[]; decision: 'keep' | 'revoke'; reason?: string },
  actor: ReviewActor,
): Promise<DecisionsApplied> {
  const itemIds = [...new Set(input.itemIds)];
  if (itemIds.length === 0 || itemIds.length > MAX_ITEMS_PER_DECISION) {
    throw new ValidationError(`items must list 1 to ${MAX_ITEMS_PER_DECISION} item ids`, {
      fields: [{ field: 'body.items', message: `must list 1 to ${MAX_ITEMS_PER_DECISION} item ids` }],
    });
  }
  const reason = input.reason?.trim();
  if (input.decision === 'revoke' && !reason) {
    throw new ValidationError('a revocation needs a reason', {
      fields: [{ field: 'body.reason', message: 'is required to revoke' }],
    });
  }
  const campaign = await reviewingCampaign(deps.db, input.campaignId);
  const outcome = await deps.db.transaction(async (tx) => {
    const applied = await recordDecisions(tx, {
      campaignId: campaign.id,
      itemIds,
      decision: input.decision,
      source: 'reviewer',
      decidedById: actor.person.id,
      reviewerId: actor.person.id,
      allowChanges: campaign.allowChanges,
      ...(reason ? { reason } : {}),
    });
    const appliedIds = new Set(applied.map((item) => item.id));
    const refused = itemIds.filter((id) => !appliedIds.has(id));
    const event = (
      itemId: number,
      type: 'campaign.item.kept' | 'campaign.item.revoked' | 'campaign.decision.refused',
      grantId?: string,
    ) =>
      completeEvent(
        {
          event_type: type,
          actor: actor.audit,
          target: { type: 'campaign_item', id: `${campaign.id}/${itemId}` },
          action: input.decision,
          result: type === 'campaign.decision.refused' ? 'denied' : 'success',
          ...(type === 'campaign.decision.refused'
            ? { reason: 'not open for this reviewer: decided already, delegated away, or unknown' }
            : reason
              ? { reason }
              : {}),
          correlation: { campaign_id: campaign.id, ...(grantId ? { grant_id: grantId } : {}) },
          details: { item: itemId },
        },
        actor.source,
      );
    await appendToIntake(tx, [
      ...applied.map((item) => {
        const recorded = event(
          item.id,
          input.decision === 'keep' ? 'campaign.item.kept' : 'campaign.item.revoked',
          item.grantId,
        );
        // Keyed by the decision's own time: a changed decision (when allowed) is a new record.
        return {
          idempotencyKey: `campaign:${campaign.id}:item:${item.id}:${new Date(item.decidedAt ?? 0).toISOString()}`,
          event: recorded,
        };
      }),
      ...refused.map((itemId) => {
        const recorded = event(itemId, 'campaign.decision.refused');
        return { idempotencyKey: recorded.event_id, event: recorded };
      }),
    ]);
    return { applied: [...appliedIds].sort((a, b) => a - b), refused };
  });
  if (outcome.applied.length > 0) nudge(deps, campaign.id);
  return outcome;
}

/**
 * Hands the actor's undecided items (the listed ones, or all) to another active person, never to
 * someone reviewing their own access; recorded per item.
 */
export async function delegateReview(
  deps: ReviewDeps,
  input: { campaignId: string; to: string; itemIds?: number[] },
  actor: ReviewActor,
): Promise<{ moved: number[] }> {
  const campaign = await reviewingCampaign(deps.db, input.campaignId);
  const delegate = await getPersonByEmail(deps.db, input.to);
  if (!delegate) throw new NotFoundError('person', input.to);
  if (delegate.status !== 'active') throw new NotAllowedError(`${delegate.email} is not active`);
  if (delegate.id === actor.person.id)
    throw new ValidationError('delegate to someone else', {
      fields: [{ field: 'body.to', message: 'is yourself' }],
    });
  return deps.db.transaction(async (tx) => {
    const moved = await delegateItems(tx, {
      campaignId: campaign.id,
      fromReviewerId: actor.person.id,
      toReviewerId: delegate.id,
      ...(input.itemIds ? { itemIds: input.itemIds } : {}),
    });
    await appendToIntake(
      tx,
      moved.map((itemId) => {
        const event = completeEvent(
          {
            event_type: 'campaign.item.delegated',
            actor: actor.audit,
            target: { type: 'campaign_item', id: `${campaign.id}/${itemId}` },
            action: 'delegate',
            result: 'success',
            correlation: { campaign_id: campaign.id },
            details: { item: itemId, from: actor.person.email, to: delegate.email },
          },
          actor.source,
        );
        return { idempotencyKey: event.event_id, event };
      }),
    );
    return { moved };
  });
}
