import { Context } from '@temporalio/activity';

/**
 * Tells Temporal the activity is alive (a no-op outside an activity, e.g. in a script). Long
 * activities call it per unit of work, so a worker that dies mid-way is noticed within the
 * activity's heartbeat timeout rather than its whole start-to-close budget.
 */
export function heartbeat(details?: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // Not running as an activity.
  }
}
