// Fuzzing every REST route as every caller, with inputs generated from the route's own schemas (as
// the OpenAPI document gives them) and hostile mutations of them: wrong types, huge strings around
// the 256 KB body limit, lone surrogates and U+0000, deep nesting, prototype-pollution keys, bodies
// that are not JSON at all. The properties: the API never answers 5xx; a 4xx changes nothing in the
// database (every application table, the ledger, and the intake but for recorded refusals); and
// nothing pollutes Object.prototype. The SCIM service and Slack's endpoint take the other payload
// shapes their own fuzz suites cover; they are left out here.
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocumentServer } from '../../api/document-server.js';
import { waitUntil } from '../../core/net.js';
import { type AuthorizationFixture, startAuthorizationFixture } from '../helpers/authorization-fixture.js';
import { CALLERS, type Caller } from '../helpers/authorization-table.js';
import { changedTables, type DatabaseState, stateQuery } from '../helpers/database-state.js';
import {
  type Hints,
  HUGE_STRINGS,
  hostileValue,
  mutationOf,
  valueFor,
} from '../helpers/json-schema-arbitrary.js';
import {
  type JsonSchema,
  type RegisteredRoute,
  type RouteInput,
  routeInputs,
  routesOf,
} from '../helpers/route-registry.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

/** Runs per route: about 70 routes, so the file stays near a minute on a shared machine. */
const RUNS_PER_ROUTE = 12;

