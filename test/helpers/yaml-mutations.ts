// Random breakage of a YAML file, as an admin's editor (or a hostile upload) might leave it: lines
// deleted, duplicated, swapped and re-indented; keys renamed, retyped and duplicated; scalars
// swapped for other types, random unicode and oversized values; deep nesting; anchors and alias
// bombs. Each mutation is placed by a number the file's size turns into a line, so runs replay.
import fc from 'fast-check';
import { parse } from 'yaml';
import { hostileString, type Json, jsonMutations, mutateJson } from './hostile-json.js';

/** What a mutation may put where a value was: other types, hostile text, YAML's odd scalars. */
const yamlValue: fc.Arbitrary<string> = fc.oneof(
  hostileString.map((text) => JSON.stringify(text)),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    '~',
    'null',
    'yes',
    'no',
    'on',
    '0x1F',
    '1e400',
    '.nan',
    '-.inf',
    '2024-02-30',
    '[]',
    '{}',
    '[a, [b, {c: d}]]',
    '{ email: x }',
    '!!binary aGVsbG8=',
    '!!js/function "x"',
    '!custom tag',
    '*undefined_alias',
    '&anchor value',
    '|',
    '>-',
    "'unterminated",
    '"unterminated',
    '- a\n- b',
    '\t',
    'a: b: c',
  ),
  fc.integer({ min: 10, max: 600 }).map((depth) => `${'['.repeat(depth)}x${']'.repeat(depth)}`),
  fc.integer({ min: 1_000, max: 100_000 }).map((n) => 'y'.repeat(n)),
);

/** One edit of the file's text, at line `at` (modulo the line count). */
export type YamlEdit =
  | { op: 'delete' | 'duplicate' | 'tabify'; at: number }
  | { op: 'swap'; at: number; with: number }
  | { op: 'indent'; at: number; by: number }
  | { op: 'value' | 'key' | 'insert'; at: number; text: string };

const edit: fc.Arbitrary<YamlEdit> = fc.oneof(
  fc.record({
    op: fc.constantFrom('delete' as const, 'duplicate' as const, 'tabify' as const),
    at: fc.nat(),
  }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ op: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -6, max: 6 }) }),
  fc.record({ op: fc.constant('value' as const), at: fc.nat(), text: yamlValue }),
  fc.record({
    op: fc.constant('key' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.constantFrom(
        'email',
        'name',
        'manager',
        'members',
        'key',
        'steps',
        'policy',
        '<<',
        '__proto__',
        '? x',
      ),
      fc.string({ maxLength: 12 }),
    ),
  }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: yamlValue }),
);

/** A YAML "billion laughs": each anchor aliases the one before ten times. */
function aliasBomb(levels: number): string {
  const lines = ['bomb0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < levels; i++) {
    lines.push(`bomb${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  }
  return lines.join('\n');
}

/** Applies text edits line by line. */
function applyYamlEdits(text: string, edits: readonly YamlEdit[]): string {
  const lines = text.split('\n');
  for (const e of edits) {
    const i = e.at % lines.length;
    const line = lines[i] ?? '';
    switch (e.op) {
      case 'delete':
        lines.splice(i, 1);
        break;
      case 'duplicate':
        lines.splice(i, 0, line);
        break;
      case 'tabify':
        lines[i] = line.replace(/^ {2}/, '\t');
        break;
      case 'swap': {
        const j = e.with % lines.length;
        [lines[i], lines[j]] = [lines[j] ?? '', line];
        break;
      }
      case 'indent':
        lines[i] = e.by >= 0 ? ' '.repeat(e.by) + line : line.slice(Math.min(-e.by, line.search(/\S|$/)));
        break;
      case 'value':
        lines[i] = /:\s/.test(line) ? line.replace(/:\s.*$/, `: ${e.text}`) : `${line} ${e.text}`;
        break;
      case 'key':
        lines[i] = line.replace(/^(\s*(?:- )?)[^:\s][^:]*:/, `$1${e.text}:`);
        break;
      case 'insert':
        lines.splice(i, 0, `${line.match(/^\s*/)?.[0] ?? ''}${e.text}`);
        break;
    }
    if (lines.length === 0) lines.push('');
  }
  return lines.join('\n');
}

/** A mutated copy of `source`: text edits, structural edits of the parsed document, or a bomb. */
export function yamlMutationArbitrary(source: string): fc.Arbitrary<{ how: string; text: string }> {
  const document = parse(source) as Json;
  const shown = (how: string, text: string) => ({
    how,
    text,
    [fc.toStringMethod]: () => `${how}: ${text.length} characters`,
  });
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .array(edit, { minLength: 1, maxLength: 4 })
        .map((edits) => shown(`edits ${JSON.stringify(edits).slice(0, 400)}`, applyYamlEdits(source, edits))),
    },
    {
      // Well-formed YAML of the wrong shape (written as JSON, which YAML reads): keys dropped,
      // values retyped, keys added.
      weight: 3,
      arbitrary: jsonMutations(
        3,
        fc.oneof(fc.constantFrom('email', 'key', 'manager', 'extra'), hostileString),
      ).map((mutations) => {
        const changed = mutateJson(document, mutations);
        return shown(`document ${JSON.stringify(mutations).slice(0, 400)}`, JSON.stringify(changed, null, 2));
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 3, max: 9 })
        .map((levels) => shown(`alias bomb of ${levels} levels`, `${aliasBomb(levels)}\n${source}`)),
    },
    {
      // Encodings and line endings: a BOM, CRLF, a NUL byte.
      weight: 1,
      arbitrary: fc
        .constantFrom('\ufeff', '\r\n', '\u0000', '\u2028')
        .map((mark) =>
          shown(
            `mark ${JSON.stringify(mark)}`,
            mark === '\r\n' ? source.replaceAll('\n', '\r\n') : `${mark}${source}`,
          ),
        ),
    },
  );
}
