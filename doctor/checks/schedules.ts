// The schedules a worker keeps (worker/main.ts): checkpoints always, reconciliation and the
// monthly log review unless turned off. Each must exist, run, and start its workflow on the task
// queue the workers poll, or its work silently never happens.
import { type Client, ScheduleNotFoundError } from '@temporalio/client';
import type { Config } from '../../core/config.js';
import { deploymentScheduleId, SCHEDULE_NAMES } from '../../temporal/schedules.js';
import { type CheckOutcome, failed, passed } from '../check.js';

type ScheduleConfig = Pick<
  Config,
  'TEMPORAL_TASK_QUEUE' | 'GRANTFLOW_RECONCILE_EVERY_SECONDS' | 'GRANTFLOW_LOG_REVIEW_CRON'
>;

/** The ids of the schedules a worker of this deployment (its task queue) creates. */
function expectedSchedules(config: ScheduleConfig): string[] {
  const names = [
    SCHEDULE_NAMES.checkpoint,
    ...(config.GRANTFLOW_RECONCILE_EVERY_SECONDS > 0 ? [SCHEDULE_NAMES.reconciliation] : []),
    ...(config.GRANTFLOW_LOG_REVIEW_CRON !== 'off' ? [SCHEDULE_NAMES.logReview] : []),
  ];
  return names.map((name) => deploymentScheduleId(name, config.TEMPORAL_TASK_QUEUE));
}

/** Describes each expected schedule and names the missing, paused or misrouted ones. */
export async function checkSchedules(client: Client, config: ScheduleConfig): Promise<CheckOutcome> {
  const expected = expectedSchedules(config);
  const namespace = client.options.namespace;
  const missing: string[] = [];
  const paused: string[] = [];
  const misrouted: string[] = [];
  for (const id of expected) {
    try {
      const described = await client.schedule.getHandle(id).describe();
      if (described.state.paused) paused.push(id);
      const action = described.action;
      if (action.type === 'startWorkflow' && action.taskQueue !== config.TEMPORAL_TASK_QUEUE) {
        misrouted.push(`${id} starts on task queue ${action.taskQueue}, not ${config.TEMPORAL_TASK_QUEUE}`);
      }
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
      missing.push(id);
    }
  }
  if (missing.length + paused.length + misrouted.length === 0) {
    return passed(`${expected.join(', ')} exist, run, and start on task queue ${config.TEMPORAL_TASK_QUEUE}`);
  }
  const details = [
    ...(missing.length > 0 ? [`missing: ${missing.join(', ')}`] : []),
    ...(paused.length > 0 ? [`paused: ${paused.join(', ')}`] : []),
    ...misrouted,
  ];
  const fixes = [
    ...(missing.length + misrouted.length > 0
      ? [
          `start (or restart) a \`grantflow worker\` with TEMPORAL_NAMESPACE=${namespace} and ` +
            `TEMPORAL_TASK_QUEUE=${config.TEMPORAL_TASK_QUEUE}: it creates and updates its schedules at start`,
        ]
      : []),
    ...paused.map(
      (id) =>
        `temporal schedule toggle --namespace ${namespace} --schedule-id ${id} --unpause --reason "grantflow doctor"`,
    ),
  ];
  return failed(details.join('; '), fixes.join('; '));
}
