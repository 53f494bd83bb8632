/**
 * Offline verification of grantflow audit-ledger proofs. This file stands alone: it imports only
 * node:crypto, so an auditor can copy it out of the repository, read all of it, and run it
 * without trusting anything else grantflow ships. It uses only erasable TypeScript syntax, so
 * `node --experimental-strip-types` (Node ≥ 22.6) or `npx tsx` can run it directly.
 *
 * An inclusion proof (`grantflow audit prove <event>`) is JSON:
 *
 *   {
 *     "event": { ... },                 // the object hashed into the leaf, exactly as hashed
 *     "leafIndex": 41,                  // its 0-based position in the ledger
 *     "treeSize": 1000,                 // size of the tree the checkpoint signs
 *     "auditPath": ["<64 hex>", ...],   // RFC 6962 §2.1.1 PATH, deepest sibling first
 *     "checkpoint": "<signed note>",    // C2SP tlog-checkpoint in a C2SP signed note
 *     "leafHash": "<64 hex>"            // optional; cross-checked against the event when present
 *   }
 *
 * where `event` is the ledger entry `{ "seq", "recorded_at", "event": { ...the audit event } }`,
 * so position and recording time are proven too. A consistency proof (`grantflow audit
 * prove-consistency <from> [to]`, GET /api/v1/audit/consistency) shows that a later checkpoint's
 * tree extends an earlier one's: nothing the earlier one signed was removed or rewritten since.
 *
 *   {
 *     "oldSize": 1000, "oldRoot": "<64 hex>",  // the earlier checkpoint's tree size and root
 *     "newSize": 1500, "newRoot": "<64 hex>",  // the later one's
 *     "proof": ["<64 hex>", ...],             // RFC 6962 §2.1.2 PROOF(oldSize, D[newSize])
 *     "oldCheckpoint": "<signed note>",       // both checkpoints, as signed
 *     "newCheckpoint": "<signed note>"
 *   }
 *
 * Other fields are ignored. A checkpoint note looks like:
 *
 *   grantflow.example.com/audit        <- origin
 *   1000                               <- tree size, decimal
 *   <base64 of the 32-byte root hash>
 *
 *   — grantflow.example.com/audit <base64(4-byte key id ‖ 64-byte Ed25519 signature)>
 *
 * and the public keys are verifier keys as golang.org/x/mod/sumdb/note prints them:
 * `<name>+<8 hex key id>+<base64(0x01 ‖ 32-byte Ed25519 public key)>`. Use:
 *
 *   const bundle = JSON.parse(readFileSync('proof.json', 'utf8'));
 *   const { ok, problems } = checkProofBundle(bundle, [readFileSync('audit-key.pub', 'utf8').trim()]);
 *
 * checkProofBundle checks: leaf = SHA-256(0x00 ‖ RFC 8785 canonical JSON of the event); the audit
 * path leads from it to the checkpoint's root (RFC 9162 §2.1.3.2); a given key signed the
 * checkpoint. checkConsistencyBundle, called the same way, checks: a given key signed both
 * checkpoints, of one origin; the bundle's sizes and roots are the signed ones; the proof leads
 * from the old root to the new (RFC 9162 §2.1.4.2).
 */
import { createHash, createPublicKey, verify } from 'node:crypto';

/** A 32-byte hash as bytes or 64 hex characters. */
export type HashInput = Uint8Array | string;

/** Input of verifyInclusion: one leaf, its position, its audit path and the root to reach. */
export interface InclusionInput {
  leafIndex: number;
  treeSize: number;
  leafHash: HashInput;
  auditPath: readonly HashInput[];
  rootHash: HashInput;
}

/** Input of verifyConsistency: two tree heads and the proof that the second extends the first. */
export interface ConsistencyInput {
  oldSize: number;
  newSize: number;
  oldRoot: HashInput;
  newRoot: HashInput;
  proof: readonly HashInput[];
}

/** A signature line's key: name and 8-hex-digit key id. */
export type NoteKeyRef = { name: string; keyId: string };

/** Outcome of verifySignedNote; trust `body` only when `ok`. */
export interface SignedNoteResult {
  ok: boolean;
  body?: string;
  verifiedBy: NoteKeyRef[];
  unknownSignatures: NoteKeyRef[];
  invalidSignatures: NoteKeyRef[];
  problems: string[];
}

