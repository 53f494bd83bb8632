// Slack's settings and the bot's Web API client: shared by the API (Bolt) and the worker (DMs),
// without pulling Bolt into the worker.
import { LogLevel, type Logger as SlackLogger, WebClient } from '@slack/web-api';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';

/** Slack settings from the configuration; undefined when Slack is off. */
export type SlackSettings = {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  alertChannel?: string;
  apiUrl?: string;
};

/** Slack's settings, or undefined when SLACK_BOT_TOKEN is unset (the config checks the rest). */
export function slackSettings(config: Partial<Config>): SlackSettings | undefined {
  if (!config.SLACK_BOT_TOKEN) return undefined;
  return {
    botToken: config.SLACK_BOT_TOKEN,
    ...(config.SLACK_SIGNING_SECRET ? { signingSecret: config.SLACK_SIGNING_SECRET } : {}),
    ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
    ...(config.SLACK_ALERT_CHANNEL ? { alertChannel: config.SLACK_ALERT_CHANNEL } : {}),
    ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
  };
}

/**
 * A Web API client for the bot. Interactive use (the API's Bolt app) lets the client retry rate
 * limits and failures itself. `failFast` is for the notification deliverer, which keeps its own
 * durable retries: every call answers within seconds, and a rate limit comes back as an error
 * carrying Slack's Retry-After instead of a silent wait.
 */
export function createSlackClient(
  settings: SlackSettings,
  log: Logger,
  options: { failFast?: boolean } = {},
): WebClient {
  return new WebClient(settings.botToken, {
    logger: slackLogger(log),
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    ...(options.failFast
      ? { retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 10_000 }
      : { retryConfig: { retries: 5, factor: 2, minTimeout: 500, maxTimeout: 30_000 } }),
  });
}

/** Slack's libraries log through ours, so their lines carry the same format and level. */
export function slackLogger(log: Logger): SlackLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...msg) => log.debug(msg.join(' ')),
    info: (...msg) => log.info(msg.join(' ')),
    warn: (...msg) => log.warn(msg.join(' ')),
    error: (...msg) => log.error(msg.join(' ')),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
