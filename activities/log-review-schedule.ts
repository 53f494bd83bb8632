import { openLogReview, previousMonth } from '../logreview/open.js';
import type { ScheduledLogReviewTemplate } from '../workflows/messages.js';
import type { ActivityDeps } from './deps.js';

/** The activity behind the monthly log review schedule. */
export function createLogReviewScheduleActivities(deps: Pick<ActivityDeps, 'db'>) {
  return {
    /** Opens the review of the month before `scheduledAt` (once: the period is unique); returns its id. */
    async openScheduledLogReview(input: {
      template: ScheduledLogReviewTemplate;
      scheduledAt: number;
    }): Promise<string> {
      const opened = await openLogReview(
        { db: deps.db, ...input.template },
        { period: previousMonth(new Date(input.scheduledAt)) },
        'schedule',
      );
      return opened.review.id;
    },
  };
}
