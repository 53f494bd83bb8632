import {
  type Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleSpec,
} from '@temporalio/client';
import type { ScheduledCampaignTemplate, ScheduledLogReviewTemplate } from '../workflows/messages.js';

/** The schedule that seals audit checkpoints. */
export const AUDIT_CHECKPOINT_SCHEDULE_ID = 'grantflow-audit-checkpoint';

/**
 * Creates the checkpoint schedule, or updates its interval and task queue if it exists, so every
 * worker start converges on the configured cadence. Overlaps are skipped: one seal at a time.
 */
export async function ensureCheckpointSchedule(
  client: Client,
  options: { taskQueue: string; everySeconds: number },
): Promise<void> {
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'auditCheckpoint',
    taskQueue: options.taskQueue,
    workflowExecutionTimeout: '10 minutes' as const,
  };
  const spec = { intervals: [{ every: options.everySeconds * 1000 }] };
  try {
    await client.schedule.create({
      scheduleId: AUDIT_CHECKPOINT_SCHEDULE_ID,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(AUDIT_CHECKPOINT_SCHEDULE_ID).update((previous) => ({
      ...previous,
      spec,
      action: { ...previous.action, ...action },
    }));
  }
}

/** The quarterly campaign schedule's id. */
export const QUARTERLY_CAMPAIGN_SCHEDULE_ID = 'grantflow-quarterly-campaign';

/**
 * Creates (or replaces the template of) the schedule that launches a campaign at 09:00 UTC on the
 * first day of every quarter. A run missed while Temporal was down is caught up within a week;
 * the launch is idempotent per quarter, so a caught-up or retried run never makes two campaigns.
 */
export async function ensureQuarterlyCampaignSchedule(
  client: Client,
  options: { taskQueue: string; template: ScheduledCampaignTemplate },
): Promise<{ scheduleId: string; nextRuns: Date[] }> {
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'scheduledCampaignLaunch',
    taskQueue: options.taskQueue,
    args: [options.template],
    workflowExecutionTimeout: '1 hour' as const,
  };
  const spec: ScheduleSpec = {
    calendars: [{ month: ['JANUARY', 'APRIL', 'JULY', 'OCTOBER'], dayOfMonth: 1, hour: 9 }],
  };
  try {
    await client.schedule.create({
      scheduleId: QUARTERLY_CAMPAIGN_SCHEDULE_ID,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule
      .getHandle(QUARTERLY_CAMPAIGN_SCHEDULE_ID)
      .update((previous) => ({ ...previous, spec, action: { ...previous.action, ...action } }));
  }
  const described = await client.schedule.getHandle(QUARTERLY_CAMPAIGN_SCHEDULE_ID).describe();
  return { scheduleId: QUARTERLY_CAMPAIGN_SCHEDULE_ID, nextRuns: described.info.nextActionTimes.slice(0, 4) };
}

/** The quarterly campaign schedule as it stands: its template, next and last runs. */
export type QuarterlyCampaignScheduleView = {
  scheduleId: string;
  template: ScheduledCampaignTemplate | null;
  paused: boolean;
  nextRuns: Date[];
  lastRunAt: Date | null;
};

/** The quarterly campaign schedule, or null when none was set up. */
export async function describeQuarterlyCampaignSchedule(
  client: Client,
): Promise<QuarterlyCampaignScheduleView | null> {
  try {
    const described = await client.schedule.getHandle(QUARTERLY_CAMPAIGN_SCHEDULE_ID).describe();
    const action = described.action;
    const template =
      action.type === 'startWorkflow' ? ((action.args?.[0] as ScheduledCampaignTemplate) ?? null) : null;
    return {
      scheduleId: QUARTERLY_CAMPAIGN_SCHEDULE_ID,
      template,
      paused: described.state.paused,
      nextRuns: described.info.nextActionTimes.slice(0, 4),
      lastRunAt: described.info.recentActions.at(-1)?.takenAt ?? null,
    };
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return null;
    throw error;
  }
}

/** The schedule that reconciles every listable resource. */
export const RECONCILIATION_SCHEDULE_ID = 'grantflow-reconciliation';

/**
 * Creates or updates the reconciliation schedule (every `everySeconds`), or deletes it when that
 * is 0. A run still going when the next is due is left alone: overlaps are skipped.
 */
export async function ensureReconciliationSchedule(
  client: Client,
  options: { taskQueue: string; everySeconds: number },
): Promise<void> {
  const handle = client.schedule.getHandle(RECONCILIATION_SCHEDULE_ID);
  if (options.everySeconds === 0) {
    await handle.delete().catch(() => undefined);
    return;
  }
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'scheduledReconciliation',
    taskQueue: options.taskQueue,
  };
  const spec = { intervals: [{ every: options.everySeconds * 1000 }] };
  try {
    await client.schedule.create({
      scheduleId: RECONCILIATION_SCHEDULE_ID,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await handle.update((previous) => ({ ...previous, spec, action: { ...previous.action, ...action } }));
  }
}

/** The monthly log review schedule's id. */
export const LOG_REVIEW_SCHEDULE_ID = 'grantflow-log-review';

/**
 * Creates or updates the schedule that opens the previous month's log review at `cron` (UTC), or
 * deletes it when `cron` is `off`; answers its next runs. A run missed while Temporal was down is
 * caught up within a week; opening is idempotent per month, so a caught-up run never opens two.
 */
export async function ensureLogReviewSchedule(
  client: Client,
  options: { taskQueue: string; cron: string; template: ScheduledLogReviewTemplate },
): Promise<Date[]> {
  const handle = client.schedule.getHandle(LOG_REVIEW_SCHEDULE_ID);
  if (options.cron === 'off') {
    await handle.delete().catch(() => undefined);
    return [];
  }
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'scheduledLogReview',
    taskQueue: options.taskQueue,
    args: [options.template],
    workflowExecutionTimeout: '1 hour' as const,
  };
  const spec: ScheduleSpec = { cronExpressions: [options.cron] };
  try {
    await client.schedule.create({
      scheduleId: LOG_REVIEW_SCHEDULE_ID,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await handle.update((previous) => ({ ...previous, spec, action: { ...previous.action, ...action } }));
  }
  return (await handle.describe()).info.nextActionTimes.slice(0, 3);
}
