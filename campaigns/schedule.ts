// The quarterly campaign: one launch template, checked now as a launch would be (so a bad template
// fails today rather than next quarter), run by a Temporal schedule on the first day of a quarter.
import type { Client } from '@temporalio/client';
import type { Database } from '../db/client.js';
import {
  describeQuarterlyCampaignSchedule,
  ensureQuarterlyCampaignSchedule,
  type QuarterlyCampaignScheduleView,
} from '../temporal/schedules.js';
import type { ScheduledCampaignTemplate } from '../workflows/messages.js';
import { checkAgainstDirectory } from './launch.js';
import { resolveLaunchInput } from './launch-input.js';

/** Creates or replaces the quarterly schedule; answers its id and next runs. */
export async function scheduleQuarterlyCampaign(
  deps: { db: Database; temporal: Client; taskQueue: string },
  input: {
    launch: Parameters<typeof resolveLaunchInput>[0];
    launchedBy: ScheduledCampaignTemplate['launchedBy'];
  },
): Promise<{ scheduleId: string; nextRuns: Date[] }> {
  await checkAgainstDirectory(deps.db, resolveLaunchInput(input.launch, new Date()));
  return ensureQuarterlyCampaignSchedule(deps.temporal, {
    taskQueue: deps.taskQueue,
    template: { launch: input.launch as ScheduledCampaignTemplate['launch'], launchedBy: input.launchedBy },
  });
}

/** This deployment's campaign schedules (today at most the quarterly one), for admins to see. */
export async function listCampaignSchedules(deps: {
  temporal: Client;
  taskQueue: string;
}): Promise<QuarterlyCampaignScheduleView[]> {
  const quarterly = await describeQuarterlyCampaignSchedule(deps.temporal, deps.taskQueue);
  return quarterly ? [quarterly] : [];
}
