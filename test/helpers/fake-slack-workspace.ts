// The Slack workspace behind the fake Web API: its team and bot, its users, the messages it has
// posted, and its answer to each method it implements, refusing what Slack refuses.
import { messageRefusal, type SlackRefusal, viewRefusal } from './slack-limits.js';

/** A Slack user the fake knows (for users.lookupByEmail / users.info). */
export type FakeSlackUser = { id: string; email: string; name?: string };

/** The workspace and bot identity the fake answers auth.test with. */
export const FAKE_SLACK_TEAM = {
  teamId: 'TGF',
  team: 'grantflow-test',
  botUserId: 'UBOTGF',
  botId: 'BBOTGF',
  botName: 'grantflow',
} as const;

/** The Web API methods the fake implements; any other answers `unknown_method`. */
const FAKE_SLACK_METHODS = [
  'api.test',
  'auth.test',
  'chat.postMessage',
  'chat.update',
  'chat.postEphemeral',
  'conversations.open',
  'views.open',
  'views.push',
  'views.update',
  'views.publish',
  'users.lookupByEmail',
  'users.info',
] as const;

/** The workspace's state and its answer (ok or Slack's own refusal) to one Web API call. */
export function createFakeWorkspace(initialUsers: FakeSlackUser[] = []) {
  const users = new Map<string, FakeSlackUser>();
  // Messages posted so far, by `${channel} ${ts}` as Slack answered them: what chat.update may rewrite.
  const messages = new Set<string>();
  let sequence = 100;
  const next = () => ++sequence;
  for (const user of initialUsers) users.set(user.id, user);

  // Slack message timestamps are "seconds.micros" strings; increasing ones keep ordering visible.
  const nextTs = () => {
    const n = next();
    return `${1_700_000_000 + Math.floor(n / 1_000_000)}.${String(n % 1_000_000).padStart(6, '0')}`;
  };
  const dmChannel = (userId: string) => (/^[UW]/.test(userId) ? `D${userId.slice(1)}` : userId);
  const userBody = (user: FakeSlackUser) => {
    const name = user.name ?? user.email.split('@')[0];
    return {
      id: user.id,
      team_id: FAKE_SLACK_TEAM.teamId,
      name,
      real_name: name,
      deleted: false,
      is_bot: false,
      profile: { email: user.email, real_name: name, display_name: name },
    };
  };

  // biome-ignore lint/suspicious/noExplicitAny: Slack arguments and answers are loosely typed JSON
  const answer = (method: string, args: Record<string, any>): Record<string, any> => {
    if (!(FAKE_SLACK_METHODS as readonly string[]).includes(method)) {
      return { ok: false, error: 'unknown_method', req_method: method };
    }
    const refusal: SlackRefusal | undefined = method.startsWith('chat.')
      ? messageRefusal(args)
      : method.startsWith('views.')
        ? viewRefusal(args.view)
        : undefined;
    if (refusal) return { ok: false, ...refusal };
    switch (method) {
      case 'api.test': {
        // Slack echoes the arguments (the token is not one of them).
        const { token: _token, ...echo } = args;
        return { ok: true, args: echo };
      }
      case 'auth.test':
        return {
          ok: true,
          url: `https://${FAKE_SLACK_TEAM.team}.slack.com/`,
          team: FAKE_SLACK_TEAM.team,
          user: FAKE_SLACK_TEAM.botName,
          team_id: FAKE_SLACK_TEAM.teamId,
          user_id: FAKE_SLACK_TEAM.botUserId,
          bot_id: FAKE_SLACK_TEAM.botId,
          is_enterprise_install: false,
        };
      case 'chat.postMessage': {
        const ts = nextTs();
        const channel = dmChannel(String(args.channel ?? ''));
        messages.add(`${channel} ${ts}`);
        return {
          ok: true,
          channel,
          ts,
          message: {
            type: 'message',
            text: args.text,
            blocks: args.blocks,
            user: FAKE_SLACK_TEAM.botUserId,
            bot_id: FAKE_SLACK_TEAM.botId,
            ts,
          },
        };
      }
      case 'chat.update':
        // Slack rewrites only a message it has, addressed by the channel id it answered (D…, not U…).
        if (!messages.has(`${args.channel} ${args.ts}`)) return { ok: false, error: 'message_not_found' };
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'conversations.open':
        return { ok: true, channel: { id: dmChannel(String(args.users ?? '').split(',')[0] ?? '') } };
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish': {
        // views.update keeps the view it updates, as Slack does.
        const id = typeof args.view_id === 'string' ? args.view_id : `V${String(next()).padStart(10, '0')}`;
        return { ok: true, view: { id, team_id: FAKE_SLACK_TEAM.teamId, ...args.view } };
      }
      case 'users.lookupByEmail': {
        const email = String(args.email ?? '').toLowerCase();
        const user = [...users.values()].find((u) => u.email.toLowerCase() === email);
        return user ? { ok: true, user: userBody(user) } : { ok: false, error: 'users_not_found' };
      }
      case 'users.info': {
        const user = users.get(String(args.user ?? ''));
        return user ? { ok: true, user: userBody(user) } : { ok: false, error: 'user_not_found' };
      }
      default:
        throw new Error(`fake Slack: ${method} is listed in FAKE_SLACK_METHODS but not answered`);
    }
  };

  return {
    answer,
    addUser(user: FakeSlackUser) {
      users.set(user.id, user);
    },
  };
}
