// Slack payloads as a forger with the signing secret would send them: every kind the app listens
// to (clicks, modal submissions, option requests, slash commands, events) built as Slack builds
// them, then broken: real action ids with garbage values, unknown ids, missing and mistyped fields,
// random blocks and modal state, oversized values, and random JSON in `payload=`.
import fc from 'fast-check';
import {
  ACTION,
  BLOCK,
  CAMPAIGN_VIEW,
  LAUNCH_BLOCK,
  REVIEW_ACTION,
  REVIEW_BLOCK,
  VIEW,
} from '../../slack/blocks/ids.js';
import {
  hostileString,
  hostileValue,
  type Json,
  type JsonMutation,
  jsonMutations,
  mutateJson,
} from './hostile-json.js';
import {
  blockActionBody,
  blockSuggestionBody,
  eventCallbackBody,
  slashCommandBody,
  viewSubmissionBody,
} from './slack-signing.js';

/** What the payloads may name: who clicks, the ids that exist, and which of them a clicker really may act on. */
export type SlackFuzzWorld = {
  /** Slack user ids to send as: people in the directory and strangers. */
  users: readonly string[];
  /** Ids of real requests, grants, campaigns and campaign items. */
  ids: readonly string[];
  /** The ids `userId` could legitimately decide or change; never sent as that user, so any decision is a bug. */
  ownIdsOf(userId: string): readonly string[];
  /** A response_url that answers (the fake Slack's). */
  responseUrl(): string;
};

/** One payload to post: its kind (for the failure report), body and content type. */
export type SlackFuzzCase = { kind: string; body: string; contentType?: string };

/** A case that fast-check reports by kind and the start of its body, not 100 kB of it. */
function fuzzCase(kind: string, body: string, contentType?: string): SlackFuzzCase {
  const shown = new URLSearchParams(body).get('payload') ?? body;
  return {
    kind,
    body,
    ...(contentType ? { contentType } : {}),
    [fc.toStringMethod]: () => `${kind} (${body.length} bytes): ${shown.slice(0, 600)}`,
  } as SlackFuzzCase;
}

const ACTION_IDS = [
  ...Object.values(ACTION),
  ...Object.values(REVIEW_ACTION),
  ...Object.values(LAUNCH_BLOCK),
];
const BLOCK_IDS = [...Object.values(BLOCK), ...Object.values(REVIEW_BLOCK), ...Object.values(LAUNCH_BLOCK)];
const CALLBACK_IDS = [...Object.values(VIEW), ...Object.values(CAMPAIGN_VIEW)];

/** A known id most of the time, a hostile one otherwise. */
const someId = (known: readonly string[]) =>
  fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: hostileString });

/** A value for `userId`: an id that exists but is not theirs to act on, a well-formed id of nothing, or garbage. */
function valueFor(world: SlackFuzzWorld, userId: string): fc.Arbitrary<string> {
  const own = new Set(world.ownIdsOf(userId));
  const others = world.ids.filter((id) => !own.has(id));
  return fc.oneof(
    ...(others.length > 0 ? [{ weight: 3, arbitrary: fc.constantFrom(...others) }] : []),
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.integer({ min: -5, max: 100_000 }).map(String) },
    { weight: 3, arbitrary: hostileString },
  );
}

/** What an input element of a modal holds, as Slack reports it, with random contents. */
const elementState = (value: fc.Arbitrary<string>): fc.Arbitrary<Json> =>
  fc.oneof(
    fc.record({ type: fc.constant('plain_text_input'), value: fc.option(value) }),
    fc.record({ type: fc.constant('static_select'), selected_option: fc.option(fc.record({ value })) }),
    fc.record({
      type: fc.constant('multi_static_select'),
      selected_options: fc.array(fc.record({ value }), { maxLength: 4 }),
    }),
    fc.record({ type: fc.constant('number_input'), value: fc.option(value) }),
    hostileValue,
  );

/** Random `state.values`: known and unknown block ids, each with known and unknown action ids. */
const stateValues = (value: fc.Arbitrary<string>): fc.Arbitrary<Json> =>
  fc.dictionary(
    someId(BLOCK_IDS),
    fc.oneof(fc.dictionary(someId(ACTION_IDS), elementState(value), { maxKeys: 3 }), hostileValue),
    { maxKeys: 6 },
  );

