// RFC 8785 JSON Canonicalization Scheme (JCS). The ledger hashes canonical bytes, so the same
// event must always serialise to the same bytes, whichever process or language wrote it.
// audit/proof-verify.ts carries a copy of this algorithm so an auditor can run it alone; the
// unit tests check that both agree.

/** Thrown when a value has no canonical JSON form (NaN, bigint, a cycle, a lone surrogate, ...). */
export class CanonicalizationError extends Error {
  /** Stable code for callers that map errors to responses. */
  readonly code = 'canonicalization_failed';
  /** Where in the value the problem is: keys and array indexes from the root. */
  readonly path: (string | number)[];
  /** What is wrong there, without the location. */
  readonly problem: string;

  constructor(path: (string | number)[], problem: string) {
    super(`cannot canonicalize ${formatPath('$', path)}: ${problem}`);
    this.name = 'CanonicalizationError';
    this.path = path;
    this.problem = problem;
  }
}

/** Renders a value path as `root.key[0].other` for error messages. */
export function formatPath(root: string, path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : `${text}.${segment}`),
    root,
  );
}

// A lone surrogate cannot be encoded as UTF-8; letting it through would hash U+FFFD instead of
// the value the writer gave (RFC 8785 §3.1 requires I-JSON input, which forbids it).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Serialises a JSON-compatible value to its RFC 8785 canonical text. */
export function canonicalize(value: unknown): string {
  return serialize(value, [], new Set());
}

/** The UTF-8 bytes of `canonicalize(value)`: what the ledger hashes. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalize(value), 'utf8');
}

function serialize(value: unknown, path: (string | number)[], ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return serializeNumber(value, path);
    case 'string':
      return serializeString(value, path);
    case 'object':
      return serializeObject(value, path, ancestors);
    case 'undefined':
      throw new CanonicalizationError(path, 'undefined is not JSON');
    default:
      throw new CanonicalizationError(path, `a ${typeof value} is not JSON`);
  }
}

function serializeNumber(value: number, path: (string | number)[]): string {
  if (!Number.isFinite(value)) throw new CanonicalizationError(path, `${value} is not a finite number`);
  // ECMAScript Number::toString is exactly the RFC 8785 §3.2.2.3 algorithm, except -0 prints as
  // "0" in both, so String() suffices.
  return String(value);
}

function serializeString(value: string, path: (string | number)[]): string {
  if (LONE_SURROGATE.test(value)) throw new CanonicalizationError(path, 'string contains a lone surrogate');
  // JSON.stringify escapes exactly what RFC 8785 §3.2.2.2 asks: ", \, the short forms \b \f \n
  // \r \t, other controls as \u00xx lowercase; everything else is left as is.
  return JSON.stringify(value);
}

function serializeObject(value: object, path: (string | number)[], ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new CanonicalizationError(path, 'circular reference');
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    // Honour toJSON like JSON.stringify does, so a Date becomes its ISO string.
    return serialize(toJSON.call(value), path, ancestors);
  }
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      // An undefined element would silently become null in JSON.stringify; refuse instead.
      const items = Array.from(value, (item, i) => serialize(item, [...path, i], ancestors));
      return `[${items.join(',')}]`;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      // Maps, Sets and class instances would serialise as {} or lose fields: not what the writer meant.
      throw new CanonicalizationError(
        path,
        `a ${proto?.constructor?.name ?? 'non-plain'} object is not JSON`,
      );
    }
    const record = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 specifies.
    const keys = Object.keys(record).sort();
    const members: string[] = [];
    for (const key of keys) {
      const member = record[key];
      if (member === undefined) continue;
      const memberPath = [...path, key];
      members.push(`${serializeString(key, memberPath)}:${serialize(member, memberPath, ancestors)}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}
