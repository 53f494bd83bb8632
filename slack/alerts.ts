// Security alerts to the channel the admins named (SLACK_ALERT_CHANNEL). In the API an alert that
// cannot be posted is logged, never thrown: it must not undo or repeat the action it reports. The
// notification deliverer asks for `retryable` ones: an alert lost to an outage is retried from the
// outbox (as its own row, so nothing else is repeated), and only Slack's refusals are logged.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../core/logger.js';
import { type SecurityAlert, securityAlertMessage } from './blocks/alerts.js';
import { asDeliveryError, isSlackRefusal } from './delivery-errors.js';

/** Posts security alerts, or does nothing when no channel is configured. */
export type AlertPoster = (alert: SecurityAlert) => Promise<void>;

/** An alert poster for `channel`; a no-op without one. */
export function createAlertPoster(
  client: WebClient,
  channel: string | undefined,
  log: Logger,
  options: { retryable?: boolean } = {},
): AlertPoster {
  return async (alert) => {
    if (!channel) return;
    try {
      await client.chat.postMessage({ channel, ...securityAlertMessage(alert) });
    } catch (error) {
      if (options.retryable && !isSlackRefusal(error)) throw asDeliveryError(error);
      log.error({ err: error, alert: alert.title }, 'could not post a security alert to Slack');
    }
  };
}