/** Random Block Kit: some well-formed blocks, some garbage. */
const blocks: fc.Arbitrary<Json> = fc.array(
  fc.oneof(
    fc.record({
      type: fc.constant('section'),
      text: fc.record({ type: fc.constant('mrkdwn'), text: hostileString }),
    }),
    fc.record({
      type: fc.constant('actions'),
      block_id: someId(BLOCK_IDS),
      elements: fc.array(
        fc.record({ type: fc.constant('button'), action_id: someId(ACTION_IDS), value: hostileString }),
        {
          maxLength: 3,
        },
      ),
    }),
    hostileValue,
  ),
  { maxLength: 4 },
);

/** Random private_metadata: the shapes the modals carry, naming ids that are not the sender's, or anything. */
const privateMetadata = (value: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof(
    fc.record({ requestId: value, channel: hostileString }).map((m) => JSON.stringify(m)),
    fc
      .record(
        { campaignId: value, page: hostileValue, itemId: value, reviewerId: value },
        { requiredKeys: [] },
      )
      .map((m) => JSON.stringify(m)),
    fc.jsonValue({ maxDepth: 3 }).map((m) => JSON.stringify(m)),
    hostileString,
  );

const asPayload = (payload: Json) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

/**
 * The mutated payload with its response_url (response_urls, in a view submission) put back: that
 * is where Bolt's respond() posts, Slack's reply channel rather than input the app reads, so it
 * stays one that answers.
 */
function mutated(payload: { [key: string]: Json }, mutations: readonly JsonMutation[]): Json {
  const result = mutateJson(payload, mutations) as { [key: string]: Json };
  for (const key of ['response_url', 'response_urls']) {
    if (payload[key] !== undefined) result[key] = payload[key];
  }
  return result;
}

const payloadOf = (body: string) => JSON.parse(new URLSearchParams(body).get('payload') ?? '{}') as Json;

/** A button click on a message, the App Home or a modal, with random blocks, state and breakage. */
function blockAction(world: SlackFuzzWorld, userId: string, value: fc.Arbitrary<string>) {
  return fc
    .record({
      actionId: someId(ACTION_IDS),
      value,
      blockId: someId(BLOCK_IDS),
      where: fc.constantFrom('message', 'home', 'modal'),
      callbackId: someId(CALLBACK_IDS),
      metadata: privateMetadata(value),
      blocks,
      state: stateValues(value),
      mutations: jsonMutations(),
    })
    .map((c) => {
      const body = blockActionBody({
        userId,
        actionId: c.actionId,
        value: c.value,
        blockId: c.blockId,
        responseUrl: world.responseUrl(),
        ...(c.where === 'message' ? {} : { view: { id: 'VFUZZ', type: c.where as 'home' | 'modal' } }),
      });
      const payload = payloadOf(body) as { [key: string]: Json };
      payload.state = { values: c.state };
      const view = payload.view as { [key: string]: Json } | undefined;
      if (view)
        Object.assign(view, { callback_id: c.callbackId, private_metadata: c.metadata, blocks: c.blocks });
      else (payload.message as { [key: string]: Json }).blocks = c.blocks;
      return fuzzCase(`block_actions ${c.actionId.slice(0, 40)}`, asPayload(mutated(payload, c.mutations)));
    });
}

/** A modal submitted: known and unknown callback ids, random metadata and state. */
function viewSubmission(userId: string, value: fc.Arbitrary<string>) {
  return fc
    .record({
      callbackId: someId(CALLBACK_IDS),
      metadata: privateMetadata(value),
      state: stateValues(value),
      closed: fc.boolean(),
      mutations: jsonMutations(),
    })
    .map((c) => {
      const body = viewSubmissionBody({
        userId,
        callbackId: c.callbackId,
        privateMetadata: c.metadata,
        values: {},
      });
      const payload = payloadOf(body) as { [key: string]: Json; view: { [key: string]: Json } };
      payload.view.state = { values: c.state };
      if (c.closed) payload.type = 'view_closed';
      return fuzzCase(
        `${payload.type} ${c.callbackId.slice(0, 40)}`,
        asPayload(mutated(payload, c.mutations)),
      );
    });
}

/** An options request from an external select, typing anything. */
function blockSuggestion(userId: string) {
  return fc
    .record({
      actionId: someId(ACTION_IDS),
      blockId: someId(BLOCK_IDS),
      value: hostileString,
      callbackId: someId(CALLBACK_IDS),
      mutations: jsonMutations(3),
    })
    .map((c) =>
      fuzzCase(
        'block_suggestion',
        asPayload(mutateJson(payloadOf(blockSuggestionBody({ userId, ...c })), c.mutations)),
      ),
    );
}

/** `/access` with words that name ids not the sender's, or garbage; form fields dropped or replaced. */
function slashCommand(world: SlackFuzzWorld, userId: string, value: fc.Arbitrary<string>) {
  const text = fc.oneof(
    hostileString,
    value.map((v) => `release ${v}`),
    value.map((v) => `campaign signoff ${v}`),
    fc.constantFrom('', 'list', 'help', 'campaign', 'campaign launch', 'RELEASE', 'campaign signoff'),
  );
  // Not response_url: see `mutated`.
  const field = fc.constantFrom('command', 'text', 'user_id', 'channel_id', 'trigger_id', 'team_id');
  return fc
    .record({
      command: fc.oneof(
        { weight: 4, arbitrary: fc.constant('/access') },
        { weight: 1, arbitrary: hostileString },
      ),
      text,
      dropped: fc.array(field, { maxLength: 2 }),
      replaced: fc.array(fc.tuple(field, hostileString), { maxLength: 2 }),
    })
    .map((c) => {
      const form = new URLSearchParams(
        slashCommandBody({ command: c.command, text: c.text, userId, responseUrl: world.responseUrl() }),
      );
      for (const name of c.dropped) form.delete(name);
      for (const [name, replacement] of c.replaced) form.set(name, replacement);
      return fuzzCase(`command ${c.text.slice(0, 40)}`, form.toString());
    });
}

/** An Events API callback: App Home opened on any tab, or an event nobody subscribed to. */
function eventCallback(userId: string) {
  const event = fc.oneof(
    fc.record({
      type: fc.constant('app_home_opened'),
      user: fc.constant(userId),
      tab: someId(['home', 'messages']),
    }),
    fc.record({ type: hostileString, user: fc.constant(userId), text: hostileString }),
  );
  return fc
    .record({ event, mutations: jsonMutations(3) })
    .map((c) =>
      fuzzCase(
        `event ${String(c.event.type).slice(0, 40)}`,
        JSON.stringify(mutateJson(JSON.parse(eventCallbackBody(c.event)) as Json, c.mutations)),
      ),
    );
}

/** Bodies no Slack payload looks like: random JSON in `payload=`, not JSON at all, stray form fields, JSON of any shape. */
const rawBody: fc.Arbitrary<SlackFuzzCase> = fc.oneof(
  fc
    .json({ maxDepth: 4 })
    .map((json) => fuzzCase('payload=json', new URLSearchParams({ payload: json }).toString())),
  hostileString.map((text) => fuzzCase('payload=text', new URLSearchParams({ payload: text }).toString())),
  fc
    .dictionary(hostileString, hostileString, { maxKeys: 4 })
    .map((fields) => fuzzCase('form', new URLSearchParams(fields).toString())),
  fc.jsonValue({ maxDepth: 4 }).map((json) => fuzzCase('json', JSON.stringify(json), 'application/json')),
  fc
    .record({
      type: fc.constantFrom('url_verification', 'event_callback', 'block_actions'),
      challenge: hostileValue,
    })
    .map((json) => fuzzCase(`json ${json.type}`, JSON.stringify(json))),
);

/** Any malformed Slack payload, signed as Slack would sign it. */
export function slackPayloadArbitrary(world: SlackFuzzWorld): fc.Arbitrary<SlackFuzzCase> {
  const sent = fc.constantFrom(...world.users).chain((userId) => {
    const value = valueFor(world, userId);
    return fc.oneof(
      { weight: 5, arbitrary: blockAction(world, userId, value) },
      { weight: 3, arbitrary: viewSubmission(userId, value) },
      { weight: 1, arbitrary: blockSuggestion(userId) },
      { weight: 2, arbitrary: slashCommand(world, userId, value) },
      { weight: 1, arbitrary: eventCallback(userId) },
    );
  });
  return fc.oneof({ weight: 5, arbitrary: sent }, { weight: 1, arbitrary: rawBody });
}
