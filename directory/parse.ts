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
  visit,
} from 'yaml';
import { GrantflowError } from '../core/errors.js';
import { type DirectoryFile, directoryFileSchema } from './file-schema.js';
import { describeIssue, type Path } from './parse-issues.js';

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
function formatProblem(problem: DirectoryProblem): string {
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

  // A "\uD800" escape makes a lone surrogate: not text, and nothing downstream (canonical JSON,
  // PostgreSQL) can store it. Refused here, where its position is still known.
  const broken: DirectoryProblem[] = [];
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && LONE_SURROGATE.test(node.value)) {
        broken.push({
          file: fileName,
          ...at(node.range?.[0] ?? 0),
          field: '',
          message:
            'text must be valid Unicode: it holds a lone surrogate (an unpaired \\uD800-\\uDFFF escape)',
        });
      }
    },
  });
  if (broken.length > 0) throw new DirectoryFileError(broken);

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

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `['people', 3, 'manager']` → `people[3].manager`. */
function formatPath(path: Path): string {
  return path
    .map((segment, i) =>
      typeof segment === 'number' ? `[${segment}]` : `${i === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
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