// The routes and their schemas, read from the server as production builds it (no services needed).
const documentServer = await buildDocumentServer();
const ROUTES: { route: RegisteredRoute; input: RouteInput }[] = await (async () => {
  const inputs = await routeInputs(documentServer);
  return routesOf(documentServer)
    .filter((route) => !/^\/(scim|slack)\//.test(route.url))
    .map((route) => ({ route, input: inputs.get(route.operationId) ?? {} }));
})();
await documentServer.close();

/**
 * Real ids, emails and keys per route, filled in once the stack is up (the arbitraries read them
 * lazily): a route's ids are those of the records its path names, so some requests reach a record.
 */
const hintsOf = new Map<string, Hints>(
  ROUTES.map(({ route }) => [route.key, { uuids: [], emails: [], keys: [] }]),
);

/** The records' ids by the path that names them. */
function idsFor(url: string, objects: AuthorizationFixture['objects']): string[] {
  const byPath: [RegExp, string[]][] = [
    [/^\/api\/v1\/people/, [objects.person.own, objects.person.other]],
    [/^\/api\/v1\/requests/, [objects.request.own, objects.request.other]],
    [/^\/api\/v1\/grants/, [objects.grant.own, objects.grant.other]],
    [/^\/api\/v1\/campaigns/, [objects.campaign]],
    [/^\/api\/v1\/findings/, [objects.finding]],
    [/^\/api\/v1\/evidence/, [objects.evidencePack]],
    [/^\/api\/v1\/log-reviews/, [objects.logReview]],
    [/^\/api\/v1\/audit\/events/, [objects.auditEvent]],
  ];
  return byPath.find(([path]) => path.test(url))?.[1] ?? [objects.person.own];
}

/** Bodies that are not what the content type says, or not JSON at all. */
const RAW_BODIES: { contentType: string; payload: string | Buffer }[] = [
  { contentType: 'application/json', payload: '{"a":' },
  { contentType: 'application/json', payload: '' },
  { contentType: 'application/json', payload: 'null' },
  { contentType: 'application/json', payload: '"\\ud800"' },
  { contentType: 'application/json', payload: `${'['.repeat(20_000)}${']'.repeat(20_000)}` },
  { contentType: 'application/json', payload: JSON.stringify({ x: HUGE_STRINGS[0] }) },
  { contentType: 'application/json', payload: JSON.stringify({ x: HUGE_STRINGS[2] }) },
  { contentType: 'application/json', payload: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
  {
    contentType: 'application/json',
    payload: '{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"x": 1}}}',
  },
  { contentType: 'text/plain', payload: 'hello' },
  { contentType: 'application/x-www-form-urlencoded', payload: 'a=1&__proto__[x]=1' },
  { contentType: 'application/json; charset=utf-16', payload: '{}' },
];

/** One fuzzed request. */
type Fuzzed = {
  caller: Caller;
  params: unknown;
  query: unknown;
  body: { json: unknown } | { raw: number } | undefined;
};

/** Which part of a request is spoilt: none, one of its inputs, or its body's bytes. */
const SPOILT = ['nothing', 'params', 'query', 'body', 'raw body'] as const;

/** A valid value for `schema`, or nothing when the route takes none. */
const validFor = (schema: JsonSchema | undefined, hints: Hints) =>
  schema ? valueFor(schema, hints) : fc.constant(undefined);

/** A hostile version of `value`: a mutation of it, or something else entirely. */
const spoilt = (value: unknown) => fc.oneof({ weight: 3, arbitrary: mutationOf(value) }, hostileValue);

/**
 * A request that passes the route's schemas, or one with a single part spoilt: its path params,
 * its query, its body (a hostile mutation), or the body's bytes (not JSON, or not what the content
 * type says).
 */
function fuzzedFor(route: RegisteredRoute, input: RouteInput): fc.Arbitrary<Fuzzed> {
  const takesBody = route.method !== 'GET' && route.method !== 'DELETE';
  const spoilable = SPOILT.filter(
    (part) =>
      part === 'nothing' ||
      part === 'query' ||
      (part === 'params' && input.params) ||
      (takesBody && (part === 'body' || part === 'raw body')),
  );
  const hints = hintsOf.get(route.key) as Hints;
  // Callers without an API token are refused before anything else: give them fewer runs.
  const callers = CALLERS.map((caller) => ({
    weight: caller === 'none' || caller === 'scim' ? 1 : 2,
    arbitrary: fc.constant(caller),
  }));
  const parts = fc.record({
    caller: fc.oneof(...callers),
    params: validFor(input.params, hints),
    query: validFor(input.querystring, hints),
    body: validFor(input.body, hints),
    spoil: fc.oneof(
      { weight: spoilable.length, arbitrary: fc.constant('nothing' as const) },
      fc.constantFrom(...spoilable),
    ),
  });
  return parts.chain(({ caller, params, query, body, spoil }) => {
    const request = (changes: Partial<Fuzzed>): Fuzzed => ({
      caller,
      params,
      query,
      body: body === undefined ? undefined : { json: body },
      ...changes,
    });
    if (spoil === 'params') return spoilt(params).map((bad) => request({ params: bad }));
    if (spoil === 'query') return spoilt(query).map((bad) => request({ query: bad }));
    if (spoil === 'body') return spoilt(body).map((bad) => request({ body: { json: bad } }));
    if (spoil === 'raw body') return fc.nat(RAW_BODIES.length - 1).map((raw) => request({ body: { raw } }));
    return fc.constant(request({}));
  });
}

/** A query-string value as a client would send it: strings as they are, anything else as JSON. */
const asText = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));

/**
 * A path segment percent-encoded; a lone surrogate (which UTF-8 cannot hold) goes as the bytes a
 * careless client would send for it, ED A0 80, which are not UTF-8 either.
 */
function segment(text: string): string {
  let encoded = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const pairs = unit >= 0xd800 && unit <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    if (pairs) encoded += encodeURIComponent(text.slice(i, ++i + 1));
    else if (unit >= 0xd800 && unit <= 0xdfff) encoded += '%ED%A0%80';
    else encoded += encodeURIComponent(text[i] as string);
  }
  return encoded;
}

