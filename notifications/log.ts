import type { Logger } from '../core/logger.js';
import type { Notification, Notifier } from './port.js';

/** Writes each notification to the log: the default until Slack is configured. */
export function createLogNotifier(log: Logger): Notifier {
  return {
    async send(notification: Notification) {
      log.info({ notification }, `notify ${notification.to.join(', ')}: ${notification.text}`);
    },
  };
}
