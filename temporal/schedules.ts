import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';

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
