import { Context } from '@temporalio/activity';
import { launchCampaign } from '../campaigns/launch.js';
import { quarterOf } from '../campaigns/launch-input.js';
import type { ScheduledCampaignTemplate } from '../workflows/messages.js';
import type { ActivityDeps } from './deps.js';

/** The activity behind the quarterly campaign schedule. */
export function createCampaignScheduleActivities(deps: Pick<ActivityDeps, 'db' | 'temporal'>) {
  return {
    /** Launches the campaign of the quarter containing `scheduledAt` (once: the period is unique). */
    async launchScheduledCampaign(input: {
      template: ScheduledCampaignTemplate;
      scheduledAt: number;
    }): Promise<string> {
      if (!deps.temporal) throw new Error('the worker was started without a Temporal client');
      const period = quarterOf(new Date(input.scheduledAt));
      const launched = await launchCampaign(
        { db: deps.db, temporal: deps.temporal, taskQueue: Context.current().info.taskQueue },
        {
          ...input.template.launch,
          name: `${input.template.launch.name ?? 'Access review'} ${period}`,
          period,
        },
        input.template.launchedBy,
      );
      return launched.campaign.id;
    },
  };
}
