// Reaching reviewers in bounded batches: the launch digest, reminders, and escalation of an
// overdue reviewer's open items to their manager. Each call handles at most `limit` reviewers or
// items and hands back a cursor, so no activity and no workflow payload grows with the campaign.
import { appendToIntake } from '../audit/intake.js';
import type { Database } from '../db/client.js';
import { escalateItems } from '../db/queries/campaign-decisions.js';
import { listReviewerProgress, listUndecidedItems } from '../db/queries/campaign-items.js';
import { getPersonById } from '../db/queries/people.js';
import type { Notifier } from '../notifications/port.js';
import { campaignEvent, WORKER_ACTOR } from './campaign-events.js';
import { heartbeat } from './heartbeat.js';
import { personIdOf } from './person-id.js';

/** What the reviewer notices need. */
export type CampaignNoticeDeps = { db: Database; notifier: Notifier };

/** Which campaign a notice is about, as the reviewer reads it. */
export type CampaignNoticeInput = { campaignId: string; name: string; dueAt: number };

/** A batch's result: how many it handled, where the next batch starts, and whether there is one. */
export type NoticeBatch<Cursor> = { handled: number; next?: Cursor; more: boolean };

/** Digests and reminders per reviewer; escalation to managers. */
export function createCampaignNoticeActivities(deps: CampaignNoticeDeps) {
  const due = (input: CampaignNoticeInput) => new Date(input.dueAt).toISOString();
  return {
    /**
     * Sends each reviewer after `afterEmail` (up to `limit`) one digest: `review_assigned` with how
     * many items they have, or `review_reminder` to those with items still open.
     */
    async notifyCampaignReviewers(
      input: CampaignNoticeInput & {
        kind: 'review_assigned' | 'review_reminder';
        afterEmail?: string;
        limit: number;
      },
    ): Promise<NoticeBatch<string>> {
      // The cursor is compared in JavaScript, so the order must be JavaScript's too (not the
      // database collation's, which may order `a.b@` and `ab@` the other way round).
      const everyone = (await listReviewerProgress(deps.db, input.campaignId)).sort((a, b) =>
        a.email < b.email ? -1 : a.email > b.email ? 1 : 0,
      );
      const open = everyone.filter(
        (r) =>
          (input.kind === 'review_assigned' || r.decided < r.total) && r.email > (input.afterEmail ?? ''),
      );
      const batch = open.slice(0, input.limit);
      for (const reviewer of batch) {
        const left = reviewer.total - reviewer.decided;
        await deps.notifier.send({
          kind: input.kind,
          campaignId: input.campaignId,
          to: [reviewer.email],
          text:
            input.kind === 'review_assigned'
              ? `You have ${reviewer.total} access items to review in "${input.name}", due ${due(input)}`
              : `Reminder: ${left} of your ${reviewer.total} access items in "${input.name}" still need a decision; due ${due(input)}`,
          facts: {
            campaign: input.campaignId,
            items: String(reviewer.total),
            open: String(left),
            due: due(input),
          },
        });
        heartbeat(reviewer.email);
      }
      return { handled: batch.length, next: batch.at(-1)?.email, more: open.length > batch.length };
    },

    /**
     * Sends open, never-escalated items (assigned before `assignedBefore`, or all of them) after
     * `afterId` up to the current reviewer's manager; the launcher takes them when the reviewer has
     * no active manager. Each move and its `campaign.escalated` event commit together.
     */
    async escalateCampaignItems(
      input: CampaignNoticeInput & {
        launchedBy: string;
        why: 'overdue' | 'due_date';
        assignedBefore?: number;
        afterId?: number;
        limit: number;
      },
    ): Promise<NoticeBatch<number>> {
      const items = await listUndecidedItems(deps.db, {
        campaignId: input.campaignId,
        notEscalated: true,
        limit: input.limit,
        ...(input.afterId !== undefined ? { afterId: input.afterId } : {}),
        ...(input.assignedBefore !== undefined ? { assignedBefore: new Date(input.assignedBefore) } : {}),
      });
      const byReviewer = new Map<string, typeof items>();
      for (const item of items) {
        const group = byReviewer.get(item.reviewerId) ?? [];
        group.push(item);
        byReviewer.set(item.reviewerId, group);
      }
      const launcherId = await personIdOf(deps.db, input.launchedBy);
      let moved = 0;
      for (const [reviewerId, group] of byReviewer) {
        const reviewer = await getPersonById(deps.db, reviewerId);
        const manager = reviewer?.managerId ? await getPersonById(deps.db, reviewer.managerId) : undefined;
        const toId = manager?.status === 'active' ? manager.id : launcherId;
        const to = toId === manager?.id ? manager : await getPersonById(deps.db, toId);
        if (!reviewer || !to || toId === reviewerId) continue;
        const ids = await deps.db.transaction(async (tx) => {
          const ids = await escalateItems(tx, {
            campaignId: input.campaignId,
            fromReviewerId: reviewerId,
            toReviewerId: toId,
            itemIds: group.map((item) => item.id),
          });
          if (ids.length === 0) return ids;
          await appendToIntake(tx, [
            campaignEvent({ id: input.campaignId, name: input.name }, `escalated:${reviewerId}:${ids[0]}`, {
              event_type: 'campaign.escalated',
              actor: WORKER_ACTOR,
              action: 'escalate',
              reason: input.why === 'due_date' ? 'still open at the due date' : 'the reviewer is overdue',
              details: { from: reviewer.email, to: to.email, items: ids.length, why: input.why },
            }),
          ]);
          return ids;
        });
        if (ids.length === 0) continue;
        moved += ids.length;
        await deps.notifier.send({
          kind: 'review_escalated',
          campaignId: input.campaignId,
          to: [to.email],
          text: `${ids.length} access items from ${reviewer.name}'s review in "${input.name}" are now yours to review; due ${due(input)}`,
          facts: {
            campaign: input.campaignId,
            items: String(ids.length),
            from: reviewer.email,
            due: due(input),
          },
        });
        heartbeat(ids.at(-1));
      }
      return { handled: moved, next: items.at(-1)?.id, more: items.length === input.limit };
    },
  };
}