/** Outcome of checkProofBundle and checkConsistencyBundle: ok, or every problem found. */
export type ProofBundleResult = { ok: boolean; problems: string[] };

/** Options of checkProofBundle and checkConsistencyBundle. */
export interface ProofBundleOptions {
  /** The checkpoint origin the auditor expects (the log's name); checked when given. */
  origin?: string;
}

const EM_DASH_PREFIX = '\u2014 ';
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** RFC 9162 §2.1.3.2: does `auditPath` lead from `leafHash` at `leafIndex` to `rootHash`? */
export function verifyInclusion(input: InclusionInput): boolean {
  const { leafIndex, treeSize } = input;
  if (!isSize(leafIndex) || !isSize(treeSize) || leafIndex >= treeSize) return false;
  const leaf = toHash(input.leafHash);
  const root = toHash(input.rootHash);
  const path = Array.isArray(input.auditPath) ? input.auditPath.map(toHash) : [undefined];
  if (!leaf || !root || path.some((p) => p === undefined)) return false;

  // Arithmetic instead of bit operators: indexes past 2^31 must still work.
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of path as Buffer[]) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = hashChildren(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: is the tree `newRoot` of `newSize` an append-only extension of `oldRoot`? */
export function verifyConsistency(input: ConsistencyInput): boolean {
  const { oldSize, newSize } = input;
  if (!isSize(oldSize) || !isSize(newSize) || oldSize > newSize) return false;
  const oldRoot = toHash(input.oldRoot);
  const newRoot = toHash(input.newRoot);
  const proof = Array.isArray(input.proof) ? input.proof.map(toHash) : [undefined];
  if (!oldRoot || !newRoot || proof.some((p) => p === undefined)) return false;
  // The RFC algorithm assumes 0 < old < new; the two edges have an empty proof by definition.
  if (oldSize === newSize) return proof.length === 0 && oldRoot.equals(newRoot);
  if (oldSize === 0) return proof.length === 0 && oldRoot.equals(sha256());
  if (proof.length === 0) return false;

  const path = proof as Buffer[];
  // When the old tree is a perfect subtree its root is the first node, and the proof omits it.
  if (isPowerOfTwo(oldSize)) path.unshift(oldRoot);
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) [fn, sn] = [half(fn), half(sn)];
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = hashChildren(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && fr.equals(oldRoot) && sr.equals(newRoot);
}

/**
 * Verifies a C2SP signed note against verifier key strings. ok means: well formed, at least one
 * signature verifies with a given key, and no signature from a given key fails. Signatures by
 * keys not given (a witness, a key you did not pass) are listed, not held against the note.
 */
export function verifySignedNote(noteText: string, publicKeys: readonly string[]): SignedNoteResult {
  const result: SignedNoteResult = {
    ok: false,
    verifiedBy: [],
    unknownSignatures: [],
    invalidSignatures: [],
    problems: [],
  };
  const keys = new Map<string, ReturnType<typeof createPublicKey>>();
  for (const [i, text] of publicKeys.entries()) {
    const key = parseVerifierKey(text);
    if (typeof key === 'string') result.problems.push(`public key ${i + 1}: ${key}`);
    else keys.set(`${key.name}+${key.keyId}`, key.publicKey);
  }

  if (typeof noteText !== 'string' || !noteText.endsWith('\n') || hasControlOrLoneSurrogate(noteText)) {
    result.problems.push('note is not text ending in a newline without control characters');
    return result;
  }
  const split = noteText.lastIndexOf('\n\n');
  const lines = split < 0 ? [] : noteText.slice(split + 2).split('\n');
  if (split < 0 || lines.pop() !== '' || lines.length === 0 || lines.length > 100) {
    result.problems.push('note has no well-formed signature block after a blank line');
    return result;
  }
  const body = noteText.slice(0, split + 1);
  const message = Buffer.from(body, 'utf8');
  for (const line of lines) {
    const sig = parseSignatureLine(line);
    if (typeof sig === 'string') {
      result.problems.push(sig);
      return result;
    }
    const ref = { name: sig.name, keyId: sig.keyId };
    const key = keys.get(`${sig.name}+${sig.keyId}`);
    if (!key) {
      result.unknownSignatures.push(ref);
    } else if (sig.signature.length === 64 && verify(null, message, key, sig.signature)) {
      const seen = result.verifiedBy.some((v) => v.name === ref.name && v.keyId === ref.keyId);
      if (!seen) result.verifiedBy.push(ref);
    } else {
      result.invalidSignatures.push(ref);
    }
  }
  result.body = body;
  for (const ref of result.invalidSignatures) {
    result.problems.push(
      `signature by ${ref.name}+${ref.keyId} does not verify: the note was altered or forged`,
    );
  }
  if (result.verifiedBy.length === 0 && result.invalidSignatures.length === 0) {
    const names = result.unknownSignatures.map((ref) => `${ref.name}+${ref.keyId}`).join(', ');
    result.problems.push(`note is signed only by keys not given: ${names}`);
  }
  result.ok = result.problems.length === 0 && result.verifiedBy.length > 0;
  return result;
}

/** Verifies a whole proof bundle (format above) against verifier key strings. */
export function checkProofBundle(
  bundle: unknown,
  publicKeys: readonly string[],
  options: ProofBundleOptions = {},
): ProofBundleResult {
  const problems: string[] = [];
  if (typeof bundle !== 'object' || bundle === null || Array.isArray(bundle)) {
    return { ok: false, problems: ['bundle is not a JSON object'] };
  }
  const b = bundle as Record<string, unknown>;
  let leaf: Buffer | undefined;
  if (typeof b.event !== 'object' || b.event === null) problems.push('bundle.event is not an object');
  else {
    try {
      leaf = sha256(Buffer.from([0x00]), Buffer.from(canonicalize(b.event), 'utf8'));
    } catch (err) {
      problems.push(`bundle.event cannot be canonicalized: ${(err as Error).message}`);
    }
  }
  if (leaf && b.leafHash !== undefined) {
    const claimed = toHash(b.leafHash as HashInput);
    if (!claimed) {
      problems.push('bundle.leafHash is not 64 hex characters');
    } else if (!claimed.equals(leaf)) {
      problems.push('bundle.event does not hash to bundle.leafHash: the event was altered');
    }
  }

  const leafIndex = b.leafIndex;
  const treeSize = b.treeSize;
  if (!isSize(leafIndex)) problems.push('bundle.leafIndex is not a non-negative integer');
  if (!isSize(treeSize)) problems.push('bundle.treeSize is not a non-negative integer');
  if (isSize(leafIndex) && isSize(treeSize) && leafIndex >= treeSize) {
    problems.push(`bundle.leafIndex ${leafIndex} is not inside a tree of size ${treeSize}`);
  }
  const hashes = Array.isArray(b.auditPath) ? b.auditPath.map((p) => toHash(p as HashInput)) : [undefined];
  const path = hashes.every((p) => p !== undefined) ? (hashes as Buffer[]) : undefined;
  if (!path) problems.push('bundle.auditPath is not an array of 64-hex hashes');
  const checkpoint = signedCheckpoint(b, 'checkpoint', publicKeys, options, problems);
  if (checkpoint && isSize(treeSize) && checkpoint.size !== treeSize) {
    problems.push(`bundle.treeSize ${treeSize} differs from the checkpoint's size ${checkpoint.size}`);
  }

  if (leaf && checkpoint && path && isSize(leafIndex) && leafIndex < checkpoint.size) {
    const { size, rootHash } = checkpoint;
    const expected = inclusionPathLength(leafIndex, size);
    if (path.length !== expected) {
      problems.push(
        `bundle.auditPath has ${path.length} hashes; leaf ${leafIndex} of ${size} needs ${expected}`,
      );
    } else if (!verifyInclusion({ leafIndex, treeSize: size, leafHash: leaf, auditPath: path, rootHash })) {
      problems.push("the audit path does not lead from the event's leaf hash to the checkpoint root");
    }
  }
  return { ok: problems.length === 0, problems };
}

/** Verifies a consistency bundle (format above) against verifier key strings. */
export function checkConsistencyBundle(
  bundle: unknown,
  publicKeys: readonly string[],
  options: ProofBundleOptions = {},
): ProofBundleResult {
  if (typeof bundle !== 'object' || bundle === null || Array.isArray(bundle)) {
    return { ok: false, problems: ['bundle is not a JSON object'] };
  }
  const b = bundle as Record<string, unknown>;
  const problems: string[] = [];
  const [older, newer] = (['old', 'new'] as const).map((side) => {
    const size = b[`${side}Size`];
    const root = toHash(b[`${side}Root`] as HashInput);
    if (!isSize(size)) problems.push(`bundle.${side}Size is not a non-negative integer`);
    if (!root) problems.push(`bundle.${side}Root is not 64 hex characters`);
    const checkpoint = signedCheckpoint(b, `${side}Checkpoint`, publicKeys, options, problems);
    if (checkpoint && isSize(size) && checkpoint.size !== size) {
      problems.push(`bundle.${side}Size ${size} differs from ${side}Checkpoint's size ${checkpoint.size}`);
    }
    if (checkpoint && root && !checkpoint.rootHash.equals(root)) {
      problems.push(`bundle.${side}Root differs from ${side}Checkpoint's root`);
    }
    return checkpoint;
  });
  const hashes = Array.isArray(b.proof) ? b.proof.map((p) => toHash(p as HashInput)) : [undefined];
  const proof = hashes.every((p) => p !== undefined) ? (hashes as Buffer[]) : undefined;
  if (!proof) problems.push('bundle.proof is not an array of 64-hex hashes');
  if (older && newer && older.origin !== newer.origin) {
    problems.push(`the checkpoints are of two logs: "${older.origin}" and "${newer.origin}"`);
  } else if (older && newer && proof) {
    // The signed sizes and roots, not the bundle's copies: those were only cross-checked above.
    const [oldSize, newSize, oldRoot, newRoot] = [older.size, newer.size, older.rootHash, newer.rootHash];
    if (!verifyConsistency({ oldSize, newSize, oldRoot, newRoot, proof })) {
      problems.push(`the proof does not show that the tree of ${newSize} extends the tree of ${oldSize}`);
    }
  }
  return { ok: problems.length === 0, problems };
}

/**
 * RFC 8785 canonical JSON, identical in behaviour to audit/canonical.ts (tests check they agree):
 * keys sorted by UTF-16 code units, ECMAScript number formatting, undefined object members
 * omitted, toJSON honoured; NaN, Infinity, bigint, functions, symbols, undefined elsewhere,
 * cycles, lone surrogates and non-plain objects throw.
 */
export function canonicalize(value: unknown): string {
  return jcs(value, '$', new Set());
}

function jcs(value: unknown, path: string, ancestors: Set<object>): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) jcsFail(path, `${value} is not a finite number`);
    return String(value);
  }
  if (typeof value === 'string') return jcsString(value, path);
  if (typeof value !== 'object') jcsFail(path, `a ${typeof value} is not JSON`);
  if (ancestors.has(value)) jcsFail(path, 'circular reference');
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return jcs(toJSON.call(value), path, ancestors);
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      return `[${Array.from(value, (item, i) => jcs(item, `${path}[${i}]`, ancestors)).join(',')}]`;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      jcsFail(path, `a ${proto?.constructor?.name ?? 'non-plain'} object is not JSON`);
    }
    const record = value as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(record).sort()) {
      if (record[key] === undefined) continue;
      const memberPath = `${path}.${key}`;
      members.push(`${jcsString(key, memberPath)}:${jcs(record[key], memberPath, ancestors)}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}

function jcsString(value: string, path: string): string {
  if (hasLoneSurrogate(value)) jcsFail(path, 'string contains a lone surrogate');
  return JSON.stringify(value);
}

function jcsFail(path: string, problem: string): never {
  throw new Error(`cannot canonicalize ${path}: ${problem}`);
}

function parseVerifierKey(
  text: unknown,
): { name: string; keyId: string; publicKey: ReturnType<typeof createPublicKey> } | string {
  if (typeof text !== 'string') return 'not a string';
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) return 'not of the form <name>+<key id>+<key>';
  const name = text.slice(0, first);
  const keyId = text.slice(first + 1, second).toLowerCase();
  const raw = decodeBase64(text.slice(second + 1));
  if (!isKeyName(name) || !/^[0-9a-f]{8}$/.test(keyId) || raw?.length !== 33 || raw[0] !== 0x01) {
    return 'not an Ed25519 verifier key <name>+<8 hex>+<base64(0x01 ‖ key)>';
  }
  const pub = raw.subarray(1);
  const expectedId = sha256(Buffer.from(name, 'utf8'), Buffer.from([0x0a, 0x01]), pub).subarray(0, 4);
  if (expectedId.toString('hex') !== keyId) return `key id ${keyId} does not match the key`;
  const der = Buffer.concat([SPKI_ED25519_PREFIX, pub]);
  return { name, keyId, publicKey: createPublicKey({ key: der, format: 'der', type: 'spki' }) };
}

function parseSignatureLine(line: string): { name: string; keyId: string; signature: Buffer } | string {
  if (!line.startsWith(EM_DASH_PREFIX)) return 'note signature line does not start with "\u2014 "';
  const rest = line.slice(EM_DASH_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? '' : rest.slice(0, space);
  const blob = decodeBase64(rest.slice(space + 1));
  if (!isKeyName(name) || !blob || blob.length < 5) return 'note has a malformed signature line';
  return { name, keyId: blob.subarray(0, 4).toString('hex'), signature: blob.subarray(4) };
}

function parseCheckpoint(body: string): { origin: string; size: number; rootHash: Buffer } | string {
  const [origin = '', sizeText = '', rootText = '', ...extensions] = body.slice(0, -1).split('\n');
  if (origin.length === 0) return 'checkpoint has no origin line';
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    return `checkpoint size "${sizeText}" is not a decimal tree size`;
  }
  const rootHash = decodeBase64(rootText);
  if (rootHash?.length !== 32) return 'checkpoint root hash is not base64 of 32 bytes';
  if (extensions.some((line) => line.length === 0)) return 'checkpoint has an empty extension line';
  return { origin, size: Number(sizeText), rootHash };
}

// The checkpoint in bundle[field] once its note verifies and parses (and has the expected
// origin); every problem on the way is pushed to `problems`, prefixed with the field's name.
function signedCheckpoint(
  bundle: Record<string, unknown>,
  field: string,
  publicKeys: readonly string[],
  options: ProofBundleOptions,
  problems: string[],
): { origin: string; size: number; rootHash: Buffer } | undefined {
  const text = bundle[field];
  if (typeof text !== 'string') {
    problems.push(`bundle.${field} is not a signed note`);
    return undefined;
  }
  const note = verifySignedNote(text, publicKeys);
  for (const problem of note.problems) problems.push(`${field}: ${problem}`);
  const parsed = note.body === undefined ? undefined : parseCheckpoint(note.body);
  if (typeof parsed === 'string') problems.push(`${field}: ${parsed}`);
  if (typeof parsed !== 'object') return undefined;
  if (options.origin !== undefined && parsed.origin !== options.origin) {
    problems.push(`${field} origin "${parsed.origin}" is not the expected "${options.origin}"`);
  }
  return parsed;
}

// Length of the RFC 6962 PATH for leaf `index` in a tree of `size`: one hash per split.
function inclusionPathLength(index: number, size: number): number {
  let length = 0;
  for (let i = index, n = size; n > 1; length++) {
    let k = 1;
    while (k * 2 < n) k *= 2;
    [i, n] = i < k ? [i, k] : [i - k, n - k];
  }
  return length;
}

function sha256(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256(Buffer.from([0x01]), left, right);
}

function toHash(value: HashInput): Buffer | undefined {
  if (value instanceof Uint8Array) return value.length === 32 ? Buffer.from(value) : undefined;
  if (typeof value === 'string' && /^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  return undefined;
}

// Only the canonical spelling: Buffer.from(x, 'base64') would skip junk and accept bad padding.
function decodeBase64(text: string): Buffer | undefined {
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

// C2SP signed-note: no Unicode White_Space (as Go's unicode.IsSpace) and no '+'; not JS's \s.
function isKeyName(name: string): boolean {
  return /^[^\p{White_Space}+]+$/u.test(name) && !hasLoneSurrogate(name);
}

function hasControlOrLoneSurrogate(text: string): boolean {
  return Array.from(text).some((c) => c < ' ' && c !== '\n') || hasLoneSurrogate(text);
}

function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

function isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

const isOdd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}
