// Hostile values and JSON mutations the fuzz suites share: the strings and shapes an attacker (or
// a buggy client) sends, and a way to break a well-formed document in reproducible places.
import fc from 'fast-check';

/** JSON as the fuzz suites build and mutate it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Strings that have broken parsers and databases before: empty, control, bidi, lone surrogates, look-alike numbers, injection. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u202eevil',
  '\ud800',
  '\uffff',
  '😀👩‍👩‍👧',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '1e309',
  '0x10',
  '__proto__',
  'constructor',
  'prototype',
  "'; drop table people; --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '{}',
  '[]',
  '{"a":',
] as const;

/** A string as an attacker picks it, now and then far larger than any field allows. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 120_000 }).map((n) => 'x'.repeat(n)) },
);

/** `depth` arrays or objects inside each other, deeper than any real document. */
const nested = (depth: number, kind: 'array' | 'object'): Json => {
  let value: Json = 'deep';
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
};

/** Keys that pollute prototypes when a handler merges a body into an object. */
const pollution: fc.Arbitrary<Json> = fc.constantFrom(
  JSON.parse('{"__proto__":{"isAdmin":true,"status":"approved"}}') as Json,
  { constructor: { prototype: { isAdmin: true } } },
  JSON.parse('{"__proto__":null}') as Json,
);

/** Any JSON value as an attacker sends it: wrong types, hostile strings, depth, pollution keys. */
export const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, 2 ** 53 + 1, -(2 ** 63), 1e308) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 20, max: 1_000 }), fc.constantFrom('array', 'object'))
      .map(([depth, kind]) => nested(depth, kind as 'array' | 'object')),
  },
  { weight: 1, arbitrary: pollution },
);

/** One change to a document: drop, replace or add at the `at`-th node (counted in document order). */
export type JsonMutation =
  | { op: 'delete'; at: number }
  | { op: 'replace'; at: number; value: Json }
  | { op: 'add'; at: number; key: string; value: Json };

/** Up to `max` mutations, each placed by a number the document's size turns into a node. */
export const jsonMutations = (max = 4, keys: fc.Arbitrary<string> = hostileString) =>
  fc.array(
    fc.oneof(
      fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }),
      fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: keys, value: hostileValue }),
    ),
    { maxLength: max },
  );

type Slot = { parent: Json[] | { [key: string]: Json }; key: string | number };

/** Every place in `doc` that holds a value, parents before children. */
function slotsOf(doc: Json): Slot[] {
  const slots: Slot[] = [];
  const visit = (value: Json, depth: number) => {
    // Mutated documents may already be deep; the places near the top are the interesting ones.
    if (depth > 12 || value === null || typeof value !== 'object') return;
    const entries: [string | number, Json][] = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.entries(value);
    for (const [key, child] of entries) {
      slots.push({ parent: value, key });
      visit(child, depth + 1);
    }
  };
  visit(doc, 0);
  return slots;
}

/** A copy of `doc` with the mutations applied in order (a mutation with nothing to act on is skipped). */
export function mutateJson<T extends Json>(doc: T, mutations: readonly JsonMutation[]): T {
  // A JSON round trip, not structuredClone: it keeps "__proto__" as an own key, as JSON.parse makes it.
  const copy = JSON.parse(JSON.stringify(doc)) as T;
  for (const mutation of mutations) {
    const slots = slotsOf(copy);
    const slot = slots[mutation.at % Math.max(slots.length, 1)];
    if (!slot) continue;
    const { parent, key } = slot;
    if (mutation.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
    } else if (mutation.op === 'replace') {
      (parent as Record<string | number, Json>)[key] = mutation.value;
    } else {
      const target = (parent as Record<string | number, Json>)[key];
      if (Array.isArray(target)) target.push(mutation.value);
      else if (target !== null && typeof target === 'object') {
        // defineProperty, so a "__proto__" key becomes an own key as JSON.parse would make it.
        Object.defineProperty(target, mutation.key, {
          value: mutation.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else (parent as Record<string | number, Json>)[key] = { [mutation.key]: mutation.value };
    }
  }
  return copy;
}
