// A request stack with Slack on: the real Bolt app in the API, the Slack notifier in the worker,
// a fake Slack Web API that knows every cast member, and a signed-poster for /slack/events.
import { findFreePort } from '../../core/net.js';
import type { DeliverySettings } from '../../notifications/deliverer.js';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';
import { type FakeSocketMode, startFakeSocketMode } from './fake-socket-mode.js';
import { type RequestStack, startRequestStack } from './requests.js';
import type { TestDatabase } from './services.js';
import { postToSlackApp } from './slack-signing.js';

/** The signing secret the stack's Slack app checks. */
const SLACK_SECRET = 'test-signing-secret';
/** The app-level token a Socket Mode stack connects with. */
export const SLACK_APP_TOKEN = 'xapp-1-AGRANTFLOW-1-test';

/** The Slack user id of each cast member. */
export const SLACK_IDS = {
  ceo: 'UCEO',
  manager: 'UMGR',
  dev: 'UDEV',
  dev2: 'UDEVTWO',
  owner: 'UOWNER',
  sec1: 'USECONE',
  sec2: 'USECTWO',
  sec3: 'USECTHREE',
  admin: 'UADMIN',
} as const;

/** A button as Slack received it. */
export type Button = { action_id: string; value: string };

/** Every button of some blocks: in actions blocks and as section accessories. */
// biome-ignore lint/suspicious/noExplicitAny: Block Kit as Slack received it
export const buttonsOf = (blocks: any[] | undefined): Button[] =>
  (blocks ?? []).flatMap((b) =>
    b.type === 'actions'
      ? (b.elements as Button[])
      : b.accessory?.type === 'button'
        ? [b.accessory as Button]
        : [],
  );

/** A running Slack stack. */
export type SlackStack = {
  stack: RequestStack;
  fake: FakeSlack;
  /** With `socketMode`: the fake Socket Mode endpoint the app is connected to (deliver envelopes there). */
  socket?: FakeSocketMode;
  /** POSTs a body to /slack/events, signed unless the options forge it (HTTP mode). */
  post(body: string, options?: Parameters<typeof postToSlackApp>[3]): Promise<Response>;
  close(): Promise<void>;
};

/** Starts it; two people are linked in the directory, everyone else is found by email. */
export async function startSlackStack(
  database: TestDatabase,
  options: {
    alertChannel?: string;
    delivery?: Partial<DeliverySettings>;
    refusals?: Parameters<typeof startRequestStack>[1]['refusals'];
    /** Socket Mode (SLACK_APP_TOKEN) instead of the HTTP receiver: no signing secret, no /slack/events. */
    socketMode?: boolean;
  } = {},
): Promise<SlackStack> {
  const fake = await startFakeSlack();
  const socket = options.socketMode
    ? await startFakeSocketMode(fake, { appToken: SLACK_APP_TOKEN })
    : undefined;
  const stack = await startRequestStack(database, {
    webhookPort: await findFreePort(),
    ...(options.delivery ? { delivery: options.delivery } : {}),
    ...(options.refusals ? { refusals: options.refusals } : {}),
    slack: {
      settings: {
        botToken: 'xoxb-test',
        ...(socket ? { appToken: SLACK_APP_TOKEN } : { signingSecret: SLACK_SECRET }),
        apiUrl: fake.apiUrl,
        ...(options.alertChannel ? { alertChannel: options.alertChannel } : {}),
      },
      directoryIds: () => ({ dev: SLACK_IDS.dev, manager: SLACK_IDS.manager }),
    },
  });
  for (const [key, id] of Object.entries(SLACK_IDS)) {
    fake.addUser({ id, email: stack.cast[key as keyof typeof SLACK_IDS] });
  }
  const events = `${stack.api.url}/slack/events`;
  return {
    stack,
    fake,
    ...(socket ? { socket } : {}),
    post: (body, postOptions) => postToSlackApp(events, SLACK_SECRET, body, postOptions),
    async close() {
      await stack.close();
      await socket?.close();
      await fake.close();
    },
  };
}
