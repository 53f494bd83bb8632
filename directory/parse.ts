// Reads a directory file and turns every problem (YAML syntax, shape, cross-references) into a
// file:line:column plus a readable field path, so an admin can fix the whole file in one pass.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
} from 'yaml';
import type { z } from 'zod';
import { GrantflowError } from '../core/errors.js';
import { DIRECTORY_SECTIONS, type DirectoryFile, directoryFileSchema } from './file-schema.js';

/** One thing wrong with a directory file, located as precisely as the YAML allows. */
export type DirectoryProblem = {
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** Readable path like `people[3].manager`; empty for the file as a whole. */
  field: string;
  message: string;
};

/** The directory file is unreadable or invalid; `problems` lists everything wrong, in file order. */
export class DirectoryFileError extends GrantflowError {
  constructor(readonly problems: DirectoryProblem[]) {
    super('directory_invalid', problems.map(formatProblem).join('\n'), {
      status: 400,
      details: { problems },
    });
  }
}

/** A validated directory file together with where it came from. */
export type ParsedDirectory = {
  /** The file name as given, used in reports and audit details. */
  fileName: string;
  /** SHA-256 (hex) of the file's text, so an import can be tied to the exact file. */
  sourceHash: string;
  directory: DirectoryFile;
};

/** `acme.yaml:42:7 people[3].manager: no person with email "x@acme.test" in people`. */
export function formatProblem(problem: DirectoryProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  return problem.field ? `${where} ${problem.field}: ${problem.message}` : `${where} ${problem.message}`;
}

/** Reads and validates a directory file; throws DirectoryFileError listing every problem. */
export async function parseDirectoryFile(path: string): Promise<ParsedDirectory> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DirectoryFileError([
      {
        file: path,
        line: 1,
        column: 1,
        field: '',
        message: `cannot read the file: ${(error as Error).message}`,
      },
    ]);
  }
  return parseDirectorySource(text, path);
}

/** Validates directory YAML text; `fileName` only labels problems and the result. */
export function parseDirectorySource(text: string, fileName: string): ParsedDirectory {
  const lineCounter = new LineCounter();
  // prettyErrors would bake "at line N" and a code excerpt into messages; positions are reported separately.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(line, 1), column: Math.max(col, 1) };
  };

  if (doc.errors.length > 0) {
    throw new DirectoryFileError(
      doc.errors.map((error) => ({
        file: fileName,
        ...at(error.pos[0]),
        field: '',
        message: `YAML syntax error: ${error.message}`,
      })),
    );
  }

  let value: unknown;
  try {
    // The default alias limit stops "billion laughs" expansion.
    value = doc.toJS();
  } catch (error) {
    throw new DirectoryFileError([
      { file: fileName, line: 1, column: 1, field: '', message: `YAML error: ${(error as Error).message}` },
    ]);
  }

  const result = directoryFileSchema.safeParse(value, { reportInput: true });
  if (!result.success) {
    const problems = result.error.issues
      .flatMap((issue) => describeIssue(issue, value))
      .map((problem) => {
        const node = locate(doc.contents, problem.path, problem.atKey ?? false);
        return { file: fileName, ...at(node), field: formatPath(problem.path), message: problem.message };
      });
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new DirectoryFileError(problems);
  }
  return {
    fileName,
    sourceHash: createHash('sha256').update(text, 'utf8').digest('hex'),
    directory: result.data,
  };
}

type Path = readonly PropertyKey[];

/** `['people', 3, 'manager']` → `people[3].manager`. */
export function formatPath(path: Path): string {
  return path
    .map((segment, i) =>
      typeof segment === 'number' ? `[${segment}]` : `${i === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}

// Turns one zod issue into messages that say what is wrong and what was found.
function describeIssue(
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

/**
 * The source offset that best shows `path`: a scalar or `[flow]` value where it is, a block collection
 * at its key (it starts on the next line, but its key names it), or the deepest existing parent when the
 * field is missing. `atKey` points at the key itself (for unknown fields).
 */
function locate(contents: unknown, path: Path, atKey: boolean): number {
  let node: unknown = contents;
  let keyNode: Node | undefined;
  let best = offsetOf(contents) ?? 0;
  for (const segment of path) {
    if (isAlias(node)) break;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment,
      );
      if (!pair) return best;
      keyNode = pair.key as Node;
      node = pair.value;
      // A key with no value (`manager:`) still has a position.
      best = offsetOf(node) ?? offsetOf(keyNode) ?? best;
      if ((isCollection(node) && !node.flow) || atKey) best = offsetOf(keyNode) ?? best;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      keyNode = undefined;
      if (node === undefined) return best;
      best = offsetOf(node) ?? best;
    } else {
      return best;
    }
  }
  return best;
}

function offsetOf(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] | null } | null | undefined)?.range;
  return range ? range[0] : undefined;
}
