import { createHash } from 'node:crypto';
import {
  type Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleSpec,
} from '@temporalio/client';
import { canonicalize } from '../audit/canonical.js';
import type { ScheduledCampaignTemplate, ScheduledLogReviewTemplate } from '../workflows/messages.js';

/** The schedules a deployment runs, by the name their ids start with. */
export const SCHEDULE_NAMES = {
  checkpoint: 'grantflow-audit-checkpoint',
  reconciliation: 'grantflow-reconciliation',
  logReview: 'grantflow-log-review',
  quarterlyCampaign: 'grantflow-quarterly-campaign',
} as const;

/** One of SCHEDULE_NAMES. */
export type ScheduleName = (typeof SCHEDULE_NAMES)[keyof typeof SCHEDULE_NAMES];

/**
 * A deployment's schedule id, `<name>:<task queue>`. A deployment is its task queue: its workers
 * poll only that queue and work on its own database, so two deployments in one namespace never
 * share a queue. Keyed by it, each deployment owns its own schedules, never touches another's,
 * and all the workers of one deployment converge on the same one.
 */
export function deploymentScheduleId(name: ScheduleName, taskQueue: string): string {
  return `${name}:${taskQueue}`;
}

/** What making sure of a schedule did. */
export type ScheduleOutcome = 'created' | 'updated' | 'unchanged' | 'deleted' | 'absent';

/** The workflow memo key holding a fingerprint of the settings a schedule was last set from. */
const SETTINGS_MEMO = 'grantflowScheduleSettings';

type ScheduleSettings = {
  scheduleId: string;
  spec: ScheduleSpec;
  action: {
    type: 'startWorkflow';
    workflowType: string;
    taskQueue: string;
    args?: unknown[];
    workflowExecutionTimeout?: '10 minutes' | '1 hour';
  };
  policies: { overlap: ScheduleOverlapPolicy; catchupWindow: '1 minute' | '1 hour' | '7 days' };
};

/**
 * Creates the schedule, or updates it when the settings differ from those it was last set from
 * (a fingerprint in its action's memo: Temporal normalises a described spec, so comparing specs
 * would see changes that are not there). Workers of one deployment starting together converge:
 * one creates, the others find the same fingerprint and change nothing.
 */
async function ensureSchedule(client: Client, settings: ScheduleSettings): Promise<ScheduleOutcome> {
  const { scheduleId, spec, policies } = settings;
  const fingerprint = createHash('sha256')
    .update(canonicalize({ spec, action: settings.action, policies }))
    .digest('hex');
  const action = { ...settings.action, memo: { [SETTINGS_MEMO]: fingerprint } };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  const handle = client.schedule.getHandle(scheduleId);
  const described = await handle.describe();
  if (described.action.type === 'startWorkflow' && described.action.memo?.[SETTINGS_MEMO] === fingerprint)
    return 'unchanged';
  await handle.update((previous) => ({
    ...previous,
    spec,
    action: { ...previous.action, ...action },
    policies: { ...previous.policies, ...policies },
  }));
  return 'updated';
}

/** Deletes the schedule if it exists (a schedule turned off by configuration). */
async function deleteSchedule(client: Client, scheduleId: string): Promise<ScheduleOutcome> {
  try {
    await client.schedule.getHandle(scheduleId).delete();
    return 'deleted';
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return 'absent';
    throw error;
  }
}

/**
 * The deployment's checkpoint schedule, sealing a checkpoint every `everySeconds`. Overlaps are
 * skipped: one seal at a time.
 */
