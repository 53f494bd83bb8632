// fast-check arbitraries from the JSON Schemas the OpenAPI document gives each route (the keywords
// that document uses: type, enum, format, pattern, lengths, bounds, items, properties, required,
// additionalProperties, nullable, default), and hostile values to mutate them with: wrong types,
// huge strings around the 256 KB body limit, awkward unicode (lone surrogates, U+0000, RTL marks),
// deep nesting and prototype-pollution keys.
import fc from 'fast-check';
import type { JsonSchema } from './route-registry.js';

/**
 * Real values a generated input may use, so that some requests reach past "not found". Read when a
 * value is generated, not when the arbitrary is built: a test fills them in once its stack is up.
 */
export type Hints = { uuids: string[]; emails: string[]; keys: string[] };

/** One of `list` as it is when generating (`fallback` while it is empty). */
const pick = (list: readonly string[], fallback: string) =>
  fc.nat().map((i) => (list.length === 0 ? fallback : (list[i % list.length] as string)));

/** Strings no UI would send: NUL, lone surrogates, RTL and zero-width marks, a BOM, emoji. */
const awkward = fc.constantFrom(
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  'x\uDC00y',
  '\u202Eevil',
  '\u200B',
  '\uFEFF',
  '🧨'.repeat(50),
  '../../etc/passwd',
  "'; drop table people; --",
  '%00',
  '{{7*7}}',
  ' ',
);

const unicodeString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({
    unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
    maxLength: 4,
  }),
  awkward,
);

/** Strings far past any field's limit: 300 KB (over the body limit) and just under 256 KB. */
export const HUGE_STRINGS = ['a'.repeat(300_000), 'é'.repeat(130_000), 'b'.repeat(256 * 1024 - 200)];

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/**
 * Deeply nested arrays and objects (JSON parsers and validators recurse). At most a few hundred
 * levels: fast-check's own printing of a counterexample recurses too; the fuzzer's raw bodies go
 * deeper.
 */
const deep = fc.integer({ min: 50, max: 400 }).map((depth) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
});

/** An object with a prototype-pollution key as an own property (as JSON.parse makes it). */
const polluting = fc
  .tuple(fc.constantFrom(...PROTOTYPE_KEYS), fc.jsonValue({ maxDepth: 2 }))
  .map(([key, value]) => JSON.parse(`{"${key}": ${JSON.stringify({ polluted: true, value })}}`));

/** Any hostile value, of any type. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  unicodeString,
  fc.constantFrom(...HUGE_STRINGS),
  fc.constantFrom(null, true, false, 0, -1, 1e308, -0, Number.MAX_SAFE_INTEGER + 2, 1.5, '', [], {}),
  deep,
  polluting,
  fc.jsonValue({ maxDepth: 3 }),
);

/** A value that `schema` accepts (mostly: patterns and formats are approximated where noted). */
export function valueFor(schema: JsonSchema, hints: Hints): fc.Arbitrary<unknown> {
  const arbitrary = baseFor(schema, hints);
  return schema.nullable === true ? fc.oneof(arbitrary, fc.constant(null)) : arbitrary;
}

function baseFor(schema: JsonSchema, hints: Hints): fc.Arbitrary<unknown> {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const type = schema.type;
  if (type === 'string') return stringFor(schema, hints);
  if (type === 'integer' || type === 'number') return numberFor(schema, type === 'integer');
  if (type === 'boolean') return fc.boolean();
  if (type === 'array') {
    const items = (schema.items as JsonSchema | undefined) ?? {};
    const minLength = (schema.minItems as number | undefined) ?? 0;
    const maxLength = Math.max(minLength, Math.min((schema.maxItems as number | undefined) ?? 4, 4));
    return fc.array(valueFor(items, hints), { minLength, maxLength });
  }
  if (type === 'object' || schema.properties) return objectFor(schema, hints);
  return fc.jsonValue({ maxDepth: 2 });
}

function stringFor(schema: JsonSchema, hints: Hints): fc.Arbitrary<string> {
  const format = schema.format as string | undefined;
  if (format === 'uuid')
    return fc.oneof(pick(hints.uuids, '00000000-0000-4000-8000-000000000000'), fc.uuid());
  // The document's email pattern is zod's, stricter than fast-check's addresses.
  if (format === 'email') {
    const other =
      typeof schema.pattern === 'string' ? fc.stringMatching(new RegExp(schema.pattern)) : fc.emailAddress();
    return fc.oneof(pick(hints.emails, 'nobody@acme.test'), other);
  }
  if (format === 'date-time') {
    const years = { min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true };
    return fc.date(years).map((d) => d.toISOString());
  }
  const minLength = (schema.minLength as number | undefined) ?? 0;
  const maxLength = Math.max(minLength, Math.min((schema.maxLength as number | undefined) ?? 40, 40));
  if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern), { maxLength });
  return fc.oneof(
    pick(hints.keys, 'key').filter((key) => key.length >= minLength && key.length <= maxLength),
    fc.string({ minLength, maxLength }),
  );
}

function numberFor(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  // OpenAPI 3.0 writes exclusiveMinimum as a flag on minimum; JSON Schema 2020 as the bound itself.
  const exclusive = schema.exclusiveMinimum as boolean | number | undefined;
  const minimum =
    (schema.minimum as number | undefined) ?? (typeof exclusive === 'number' ? exclusive : undefined);
  const min =
    minimum === undefined ? -1_000 : exclusive === undefined || exclusive === false ? minimum : minimum + 1;
  const max = (schema.maximum as number | undefined) ?? min + 1_000_000;
  return integer
    ? fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) })
    : fc.double({ min, max, noNaN: true });
}

function objectFor(schema: JsonSchema, hints: Hints): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
  const required = (schema.required as string[] | undefined) ?? [];
  const record = fc.record(
    Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, valueFor(value, hints)])),
    { requiredKeys: required.filter((key) => key in properties) },
  );
  // An open object (a campaign template) takes any keys: give it some, from the hints too.
  if (schema.additionalProperties === undefined || schema.additionalProperties === false) return record;
  const extra = fc.dictionary(
    fc.oneof(pick(hints.keys, 'key'), fc.string({ maxLength: 12 })),
    fc.jsonValue({ maxDepth: 2 }),
    {
      maxKeys: 4,
    },
  );
  return fc.tuple(record, extra).map(([known, more]) => ({ ...more, ...known }));
}

/**
 * `value` with one hostile change: a field replaced by a hostile value, a field dropped, a
 * prototype-pollution key added, or the whole value replaced.
 */
export function mutationOf(value: unknown): fc.Arbitrary<unknown> {
  const keys = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
  const whole = hostileValue;
  if (keys.length === 0) return whole;
  const object = value as Record<string, unknown>;
  return fc.oneof(
    fc.tuple(fc.constantFrom(...keys), hostileValue).map(([key, hostile]) => ({ ...object, [key]: hostile })),
    fc.constantFrom(...keys).map((key) => {
      const { [key]: _dropped, ...rest } = object;
      return rest;
    }),
    fc
      .tuple(fc.constantFrom(...PROTOTYPE_KEYS), fc.jsonValue({ maxDepth: 1 }))
      .map(([key, extra]) =>
        JSON.parse(
          `{${JSON.stringify(key)}: ${JSON.stringify({ extra })}, ${JSON.stringify(object).slice(1)}`,
        ),
      ),
    whole,
  );
}