/** The URL with its `:params` filled from `params` (hostile values encoded), and the query. */
function urlOf(route: RegisteredRoute, fuzzed: Fuzzed): string {
  const params = (fuzzed.params ?? {}) as Record<string, unknown>;
  const path = route.url.replace(/:(\w+)/g, (_, name: string) =>
    segment(asText(typeof params === 'object' && params !== null ? params[name] : params) || 'x'),
  );
  const query: string[] = [];
  if (fuzzed.query !== null && typeof fuzzed.query === 'object' && !Array.isArray(fuzzed.query)) {
    for (const [key, value] of Object.entries(fuzzed.query)) {
      for (const item of Array.isArray(value) ? value : [value])
        query.push(`${segment(key)}=${segment(asText(item))}`);
    }
  } else if (fuzzed.query !== undefined) query.push(segment(asText(fuzzed.query)));
  return query.length > 0 ? `${path}?${query.join('&')}` : path;
}

let database: TestDatabase;
let fixture: AuthorizationFixture;
let readState: () => Promise<DatabaseState>;
/** Whether the last request was a write that was not refused: its workflow may still be running. */
let lastMayStillRun = false;

/**
 * Waits until a write's aftermath has settled, up to 15 seconds: the outbox has nothing due (the
 * deliverer posts notifications a moment after the workflow wrote them) and two looks 200 ms apart
 * see the same database.
 */
async function settle(): Promise<DatabaseState> {
  let previous = await readState();
  await waitUntil(
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const [due] = await database.owner.sql<{ n: number }[]>`
        select count(*)::int as n from notification_outbox
        where status = 'sending' or (status = 'pending' and next_attempt_at < now() + interval '2 seconds')`;
      const now = await readState();
      const still = due?.n === 0 && changedTables(previous, now).length === 0;
      previous = now;
      return still;
    },
    { timeoutMs: 15_000, intervalMs: 0 },
  );
  return previous;
}

beforeAll(async () => {
  database = await createTestDatabase();
  fixture = await startAuthorizationFixture(database);
  const { objects, slack } = fixture;
  for (const { route } of ROUTES) {
    const hints = hintsOf.get(route.key) as Hints;
    hints.uuids.push(...idsFor(route.url, objects));
    hints.emails.push(...Object.values(slack.stack.cast));
    // Keys of things that exist, and none whose request would start a timer (reminders, expiry) or
    // a webhook retry that outlasts the settling; nor a campaign template's required fields, so no
    // Temporal schedule is left in the shared namespace.
    hints.keys.push(
      'db',
      'paper',
      'read',
      'cabinet',
      'two-step',
      'soc2',
      'iso27001',
      '2026-Q4',
      'matrix-idp',
    );
  }
  readState = await stateQuery(database.owner.sql);
  await settle();
}, 240_000);

afterAll(async () => {
  await fixture?.close();
  await database?.drop();
});

