// How an import compares a database row with its file entry: field-by-field, as canonical JSON.
import { canonicalize } from '../../audit/canonical.js';
import type { FieldChange } from './report.js';

/** Field-by-field differences, in the order given; values compared as canonical JSON. */
export function diff(fields: [field: string, before: unknown, after: unknown][]): FieldChange[] {
  return fields
    .filter(([, before, after]) => !sameJson(before, after))
    .map(([field, before, after]) => ({ field, before: before ?? null, after: after ?? null }));
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalize(toJson(a)) === canonicalize(toJson(b));
}

// Optional fields are absent in parsed objects; JSON (and jsonb) has no `undefined`.
export function toJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
