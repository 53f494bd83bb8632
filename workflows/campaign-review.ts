// The review period: reviewers decide in Slack or through the API (rows in PostgreSQL); the
// workflow wakes on the reminder cadence to remind whoever still has open items, sends an overdue
// reviewer's open items up to their manager, and recounts. It ends at the due date, or earlier
// once every item is decided and decisions cannot change any more.
import { condition, workflowInfo } from '@temporalio/workflow';
import { WORKFLOW_ACTOR } from './audit-write.js';
import {
  about,
  activities,
  type CampaignRun,
  campaignAudit,
  longActivities,
  refresh,
} from './campaign-context.js';

/** How the review period ended for this run: due (go on to enforcement), or continue-as-new. */
export type ReviewPhaseEnd = 'due' | 'continue';

/** Sends one digest to every reviewer (or, for reminders, every reviewer with open items). */
export async function notifyReviewers(
  run: CampaignRun,
  kind: 'review_assigned' | 'review_reminder',
): Promise<number> {
  let notified = 0;
  let afterEmail: string | undefined;
  for (;;) {
    const batch = await longActivities.notifyCampaignReviewers({
      ...about(run),
      kind,
      limit: run.batches.reviewers,
      ...(afterEmail !== undefined ? { afterEmail } : {}),
    });
    notified += batch.handled;
    afterEmail = batch.next;
    if (!batch.more) return notified;
  }
}

/** Sends open, never-escalated items up a level: those assigned before `assignedBefore`, or all. */
async function escalate(
  run: CampaignRun,
  why: 'overdue' | 'due_date',
  options: { assignedBefore?: number; decideBy?: number } = {},
) {
  const { assignedBefore, decideBy } = options;
  let afterId: number | undefined;
  for (;;) {
    const batch = await longActivities.escalateCampaignItems({
      ...about(run),
      ...(decideBy !== undefined ? { dueAt: decideBy } : {}),
      launchedBy: run.input.launchedBy.email,
      why,
      limit: run.batches.items,
      ...(assignedBefore !== undefined ? { assignedBefore } : {}),
      ...(afterId !== undefined ? { afterId } : {}),
    });
    run.state.escalatedItems += batch.handled;
    afterId = batch.next;
    if (!batch.more) return;
  }
}

async function remind(run: CampaignRun): Promise<void> {
  const round = run.state.reminderRounds + 1;
  const reviewers = await notifyReviewers(run, 'review_reminder');
  if (reviewers === 0) return;
  run.state.reminderRounds = round;
  await activities.recordAudit([
    campaignAudit(run, `reminded:${round}`, {
      event_type: 'campaign.reminded',
      actor: WORKFLOW_ACTOR,
      action: 'remind',
      result: 'success',
      details: { round, reviewers },
    }),
  ]);
}

/** Runs the review period until it is over (or the history asks for continue-as-new). */
export async function review(run: CampaignRun): Promise<ReviewPhaseEnd> {
  const { input, state, timers } = run;
  const cadence = input.reminderEverySeconds * 1000;
  const escalateAfter = input.escalateAfterSeconds * 1000;
  // With changes allowed, a decision may still flip until the due date: nothing to enforce early.
  const allDecided = () =>
    !input.allowChanges && state.countedAt !== undefined && state.counts.undecided === 0;
  let wakes = 0;
  for (;;) {
    if (Date.now() >= input.dueAt && input.defaultAction === 'escalate' && state.graceUntil === undefined) {
      // The `escalate` default: what is open at the due date goes up once, with one more cadence.
      const graceUntil = Date.now() + cadence;
      await escalate(run, 'due_date', { decideBy: graceUntil });
      state.graceUntil = graceUntil;
      await refresh(run);
    }
    const until = state.graceUntil ?? input.dueAt;
    if (Date.now() >= until || allDecided()) return 'due';
    const next = Math.min(timers.nextReminderAt, timers.nextEscalationAt, until);
    // A burst of `decisionsRecorded` signals grows the history between wakes: hand over as soon
    // as Temporal suggests it, not only at the next reminder.
    const handOver = () => workflowInfo().continueAsNewSuggested;
    if (next > Date.now()) await condition(() => allDecided() || handOver(), next - Date.now());
    if (handOver()) return 'continue';
    const now = Date.now();
    if (now >= until || allDecided()) continue;
    if (now >= timers.nextEscalationAt) {
      await escalate(run, 'overdue', { assignedBefore: now - escalateAfter });
      timers.nextEscalationAt = now + Math.min(cadence, escalateAfter);
    }
    if (now >= timers.nextReminderAt) {
      await remind(run);
      timers.nextReminderAt = now + cadence;
    }
    await refresh(run);
    wakes += 1;
    if (handOver() || wakes >= (input.continueAsNewAfterWakes ?? Infinity)) return 'continue';
  }
}
