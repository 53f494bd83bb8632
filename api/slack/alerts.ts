// Security alerts to the channel the admins named (SLACK_ALERT_CHANNEL). An alert that cannot be
// posted is logged, never thrown: it must not undo or repeat the action it reports.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../core/logger.js';
import { type SecurityAlert, securityAlertMessage } from './blocks.js';

/** Posts security alerts, or does nothing when no channel is configured. */
export type AlertPoster = (alert: SecurityAlert) => Promise<void>;

/** An alert poster for `channel`; a no-op without one. */
export function createAlertPoster(client: WebClient, channel: string | undefined, log: Logger): AlertPoster {
  return async (alert) => {
    if (!channel) return;
    try {
      await client.chat.postMessage({ channel, ...securityAlertMessage(alert) });
    } catch (error) {
      log.error({ err: error, alert: alert.title }, 'could not post a security alert to Slack');
    }
  };
}
