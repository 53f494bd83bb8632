// One monthly run of the log review schedule: open the review of the month before the one the run
// was meant for. Opening is idempotent per period, so a retried or caught-up run never opens two.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { ScheduledLogReviewTemplate } from './messages.js';

const { openScheduledLogReview } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

/** Opens the previous month's log review; returns its id. */
export async function scheduledLogReview(template: ScheduledLogReviewTemplate): Promise<string> {
  // The schedule's nominal time, not when the run happened to start (a catch-up can be days late).
  const nominal = workflowInfo().searchAttributes?.TemporalScheduledStartTime?.[0];
  const scheduledAt = nominal instanceof Date ? nominal.getTime() : workflowInfo().runStartTime.getTime();
  return openScheduledLogReview({ template, scheduledAt });
}
