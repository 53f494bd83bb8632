// SCIM requests as a buggy or hostile identity provider sends them: Users and Groups bodies with
// wrong types and hostile values, PATCH operations with random ops, paths and values, filters
// built from SCIM's grammar and then broken, and paging and projection parameters out of range.
import fc from 'fast-check';
import { hostileString, hostileValue, type Json, jsonMutations, mutateJson } from './hostile-json.js';
import { ENTERPRISE, GROUP, PATCH_OP, USER } from './scim.js';

/** One request: method, path under /scim/v2 (with its query) and body. */
export type ScimFuzzRequest = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
};

/** The ids a request may name: existing users and groups, and whatever else. */
export type ScimFuzzWorld = { userIds: readonly string[]; groupIds: readonly string[] };

const email = fc.oneof(
  fc.emailAddress(),
  fc.constantFrom('ADA@ACME.TEST', 'ada@acme.test', 'not-an-email', '@acme.test', 'a@b', ' bob@acme.test '),
  hostileString,
);

const someId = (ids: readonly string[]) =>
  fc.oneof(
    ...(ids.length > 0 ? [{ weight: 3, arbitrary: fc.constantFrom(...ids) }] : []),
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: hostileString },
  );

/** A User body: mostly the fields Okta and Entra send, with hostile values, then broken further. */
function userBody(world: ScimFuzzWorld): fc.Arbitrary<unknown> {
  const user = fc.record(
    {
      schemas: fc.oneof(fc.constant([USER]), fc.constant([USER, ENTERPRISE]), hostileValue),
      userName: fc.oneof(email, hostileValue),
      externalId: fc.oneof(hostileString, hostileValue),
      active: fc.oneof(fc.boolean(), fc.constantFrom('true', 'False', 'maybe', 0, 1), hostileValue),
      displayName: hostileString,
      title: hostileString,
      name: fc.oneof(
        fc.record(
          { givenName: hostileString, familyName: hostileString, formatted: hostileString },
          { requiredKeys: [] },
        ),
        hostileValue,
      ),
      emails: fc.oneof(
        fc.array(
          fc.record(
            { value: email, primary: fc.oneof(fc.boolean(), hostileValue), type: hostileString },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
        hostileValue,
      ),
      [ENTERPRISE]: fc.oneof(
        fc.record(
          {
            department: hostileString,
            employeeNumber: fc.oneof(hostileString, fc.integer()),
            manager: fc.oneof(
              fc.record({ value: someId(world.userIds) }),
              someId(world.userIds),
              hostileValue,
            ),
          },
          { requiredKeys: [] },
        ),
        hostileValue,
      ),
    },
    { requiredKeys: [] },
  );
  return fc.tuple(user, jsonMutations(2)).map(([body, mutations]) => mutateJson(body as Json, mutations));
}

/** A Group body with members that exist, do not, or are no member at all. */
function groupBody(world: ScimFuzzWorld): fc.Arbitrary<unknown> {
  const group = fc.record(
    {
      schemas: fc.oneof(fc.constant([GROUP]), hostileValue),
      displayName: fc.oneof(hostileString, hostileValue),
      externalId: hostileString,
      members: fc.oneof(
        fc.array(
          fc.oneof(
            fc.record(
              { value: someId([...world.userIds, ...world.groupIds]), display: hostileString },
              { requiredKeys: ['value'] },
            ),
            hostileValue,
          ),
          { maxLength: 4 },
        ),
        hostileValue,
      ),
    },
    { requiredKeys: [] },
  );
  return fc.tuple(group, jsonMutations(2)).map(([body, mutations]) => mutateJson(body as Json, mutations));
}

const PATHS = [
  'active',
  'userName',
  'displayName',
  'externalId',
  'title',
  'name.givenName',
  'name.familyName',
  'emails',
  'emails[type eq "work"].value',
  'emails[primary eq true]',
  'members',
  'members[value eq "x"]',
  `${ENTERPRISE}:department`,
  `${ENTERPRISE}:manager`,
  `${USER}:userName`,
  '__proto__.polluted',
  'constructor.prototype.polluted',
  'meta.created',
  'id',
  'schemas',
  'emails[',
  '[]',
];

/** A PATCH body: random ops (any case), known and broken paths, values of any type. */
function patchBody(world: ScimFuzzWorld): fc.Arbitrary<unknown> {
  const operation = fc.record(
    {
      op: fc.oneof(
        fc.constantFrom(
          'add',
          'replace',
          'remove',
          'Add',
          'Replace',
          'Remove',
          'REPLACE',
          'move',
          'copy',
          '',
        ),
        hostileValue,
      ),
      path: fc.oneof(
        fc.constantFrom(...PATHS),
        someId(world.userIds).map((id) => `members[value eq "${id}"]`),
        hostileString,
        hostileValue,
      ),
      value: fc.oneof(
        hostileValue,
        fc.array(fc.record({ value: someId([...world.userIds, ...world.groupIds]) }), { maxLength: 3 }),
        fc.record({ active: fc.oneof(fc.boolean(), hostileValue), userName: email }, { requiredKeys: [] }),
      ),
    },
    { requiredKeys: ['op'] },
  );
  return fc.record(
    {
      schemas: fc.oneof(fc.constant([PATCH_OP]), hostileValue),
      Operations: fc.oneof(
        { weight: 5, arbitrary: fc.array(operation, { maxLength: 4 }) },
        { weight: 1, arbitrary: hostileValue },
      ),
    },
    { requiredKeys: [] },
  );
}

const ATTRIBUTES = [
  'userName',
  'externalId',
  'displayName',
  'emails.value',
  'emails',
  'active',
  'members.value',
  'members',
  'meta.lastModified',
  'id',
  'name.givenName',
  `${ENTERPRISE}:department`,
];
const OPERATORS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'EQ', 'Eq'];
const filterValue = fc.oneof(
  hostileString.map((text) => JSON.stringify(text)),
  fc.constantFrom('true', 'false', 'null', '1', '-1.5', '"2024-01-01T00:00:00Z"', 'unquoted', '"', '\\"'),
);

/** A filter from SCIM's grammar (comparisons, pr, and/or/not, brackets), or broken text. */
const filterExpression: fc.Arbitrary<string> = fc.letrec<{ expression: string }>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .tuple(
        fc.oneof(fc.constantFrom(...ATTRIBUTES), hostileString),
        fc.oneof(fc.constantFrom(...OPERATORS), hostileString),
        filterValue,
      )
      .map(([attribute, operator, value]) => `${attribute} ${operator} ${value}`),
    fc.constantFrom(...ATTRIBUTES).map((attribute) => `${attribute} pr`),
    fc
      .tuple(tie('expression'), fc.constantFrom('and', 'or', 'AND', 'Or'), tie('expression'))
      .map(([a, join, b]) => `${a} ${join} ${b}`),
    tie('expression').map((inner) => `not (${inner})`),
    tie('expression').map((inner) => `(${inner}`),
    fc
      .tuple(fc.constantFrom('emails', 'members'), tie('expression'))
      .map(([attribute, inner]) => `${attribute}[${inner}]`),
    hostileString,
  ),
})).expression;

