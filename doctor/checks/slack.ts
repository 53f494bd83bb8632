// Slack, when it is on: the signing secret the API checks /slack/events with, and the bot token
// the API and the worker post with.
import { createHmac } from 'node:crypto';
import { isValidSlackRequest } from '@slack/bolt';
import { WebAPIPlatformError } from '@slack/web-api';
import pino from 'pino';
import type { Config } from '../../core/config.js';
import { createSlackClient, slackSettings } from '../../slack/client.js';
import { type CheckOutcome, failed, passed, skipped } from '../check.js';

type SlackConfig = Pick<
  Config,
  'SLACK_BOT_TOKEN' | 'SLACK_SIGNING_SECRET' | 'SLACK_APP_TOKEN' | 'SLACK_API_URL' | 'SLACK_ALERT_CHANNEL'
>;

const NOT_CONFIGURED = 'Slack is not configured (SLACK_BOT_TOKEN is unset); notifications go to the log';

// What Slack issues: a signing secret is 32 hex digits (the deprecated verification token,
// often pasted by mistake, is 24 letters and digits).
const SIGNING_SECRET = /^[0-9a-f]{32}$/;

const SECRET_FIX =
  'copy the Signing Secret from the app’s Basic Information page (https://api.slack.com/apps) into ' +
  'SLACK_SIGNING_SECRET, not the verification token or the client secret';

/** The v0 signature Slack puts on a request (https://api.slack.com/authentication/verifying-requests-from-slack). */
function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/**
 * The secret is well formed, and Bolt's verifier (the one /slack/events uses) accepts a request
 * signed with it and refuses the same request with one byte of the body changed.
 */
export function checkSlackSigning(config: SlackConfig): CheckOutcome {
  if (!config.SLACK_BOT_TOKEN) return skipped(NOT_CONFIGURED);
  const secret = config.SLACK_SIGNING_SECRET;
  if (!secret) {
    if (config.SLACK_APP_TOKEN?.startsWith('xapp-')) {
      return passed('Socket Mode (SLACK_APP_TOKEN): Slack’s requests come over the app’s socket, unsigned');
    }
    return failed(
      'SLACK_APP_TOKEN is not an app-level token (xapp-…) and SLACK_SIGNING_SECRET is unset',
      'for Socket Mode set SLACK_APP_TOKEN to an app-level token with connections:write; for HTTP, set SLACK_SIGNING_SECRET',
    );
  }
  if (!SIGNING_SECRET.test(secret)) {
    return failed(
      `SLACK_SIGNING_SECRET is not a Slack signing secret (32 hexadecimal digits; this value has ${secret.length} characters)`,
      SECRET_FIX,
    );
  }
  const timestamp = Math.floor(Date.now() / 1000);
  const body = `token=grantflow-doctor&team_id=T0&command=%2Faccess&text=doctor&ts=${timestamp}`;
  const headers = (signedBody: string) => ({
    'x-slack-signature': slackSignature(secret, timestamp, signedBody),
    'x-slack-request-timestamp': timestamp,
  });
  const accepted = isValidSlackRequest({ signingSecret: secret, body, headers: headers(body) });
  const forgedAccepted = isValidSlackRequest({
    signingSecret: secret,
    body: `${body}x`,
    headers: headers(body),
  });
  if (!accepted || forgedAccepted) {
    return failed(
      `Bolt’s verifier ${accepted ? 'accepted a request whose body was changed after signing' : 'refused a request signed with SLACK_SIGNING_SECRET'}`,
      'reinstall the dependencies (`npm ci`): @slack/bolt does not verify signatures as it should',
    );
  }
  return passed(
    'SLACK_SIGNING_SECRET is well formed; a request signed with it verifies, and an altered one is refused',
  );
}

/** The bot token answers auth.test (against SLACK_API_URL when set). */
export async function checkSlackToken(config: SlackConfig): Promise<CheckOutcome> {
  const settings = slackSettings(config);
  if (!settings) return skipped(NOT_CONFIGURED);
  if (!settings.botToken.startsWith('xoxb-')) {
    return failed(
      'SLACK_BOT_TOKEN is not a bot token (xoxb-…)',
      'copy the Bot User OAuth Token from the app’s OAuth & Permissions page into SLACK_BOT_TOKEN',
    );
  }
  const api = settings.apiUrl ?? 'https://slack.com/api/';
  const client = createSlackClient(settings, pino({ level: 'silent' }), { failFast: true });
  try {
    const answer = await client.auth.test();
    return passed(`SLACK_BOT_TOKEN answers auth.test at ${api} as ${answer.user} in ${answer.team}`);
  } catch (error) {
    if (error instanceof WebAPIPlatformError) {
      return failed(
        `Slack refused SLACK_BOT_TOKEN: ${error.data.error}`,
        'copy the Bot User OAuth Token from the app’s OAuth & Permissions page (reinstall the app if it was revoked)',
      );
    }
    return failed(
      `cannot reach the Slack Web API at ${api}: ${(error as Error).message}`,
      'allow outbound HTTPS to slack.com from the API and worker hosts (or correct SLACK_API_URL)',
    );
  }
}