export function ensureCheckpointSchedule(
  client: Client,
  options: { taskQueue: string; everySeconds: number },
): Promise<ScheduleOutcome> {
  return ensureSchedule(client, {
    scheduleId: deploymentScheduleId(SCHEDULE_NAMES.checkpoint, options.taskQueue),
    spec: { intervals: [{ every: options.everySeconds * 1000 }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'auditCheckpoint',
      taskQueue: options.taskQueue,
      workflowExecutionTimeout: '10 minutes',
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
  });
}

/**
 * Creates (or replaces the template of) the deployment's schedule that launches a campaign at
 * 09:00 UTC on the first day of every quarter. A run missed while Temporal was down is caught up
 * within a week; the launch is idempotent per quarter, so a caught-up or retried run never makes
 * two campaigns.
 */
export async function ensureQuarterlyCampaignSchedule(
  client: Client,
  options: { taskQueue: string; template: ScheduledCampaignTemplate },
): Promise<{ scheduleId: string; nextRuns: Date[] }> {
  const scheduleId = deploymentScheduleId(SCHEDULE_NAMES.quarterlyCampaign, options.taskQueue);
  await ensureSchedule(client, {
    scheduleId,
    spec: { calendars: [{ month: ['JANUARY', 'APRIL', 'JULY', 'OCTOBER'], dayOfMonth: 1, hour: 9 }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'scheduledCampaignLaunch',
      taskQueue: options.taskQueue,
      args: [options.template],
      workflowExecutionTimeout: '1 hour',
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
  });
  const described = await client.schedule.getHandle(scheduleId).describe();
  return { scheduleId, nextRuns: described.info.nextActionTimes.slice(0, 4) };
}

/** The quarterly campaign schedule as it stands: its template, next and last runs. */
export type QuarterlyCampaignScheduleView = {
  scheduleId: string;
  template: ScheduledCampaignTemplate | null;
  paused: boolean;
  nextRuns: Date[];
  lastRunAt: Date | null;
};

/** The deployment's quarterly campaign schedule, or null when none was set up. */
export async function describeQuarterlyCampaignSchedule(
  client: Client,
  taskQueue: string,
): Promise<QuarterlyCampaignScheduleView | null> {
  const scheduleId = deploymentScheduleId(SCHEDULE_NAMES.quarterlyCampaign, taskQueue);
  try {
    const described = await client.schedule.getHandle(scheduleId).describe();
    const action = described.action;
    const template =
      action.type === 'startWorkflow' ? ((action.args?.[0] as ScheduledCampaignTemplate) ?? null) : null;
    return {
      scheduleId,
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

/**
 * The deployment's reconciliation schedule (every `everySeconds`), deleted when that is 0. A run
 * still going when the next is due is left alone: overlaps are skipped.
 */
export function ensureReconciliationSchedule(
  client: Client,
  options: { taskQueue: string; everySeconds: number },
): Promise<ScheduleOutcome> {
  const scheduleId = deploymentScheduleId(SCHEDULE_NAMES.reconciliation, options.taskQueue);
  if (options.everySeconds === 0) return deleteSchedule(client, scheduleId);
  return ensureSchedule(client, {
    scheduleId,
    spec: { intervals: [{ every: options.everySeconds * 1000 }] },
    action: { type: 'startWorkflow', workflowType: 'scheduledReconciliation', taskQueue: options.taskQueue },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
  });
}

/**
 * The deployment's schedule that opens the previous month's log review at `cron` (UTC), deleted
 * when `cron` is `off`; answers its next runs. A run missed while Temporal was down is caught up
 * within a week; opening is idempotent per month, so a caught-up run never opens two.
 */
export async function ensureLogReviewSchedule(
  client: Client,
  options: { taskQueue: string; cron: string; template: ScheduledLogReviewTemplate },
): Promise<Date[]> {
  const scheduleId = deploymentScheduleId(SCHEDULE_NAMES.logReview, options.taskQueue);
  if (options.cron === 'off') {
    await deleteSchedule(client, scheduleId);
    return [];
  }
  await ensureSchedule(client, {
    scheduleId,
    spec: { cronExpressions: [options.cron] },
    action: {
      type: 'startWorkflow',
      workflowType: 'scheduledLogReview',
      taskQueue: options.taskQueue,
      args: [options.template],
      workflowExecutionTimeout: '1 hour',
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
  });
  return (await client.schedule.getHandle(scheduleId).describe()).info.nextActionTimes.slice(0, 3);
}
