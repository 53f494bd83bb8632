import { createHmac, randomBytes } from 'node:crypto';
import { FAKE_SLACK_TEAM } from './fake-slack.js';

// What Slack puts around every payload for our (fake) workspace and app. The team matches what the
// fake Slack's auth.test answers, so Bolt's context and the payloads agree.
const TEAM = { id: FAKE_SLACK_TEAM.teamId, domain: FAKE_SLACK_TEAM.team };
/** The api_app_id every built payload carries. */
const FAKE_SLACK_APP_ID = 'AGRANTFLOW';
// The deprecated verification token Slack still sends; Bolt ignores it in favour of the signature.
const VERIFICATION_TOKEN = 'fake-verification-token';

let sequence = 0;

/** Slack's v0 signature headers for `body` at `timestamp` (seconds), per https://api.slack.com/authentication/verifying-requests-from-slack */
function slackSignatureHeaders(
  signingSecret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const hash = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${hash}` };
}

/** A slash command body (form-encoded), as Slack posts it for `/access list`. */
export function slashCommandBody(fields: {
  command: string;
  text?: string;
  userId: string;
  responseUrl: string;
  triggerId?: string;
  channelId?: string;
}): string {
  return new URLSearchParams({
    token: VERIFICATION_TOKEN,
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: fields.channelId ?? dmChannelOf(fields.userId),
    channel_name: 'directmessage',
    user_id: fields.userId,
    user_name: userNameOf(fields.userId),
    command: fields.command,
    text: fields.text ?? '',
    api_app_id: FAKE_SLACK_APP_ID,
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId ?? triggerId(),
  }).toString();
}

/**
 * A block_actions interaction (form-encoded `payload=<json>`): one button click by userId, on a
 * message (channel + messageTs) or, when `view` is given, inside a Home tab or modal. Slack sends
 * no response_url for clicks inside views, so it is optional here.
 */
export function blockActionBody(fields: {
  userId: string;
  actionId: string;
  value: string;
  blockId?: string;
  channel?: string;
  messageTs?: string;
  responseUrl?: string;
  actionTs?: string;
  triggerId?: string;
  view?: { id: string; type: 'home' | 'modal' };
}): string {
  const channel = fields.channel ?? dmChannelOf(fields.userId);
  const messageTs = fields.messageTs ?? slackTs();
  const action = {
    type: 'button',
    action_id: fields.actionId,
    block_id: fields.blockId ?? 'actions',
    text: { type: 'plain_text', text: fields.actionId, emoji: true },
    value: fields.value,
    action_ts: fields.actionTs ?? slackTs(),
  };
  const where = fields.view
    ? {
        container: { type: 'view', view_id: fields.view.id },
        view: viewOf({ id: fields.view.id, type: fields.view.type }),
      }
    : {
        container: { type: 'message', message_ts: messageTs, channel_id: channel, is_ephemeral: false },
        channel: { id: channel, name: 'directmessage' },
        message: {
          type: 'message',
          user: FAKE_SLACK_TEAM.botUserId,
          bot_id: FAKE_SLACK_TEAM.botId,
          ts: messageTs,
          text: '',
        },
      };
  return payloadBody({
    type: 'block_actions',
    ...envelope(fields.userId),
    trigger_id: fields.triggerId ?? triggerId(),
    ...where,
    state: { values: {} },
    ...(fields.responseUrl ? { response_url: fields.responseUrl } : {}),
    actions: [action],
  });
}

/** A view_submission interaction: callback_id, private_metadata and state.values as given (block -> action -> value object). */
export function viewSubmissionBody(fields: {
  userId: string;
  callbackId: string;
  privateMetadata?: string;
  // biome-ignore lint/suspicious/noExplicitAny: state values are whatever the modal's inputs hold
  values: Record<string, Record<string, any>>;
  viewId?: string;
}): string {
  return payloadBody({
    type: 'view_submission',
    ...envelope(fields.userId),
    trigger_id: triggerId(),
    view: viewOf({
      id: fields.viewId ?? viewId(),
      type: 'modal',
      callback_id: fields.callbackId,
      private_metadata: fields.privateMetadata ?? '',
      state: { values: fields.values },
    }),
    response_urls: [],
  });
}

/** A block_suggestion (external select options request): action_id, block_id, value (what was typed), user, view (callback_id). */
export function blockSuggestionBody(fields: {
  userId: string;
  actionId: string;
  blockId: string;
  value: string;
  callbackId: string;
}): string {
  const id = viewId();
  return payloadBody({
    type: 'block_suggestion',
    ...envelope(fields.userId),
    container: { type: 'view', view_id: id },
    action_id: fields.actionId,
    block_id: fields.blockId,
    value: fields.value,
    view: viewOf({ id, type: 'modal', callback_id: fields.callbackId }),
  });
}

/** An Events API event_callback (JSON body), e.g. app_home_opened: { type: 'app_home_opened', user, tab: 'home' }. */
export function eventCallbackBody(event: Record<string, unknown>, eventId?: string): string {
  const now = Math.floor(Date.now() / 1000);
  return JSON.stringify({
    token: VERIFICATION_TOKEN,
    team_id: TEAM.id,
    api_app_id: FAKE_SLACK_APP_ID,
    event: { event_ts: slackTs(), ...event },
    type: 'event_callback',
    event_id: eventId ?? `Ev${String(++sequence).padStart(10, '0')}`,
    event_time: now,
    authorizations: [
      {
        enterprise_id: null,
        team_id: TEAM.id,
        user_id: FAKE_SLACK_TEAM.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  });
}

/**
 * POSTs a signed body to the app. JSON bodies (event callbacks) go as application/json, the rest
 * as application/x-www-form-urlencoded, the exact types Bolt's HTTP receiver parses. `timestamp`
 * signs at another time (e.g. now - 301 s), `signature` replaces the signature, `unsigned` sends
 * no signature headers at all.
 */
export async function postToSlackApp(
  url: string,
  signingSecret: string,
  body: string,
  options: { timestamp?: number; signature?: string; unsigned?: boolean; contentType?: string } = {},
): Promise<Response> {
  const contentType =
    options.contentType ??
    (body.trimStart().startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded');
  const headers: Record<string, string> = { 'content-type': contentType };
  if (!options.unsigned) {
    Object.assign(headers, slackSignatureHeaders(signingSecret, body, options.timestamp));
    if (options.signature !== undefined) headers['x-slack-signature'] = options.signature;
  }
  return fetch(url, { method: 'POST', headers, body });
}

// Fields every interaction payload carries besides its own.
function envelope(userId: string) {
  return {
    user: { id: userId, username: userNameOf(userId), name: userNameOf(userId), team_id: TEAM.id },
    api_app_id: FAKE_SLACK_APP_ID,
    token: VERIFICATION_TOKEN,
    team: TEAM,
    enterprise: null,
    is_enterprise_install: false,
  };
}

function viewOf(fields: { id: string; type: 'home' | 'modal'; [key: string]: unknown }) {
  return {
    team_id: TEAM.id,
    blocks: [],
    private_metadata: '',
    callback_id: '',
    state: { values: {} },
    hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
    title: { type: 'plain_text', text: 'grantflow', emoji: true },
    clear_on_close: false,
    notify_on_close: false,
    close: null,
    submit: null,
    previous_view_id: null,
    root_view_id: fields.id,
    app_id: FAKE_SLACK_APP_ID,
    external_id: '',
    app_installed_team_id: TEAM.id,
    bot_id: FAKE_SLACK_TEAM.botId,
    ...fields,
  };
}

function payloadBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

function userNameOf(userId: string): string {
  return userId.toLowerCase();
}

function dmChannelOf(userId: string): string {
  return `D${userId.replace(/^[UW]/, '')}`;
}

function slackTs(): string {
  const now = Date.now();
  return `${Math.floor(now / 1000)}.${String((now % 1000) * 1000 + (++sequence % 1000)).padStart(6, '0')}`;
}

function triggerId(): string {
  return `${++sequence}.${Date.now()}.${randomBytes(16).toString('hex')}`;
}

function viewId(): string {
  return `V${randomBytes(5).toString('hex').toUpperCase()}`;
}
