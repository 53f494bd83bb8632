import type { Notification, Notifier } from '../notifications/port.js';

/** What the notification activity needs. */
export type NotifyActivityDeps = { notifier: Notifier };

/**
 * The workflows' one way to reach people: through the notification port, which in a running
 * worker is the outbox (notifications/outbox.ts): the activity writes to PostgreSQL and returns at
 * once, whatever state Slack is in.
 */
export function createNotifyActivities(deps: NotifyActivityDeps) {
  return {
    /** Sends one notification; an empty recipient list is a no-op. */
    async notify(notification: Notification): Promise<void> {
      if (notification.to.length === 0) return;
      await deps.notifier.send(notification);
    },
  };
}