/** How often each route answered each status, printed at the end: what the fuzzer reached. */
const answered = new Map<string, Map<number, number>>();
afterAll(() => {
  const lines = [...answered].map(
    ([route, counts]) =>
      `${route.padEnd(48)} ${[...counts]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${status}×${n}`)
        .join(' ')}`,
  );
  console.info(`REST fuzzing, answers per route:\n${lines.join('\n')}`);
});

const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).join(',');

describe('U+0000, which PostgreSQL cannot store', () => {
  /** Each top-level string input of `schema`, as `[place, name]`. */
  const stringInputs = (place: keyof RouteInput, schema: JsonSchema | undefined) =>
    Object.entries((schema?.properties ?? {}) as Record<string, JsonSchema>)
      .filter(([, property]) => property.type === 'string')
      .map(([name]) => [place, name] as const);

  it('is refused with 400 naming the field, in every string input of every route, and changes nothing', async () => {
    const wrong: string[] = [];
    let tried = 0;
    for (const { route, input } of ROUTES) {
      const hints = hintsOf.get(route.key) as Hints;
      const inputs = [
        ...stringInputs('params', input.params),
        ...stringInputs('querystring', input.querystring),
        ...stringInputs('body', input.body),
      ];
      for (const [place, name] of inputs) {
        const [valid] = fc.sample(
          fc.record({
            params: validFor(input.params, hints),
            query: validFor(input.querystring, hints),
            body: validFor(input.body, hints),
          }),
          { numRuns: 1, seed: 42 },
        );
        const key = place === 'querystring' ? 'query' : place;
        const part = { ...((valid?.[key] ?? {}) as Record<string, unknown>), [name]: 'a\u0000b' };
        const fuzzed: Fuzzed = {
          caller: 'admin',
          params: key === 'params' ? part : valid?.params,
          query: key === 'query' ? part : valid?.query,
          body:
            key === 'body' ? { json: part } : valid?.body === undefined ? undefined : { json: valid.body },
        };
        const before = await readState();
        const response = await fixture.slack.stack.api.app.inject({
          method: route.method as 'GET',
          url: urlOf(route, fuzzed),
          headers: {
            authorization: `Bearer ${fixture.tokens.admin}`,
            ...(fuzzed.body ? { 'content-type': 'application/json' } : {}),
          },
          ...(fuzzed.body && 'json' in fuzzed.body ? { payload: JSON.stringify(fuzzed.body.json) } : {}),
        });
        tried++;
        const field =
          response.statusCode === 400 ? response.json().error?.details?.fields?.[0]?.field : undefined;
        if (field !== `${place}.${name}`)
          wrong.push(`${route.key} ${place}.${name}: ${response.statusCode} ${response.body.slice(0, 200)}`);
        if (changedTables(before, await readState()).length > 0)
          wrong.push(`${route.key} ${place}.${name} changed the database`);
      }
    }
    expect(tried).toBeGreaterThan(40);
    expect(wrong).toEqual([]);
  });
});

describe('REST fuzzing', () => {
  for (const { route, input } of ROUTES) {
    test.prop([fuzzedFor(route, input)], { numRuns: RUNS_PER_ROUTE })(
      `${route.key}: never a 5xx, and a 4xx changes nothing`,
      async (fuzzed) => {
        const before = lastMayStillRun ? await settle() : await readState();
        const prototypeBefore = prototypeKeys();
        const raw = fuzzed.body && 'raw' in fuzzed.body ? RAW_BODIES[fuzzed.body.raw] : undefined;
        const json = fuzzed.body && 'json' in fuzzed.body ? fuzzed.body.json : undefined;
        const token = fixture.tokens[fuzzed.caller];
        const response = await fixture.slack.stack.api.app.inject({
          method: route.method as 'GET',
          url: urlOf(route, fuzzed),
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(raw
              ? { 'content-type': raw.contentType }
              : json !== undefined
                ? { 'content-type': 'application/json' }
                : {}),
          },
          ...(raw ? { payload: raw.payload } : json !== undefined ? { payload: JSON.stringify(json) } : {}),
        });
        const status = response.statusCode;
        const counts = answered.get(route.key) ?? new Map<number, number>();
        answered.set(route.key, counts.set(status, (counts.get(status) ?? 0) + 1));
        const answer = `${route.key} as ${fuzzed.caller} answered ${status}: ${response.body.slice(0, 400)}`;

        // Console sign-in is off on this stack: its doors say so with 503, by design.
        const signInOff = status === 503 && response.json().error?.code === 'sign_in_unavailable';
        expect(status < 500 || signInOff, answer).toBe(true);
        expect(prototypeKeys(), 'Object.prototype was changed').toBe(prototypeBefore);
        expect(({} as Record<string, unknown>).isAdmin, 'Object.prototype was polluted').toBeUndefined();
        lastMayStillRun = status < 400 && route.method !== 'GET';
        if (status >= 400) {
          expect(changedTables(before, await readState()), `${answer}\nchanged these tables`).toEqual([]);
        }
      },
    );
  }
});
