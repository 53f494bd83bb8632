// Turns zod's issues about a directory file into readable messages: what is wrong, what was found
// instead, and "did you mean" for a misspelt field name.
import type { z } from 'zod';
import { DIRECTORY_SECTIONS, directoryFileSchema } from './file-schema.js';

/** A path into the file, as zod reports it (`['people', 3, 'manager']`). */
export type Path = readonly PropertyKey[];

// Turns one zod issue into messages that say what is wrong and what was found.
export function describeIssue(
  issue: z.core.$ZodIssue,
  root: unknown,
): { path: Path; message: string; atKey?: boolean }[] {
  const path = issue.path;
  const found = valueAt(root, path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((name) => ({
        path: [...path, name],
        message: `unknown field "${name}"${suggest(name)}`,
        atKey: true,
      }));
    case 'invalid_type':
      if (found.present === false) {
        return [{ path, message: path.length === 1 ? sectionMissing(String(path[0])) : 'is required' }];
      }
      if (path.length === 0) {
        return [
          {
            path,
            message: `the file must be a mapping with ${sectionList()}, found ${describe(found.value)}`,
          },
        ];
      }
      return [{ path, message: `must be ${expected(issue.expected)}, found ${describe(found.value)}` }];
    case 'invalid_value':
      return [
        {
          path,
          message: `must be ${issue.values.length === 1 ? '' : 'one of '}${issue.values
            .map((v) => JSON.stringify(v))
            .join(', ')}, found ${describe(found.value)}`,
        },
      ];
    case 'invalid_union':
      // A discriminated union reports at the discriminator but passes the whole object as input.
      if ('discriminator' in issue && typeof issue.discriminator === 'string') {
        const kind = valueAt(root, [...path]);
        return [
          { path, message: `${issue.message}, found ${kind.present ? describe(kind.value) : 'nothing'}` },
        ];
      }
      return [{ path, message: withFound(issue.message, found) }];
    case 'too_small':
      if (issue.origin === 'array') {
        const count = Array.isArray(found.value) ? found.value.length : 0;
        return [{ path, message: `${issue.message}, found ${count}` }];
      }
      if (issue.origin === 'string') return [{ path, message: issue.message }];
      return [
        {
          path,
          message: `must be ${issue.inclusive ? 'at least' : 'greater than'} ${issue.minimum}, found ${describe(found.value)}`,
        },
      ];
    case 'too_big':
      return [
        {
          path,
          message: `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}, found ${describe(found.value)}`,
        },
      ];
    default:
      return [{ path, message: withFound(issue.message, found) }];
  }
}

// Requirement messages ("must be ...") get the value found appended; cross-reference messages already
// name the offending value.
function withFound(message: string, found: { present: boolean; value?: unknown }): string {
  if (!found.present || !message.startsWith('must') || /\bfound\b/.test(message)) return message;
  return `${message}, found ${describe(found.value)}`;
}

function sectionList(): string {
  return DIRECTORY_SECTIONS.map((s) => `"${s}"`).join(', ');
}

function sectionMissing(section: string): string {
  return `section "${section}" is required (the file is the whole directory; write "${section}: []" if there are none)`;
}

function expected(type: string): string {
  const names: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping',
    record: 'a mapping',
  };
  return names[type] ?? type;
}

/** A short, quoted rendering of a found value. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return `a list of ${value.length} item(s)`;
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

function valueAt(root: unknown, path: Path): { present: boolean; value?: unknown } {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || !(segment in current)) return { present: false };
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return { present: current !== undefined, value: current };
}

// Every field name the format knows, for "did you mean" on an unknown field.
const KNOWN_FIELDS = collectFieldNames(directoryFileSchema);

function suggest(name: string): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const field of KNOWN_FIELDS) {
    const distance = levenshtein(name.toLowerCase(), field.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [field, distance];
  }
  return best ? ` (did you mean "${best}"?)` : '';
}

function collectFieldNames(
  schema: unknown,
  names = new Set<string>(),
  seen = new Set<unknown>(),
): Set<string> {
  if (seen.has(schema) || schema === null || typeof schema !== 'object') return names;
  seen.add(schema);
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  if (!def) return names;
  if (def.type === 'object' && def.shape && typeof def.shape === 'object') {
    for (const [field, inner] of Object.entries(def.shape)) {
      names.add(field);
      collectFieldNames(inner, names, seen);
    }
  }
  for (const child of [def.element, def.innerType, def.in, def.out, def.valueType, def.schema]) {
    collectFieldNames(child, names, seen);
  }
  if (Array.isArray(def.options)) for (const option of def.options) collectFieldNames(option, names, seen);
  return names;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