/** Paging and projection parameters, in range or not. */
const listQuery = fc.record(
  {
    filter: filterExpression,
    startIndex: fc.oneof(fc.integer({ min: -5, max: 1_000_000 }).map(String), hostileString),
    count: fc.oneof(fc.integer({ min: -5, max: 1_000_000 }).map(String), hostileString),
    attributes: fc.oneof(fc.constantFrom(...ATTRIBUTES), hostileString),
    excludedAttributes: fc.oneof(fc.constantFrom(...ATTRIBUTES), hostileString),
    sortBy: hostileString,
  },
  { requiredKeys: [] },
);

const query = (params: Record<string, string>) => {
  const text = new URLSearchParams(params).toString();
  return text ? `?${text}` : '';
};
// Well-formed first: a lone surrogate has no URL encoding (a client could not send it).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const segment = (id: string) => encodeURIComponent(id.slice(0, 1_000).replace(LONE_SURROGATE, '\uFFFD'));

/** Any request a SCIM client might send to /scim/v2. */
export function scimRequestArbitrary(world: ScimFuzzWorld): fc.Arbitrary<ScimFuzzRequest> {
  const resource = fc.constantFrom('Users' as const, 'Groups' as const);
  const idOf = (kind: 'Users' | 'Groups') => someId(kind === 'Users' ? world.userIds : world.groupIds);
  const bodyOf = (kind: 'Users' | 'Groups') => (kind === 'Users' ? userBody(world) : groupBody(world));
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .tuple(resource, listQuery)
        .map(([kind, params]) => ({ method: 'GET' as const, url: `/${kind}${query(params)}` })),
    },
    {
      weight: 1,
      arbitrary: resource.chain((kind) =>
        fc.tuple(idOf(kind), listQuery).map(([id, params]) => ({
          method: 'GET' as const,
          url: `/${kind}/${segment(id)}${query(params)}`,
        })),
      ),
    },
    {
      weight: 3,
      arbitrary: resource.chain((kind) =>
        bodyOf(kind).map((body) => ({ method: 'POST' as const, url: `/${kind}`, body })),
      ),
    },
    {
      weight: 2,
      arbitrary: resource.chain((kind) =>
        fc
          .tuple(idOf(kind), bodyOf(kind))
          .map(([id, body]) => ({ method: 'PUT' as const, url: `/${kind}/${segment(id)}`, body })),
      ),
    },
    {
      weight: 4,
      arbitrary: resource.chain((kind) =>
        fc
          .tuple(idOf(kind), patchBody(world))
          .map(([id, body]) => ({ method: 'PATCH' as const, url: `/${kind}/${segment(id)}`, body })),
      ),
    },
    {
      weight: 1,
      arbitrary: resource.chain((kind) =>
        idOf(kind).map((id) => ({ method: 'DELETE' as const, url: `/${kind}/${segment(id)}` })),
      ),
    },
    {
      // Bodies that are not JSON objects at all.
      weight: 1,
      arbitrary: fc
        .tuple(resource, fc.constantFrom('POST' as const, 'PATCH' as const), fc.oneof(fc.string(), fc.json()))
        .map(([kind, method, body]) => ({
          method,
          url: method === 'POST' ? `/${kind}` : `/${kind}/${world.userIds[0] ?? 'x'}`,
          body: `${body}`,
        })),
    },
  );
}
