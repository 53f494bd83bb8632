// The Slack app: Bolt in the API process. Socket Mode when SLACK_APP_TOKEN is set (no public URL
// needed); otherwise Bolt's HTTP receiver, mounted in the API server at /slack/events.
import { App, HTTPReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../../core/logger.js';
import { createAlertPoster } from '../../slack/alerts.js';
import { createSlackClient, type SlackSettings, slackLogger } from '../../slack/client.js';
import { createSlackDirectory } from '../../slack/identity.js';
import { type ApiDeps, submitDepsOf } from '../deps.js';
import type { SlackContext } from './context.js';
import { registerListeners } from './listeners/index.js';

/** A running Slack app: `http` mode hands requests from the API server to `receiver`. */
export type SlackApp = {
  mode: 'socket' | 'http';
  app: App;
  /** Set in `http` mode: Bolt's receiver, whose requestListener serves /slack/events. */
  httpReceiver?: HTTPReceiver;
  signingSecret?: string;
  context: SlackContext;
  start(): Promise<void>;
  stop(): Promise<void>;
};

/** Builds the Bolt app with every listener registered; nothing connects until `start()`. */
export function createSlackApp(deps: ApiDeps, settings: SlackSettings, log: Logger): SlackApp {
  const slackLog = log.child({ component: 'slack' });
  const client = createSlackClient(settings, slackLog);
  const context: SlackContext = {
    ...deps,
    directory: createSlackDirectory(deps.db, client, slackLog),
    alert: createAlertPoster(client, settings.alertChannel, slackLog),
    log: slackLog,
    submit: submitDepsOf(deps),
  };
  const logger = slackLogger(slackLog);
  let receiver: Receiver;
  let httpReceiver: HTTPReceiver | undefined;
  if (settings.appToken) {
    receiver = new SocketModeReceiver({
      appToken: settings.appToken,
      logger,
      // The Socket Mode client asks apps.connections.open for its WebSocket URL through the same
      // Web API as the bot (a test fake or a gateway, when SLACK_API_URL is set).
      ...(settings.apiUrl ? { installerOptions: { clientOptions: { slackApiUrl: settings.apiUrl } } } : {}),
    });
  } else {
    if (!settings.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required for the HTTP receiver');
    httpReceiver = new HTTPReceiver({
      signingSecret: settings.signingSecret,
      endpoints: '/slack/events',
      logger,
    });
    receiver = httpReceiver;
  }
  const app = new App({
    // One workspace, one bot token. Authorizing without auth.test means no extra Slack call per
    // click and no Slack dependency at start; the bot's own user id matters only for message
    // events, which grantflow does not subscribe to.
    authorize: async () => ({ botToken: settings.botToken }),
    receiver,
    logger,
    ...(settings.apiUrl ? { clientOptions: { slackApiUrl: settings.apiUrl } } : {}),
  });
  registerListeners(app, context);
  app.error(async (error) => {
    slackLog.error({ err: error }, 'a Slack listener failed');
  });
  return {
    mode: settings.appToken ? 'socket' : 'http',
    app,
    ...(httpReceiver ? { httpReceiver } : {}),
    ...(settings.signingSecret ? { signingSecret: settings.signingSecret } : {}),
    context,
    async start() {
      // The HTTP receiver is served by the API server; only Socket Mode opens its own connection.
      if (settings.appToken) await app.start();
    },
    async stop() {
      if (settings.appToken) await app.stop();
    },
  };
}
