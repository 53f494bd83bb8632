// Before schedules were keyed by task queue, every deployment in a namespace upserted the same
// ids (`grantflow-audit-checkpoint`, ...), each worker start pointing them at its own task queue:
// the deployment started last took every schedule, and the others silently stopped sealing
// checkpoints, reconciling and opening log reviews.
import { type Client, ScheduleNotFoundError } from '@temporalio/client';
import type { ScheduledCampaignTemplate } from '../workflows/messages.js';
import {
  deploymentScheduleId,
  ensureQuarterlyCampaignSchedule,
  SCHEDULE_NAMES,
  type ScheduleName,
} from './schedules.js';

/**
 * Retires the shared, unkeyed schedules that point at this deployment's task queue; one pointing
 * at another deployment's queue is left for that deployment to retire. The quarterly campaign's
 * template moves to the deployment's own schedule first (unless it already has one): an admin
 * set it, no configuration recreates it. The others are recreated from the configuration.
 * Answers the ids retired.
 */
export async function retireSharedSchedules(client: Client, taskQueue: string): Promise<string[]> {
  const retired: string[] = [];
  for (const name of Object.values(SCHEDULE_NAMES)) {
    const handle = client.schedule.getHandle(name);
    const action = await describedAction(client, name);
    if (action?.type !== 'startWorkflow' || action.taskQueue !== taskQueue) continue;
    if (name === SCHEDULE_NAMES.quarterlyCampaign) await moveTemplate(client, taskQueue, action.args?.[0]);
    await handle.delete();
    retired.push(name);
  }
  return retired;
}

async function describedAction(client: Client, name: ScheduleName) {
  try {
    return (await client.schedule.getHandle(name).describe()).action;
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return undefined;
    throw error;
  }
}

async function moveTemplate(client: Client, taskQueue: string, template: unknown): Promise<void> {
  const own = deploymentScheduleId(SCHEDULE_NAMES.quarterlyCampaign, taskQueue);
  try {
    await client.schedule.getHandle(own).describe();
    return;
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  if (template) {
    await ensureQuarterlyCampaignSchedule(client, {
      taskQueue,
      template: template as ScheduledCampaignTemplate,
    });
  }
}
