// One quarterly run of a campaign schedule: launch the campaign of the quarter the run was meant
// for. The launch is idempotent per period, so a retried or caught-up run never makes a second.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { ScheduledCampaignTemplate } from './messages.js';

const { launchScheduledCampaign } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

/** Launches this quarter's campaign from the schedule's template; returns its id. */
export async function scheduledCampaignLaunch(template: ScheduledCampaignTemplate): Promise<string> {
  // The schedule's nominal time, not when the run happened to start (a catch-up can be late).
  const nominal = workflowInfo().searchAttributes?.TemporalScheduledStartTime?.[0];
  const scheduledAt = nominal instanceof Date ? nominal.getTime() : workflowInfo().runStartTime.getTime();
  return launchScheduledCampaign({ template, scheduledAt });
}
