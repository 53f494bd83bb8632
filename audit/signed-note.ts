// C2SP signed notes (https://c2sp.org/signed-note) carrying tlog checkpoints
// (https://c2sp.org/tlog-checkpoint), byte-compatible with golang.org/x/mod/sumdb/note so that
// existing tools (and auditors) can check grantflow checkpoints. Ed25519 only.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';

/** Signature-type byte of Ed25519 in key ids and encoded keys. */
export const ED25519_SIGNATURE_TYPE = 0x01;

/** A parsed signer key: a name, its key id and the private key. */
export interface NoteSigner {
  name: string;
  keyId: string;
  privateKey: KeyObject;
}

/** A parsed verifier key: a name, its key id and the public key. */
export interface NoteVerifier {
  name: string;
  keyId: string;
  publicKey: KeyObject;
}

/** Who made one signature line: key name and 8-hex-digit key id. */
export interface NoteSignatureRef {
  name: string;
  keyId: string;
}

/** What openNote found: the signed body and how each signature line fared. */
export interface OpenNoteResult {
  body: string;
  verifiedBy: NoteSignatureRef[];
  unknownSignatures: NoteSignatureRef[];
  invalidSignatures: NoteSignatureRef[];
}

/** A freshly generated key pair in the encoded string forms. */
export interface GeneratedSignerKey {
  signerKey: string;
  verifierKey: string;
}

/** A checkpoint to format: who, how big, which root; extension lines are optional. */
export interface CheckpointInput {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  extensions?: readonly string[];
}

/** A parsed checkpoint body. */
export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Buffer;
  extensions: string[];
}

/** The note or checkpoint text does not follow the format; nothing was verified. */
export class MalformedNoteError extends Error {
  /** Stable code for callers that map errors to responses. */
  readonly code = 'malformed_note';

  constructor(message: string) {
    super(message);
    this.name = 'MalformedNoteError';
  }
}

/** A signer or verifier key string is malformed or its key id does not match the key. */
export class InvalidNoteKeyError extends Error {
  /** Stable code for callers that map errors to responses. */
  readonly code = 'invalid_note_key';

  constructor(message: string) {
    super(message);
    this.name = 'InvalidNoteKeyError';
  }
}

/**
 * No signature on the note verified with a known key. `reason` tells a forgery or tampering
 * ('invalid_signature': a known key's signature does not match) from a note signed by a key we
 * were not given ('unknown_key').
 */
export class UnverifiedNoteError extends Error {
  /** Stable code for callers that map errors to responses. */
  readonly code = 'note_unverified';
  /** Why nothing verified. */
  readonly reason: 'invalid_signature' | 'unknown_key';
  /** Signature lines whose key id matches no given verifier. */
  readonly unknownSignatures: NoteSignatureRef[];
  /** Signature lines from a known key that do not verify. */
  readonly invalidSignatures: NoteSignatureRef[];

  constructor(unknownSignatures: NoteSignatureRef[], invalidSignatures: NoteSignatureRef[]) {
    const reason = invalidSignatures.length > 0 ? 'invalid_signature' : 'unknown_key';
    const list = (refs: NoteSignatureRef[]) => refs.map((ref) => `${ref.name}+${ref.keyId}`).join(', ');
    super(
      reason === 'invalid_signature'
        ? `note signature does not verify for ${list(invalidSignatures)}`
        : `note is signed only by unknown keys: ${list(unknownSignatures)}`,
    );
    this.name = 'UnverifiedNoteError';
    this.reason = reason;
    this.unknownSignatures = unknownSignatures;
    this.invalidSignatures = invalidSignatures;
  }
}

// DER wrappers that turn raw 32-byte Ed25519 keys into what node:crypto imports.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** What every note signature line starts with: an em dash and a space. */
export const SIGNATURE_PREFIX = '\u2014 ';
// Same cap as the Go implementation: a note is small, and unbounded signature lines are a cheap
// way to make a verifier do unbounded work.
const MAX_SIGNATURES = 100;
const ED25519_SIGNATURE_SIZE = 64;

/** Generates a new Ed25519 key pair named `name`, as signer and verifier key strings. */
export function generateSignerKey(name: string): GeneratedSignerKey {
  assertKeyName(name, InvalidNoteKeyError);
  const seed = randomBytes(32);
  const publicKey = rawPublicKey(privateKeyFromSeed(seed));
  const keyId = noteKeyId(name, publicKey);
  return {
    signerKey: `PRIVATE+KEY+${name}+${keyId}+${encodeKey(seed)}`,
    verifierKey: `${name}+${keyId}+${encodeKey(publicKey)}`,
  };
}

/**
 * Key id of a key: first 4 bytes of SHA-256(name ‖ 0x0A ‖ type ‖ public key), as hex. The type is
 * 0x01 for a note signer (Ed25519) and 0x04 for a tlog-cosignature/v1 witness.
 */
export function noteKeyId(name: string, publicKey: Uint8Array, type = ED25519_SIGNATURE_TYPE): string {
  return createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, type]))
    .update(publicKey)
    .digest()
    .subarray(0, 4)
    .toString('hex');
}

/** Parses `PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 ‖ seed)>` and checks the key id. */
export function parseSignerKey(signerKey: string): NoteSigner {
  const prefix = 'PRIVATE+KEY+';
  if (typeof signerKey !== 'string' || !signerKey.startsWith(prefix)) {
    throw new InvalidNoteKeyError('signer key must start with PRIVATE+KEY+');
  }
  const { name, keyId, key } = splitKey(signerKey.slice(prefix.length), 'signer');
  const privateKey = privateKeyFromSeed(key);
  if (noteKeyId(name, rawPublicKey(privateKey)) !== keyId) {
    throw new InvalidNoteKeyError(`signer key ${name}: key id ${keyId} does not match the key`);
  }
  return { name, keyId, privateKey };
}

/** Parses `<name>+<hex key id>+<base64(0x01 ‖ public key)>` and checks the key id. */
export function parseVerifierKey(verifierKey: string): NoteVerifier {
  if (typeof verifierKey !== 'string') throw new InvalidNoteKeyError('verifier key must be a string');
  const { name, keyId, key } = splitKey(verifierKey, 'verifier');
  if (noteKeyId(name, key) !== keyId) {
    throw new InvalidNoteKeyError(`verifier key ${name}: key id ${keyId} does not match the key`);
  }
  return { name, keyId, publicKey: ed25519PublicKey(key) };
}

/** A raw 32-byte Ed25519 public key as a node:crypto key. */
export function ed25519PublicKey(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** Formats a checkpoint body: origin, decimal size, base64 root hash, extension lines. */
export function formatCheckpoint(checkpoint: CheckpointInput): string {
  const { origin, size, rootHash, extensions = [] } = checkpoint;
  if (!isValidOrigin(origin)) {
    throw new MalformedNoteError("checkpoint origin must be one word with no Unicode spaces or '+'");
  }
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new MalformedNoteError('checkpoint size must be a safe integer ≥ 0');
  }
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== 32) {
    throw new MalformedNoteError('checkpoint root hash must be 32 bytes');
  }
  for (const line of extensions) {
    if (!isSingleLine(line)) throw new MalformedNoteError('checkpoint extension lines must be single lines');
  }
  const lines = [origin, String(size), Buffer.from(rootHash).toString('base64'), ...extensions];
  return `${lines.join('\n')}\n`;
}

/** Parses a checkpoint body (the note body, without signatures). */
export function parseCheckpoint(body: string): Checkpoint {
  if (typeof body !== 'string' || !body.endsWith('\n')) {
    throw new MalformedNoteError('checkpoint must end with a newline');
  }
  const [origin = '', sizeText = '', rootText = '', ...extensions] = body.slice(0, -1).split('\n');
  if (!isSingleLine(origin)) throw new MalformedNoteError('checkpoint origin line is empty or invalid');
  // No leading zeros, so one size has one spelling and the signed bytes are unambiguous.
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    throw new MalformedNoteError(`checkpoint size "${sizeText}" is not a decimal tree size`);
  }
  const rootHash = decodeBase64Strict(rootText);
  if (rootHash?.length !== 32) throw new MalformedNoteError('checkpoint root hash is not base64 of 32 bytes');
  for (const line of extensions) {
    if (!isSingleLine(line)) throw new MalformedNoteError('checkpoint has an invalid extension line');
  }
  return { origin, size: Number(sizeText), rootHash, extensions };
}

/**
 * The `time <ISO 8601>` extension line that checkpoints sealed before carried, if any. New
 * checkpoints keep their sealing time in their row instead (C2SP advises against extension lines).
 */
export function signedTime(checkpoint: Checkpoint): string | undefined {
  return checkpoint.extensions.find((line) => line.startsWith('time '))?.slice(5);
}

/** Signs `body` with one or more keys and returns the signed note text. */
export function signNote(body: string, signers: NoteSigner | readonly NoteSigner[]): string {
  assertNoteText(body);
  const list = Array.isArray(signers) ? signers : [signers as NoteSigner];
  if (list.length === 0) throw new MalformedNoteError('a note needs at least one signer');
  const message = Buffer.from(body, 'utf8');
  const lines = list.map((signer) => {
    const signature = sign(null, message, signer.privateKey);
    const blob = Buffer.concat([Buffer.from(signer.keyId, 'hex'), signature]).toString('base64');
    return `${SIGNATURE_PREFIX}${signer.name} ${blob}\n`;
  });
  return `${body}\n${lines.join('')}`;
}

/**
 * Opens a signed note: returns the body when at least one signature verifies with one of
 * `verifiers` (selected by name and key id, so old and new keys can be passed during a
 * rotation). Throws MalformedNoteError for a note that does not parse, UnverifiedNoteError
 * when nothing verifies. Invalid signatures beside a valid one are reported, not thrown: the
 * caller decides whether that is fatal.
 */
export function openNote(text: string, verifiers: readonly NoteVerifier[]): OpenNoteResult {
  const { body, signatures } = splitNote(text);
  const byKey = new Map(verifiers.map((verifier) => [`${verifier.name}+${verifier.keyId}`, verifier]));
  const message = Buffer.from(body, 'utf8');
  const result: OpenNoteResult = { body, verifiedBy: [], unknownSignatures: [], invalidSignatures: [] };
  const seen = new Set<string>();
  for (const { name, keyId, signature } of signatures) {
    const ref = { name, keyId };
    const verifier = byKey.get(`${name}+${keyId}`);
    if (!verifier) {
      result.unknownSignatures.push(ref);
    } else if (
      signature.length === ED25519_SIGNATURE_SIZE &&
      verify(null, message, verifier.publicKey, signature)
    ) {
      // The same key signing twice still counts once.
      if (!seen.has(`${name}+${keyId}`)) result.verifiedBy.push(ref);
      seen.add(`${name}+${keyId}`);
    } else {
      result.invalidSignatures.push(ref);
    }
  }
  if (result.verifiedBy.length === 0) {
    throw new UnverifiedNoteError(result.unknownSignatures, result.invalidSignatures);
  }
  return result;
}

/** One parsed signature line: key name, key id (hex) and what follows the key id. */
export interface NoteSignatureLine {
  name: string;
  keyId: string;
  signature: Buffer;
  /** The line as written, without its newline. */
  line: string;
}

/**
 * Splits a signed note into its body (ending in a newline) and its parsed signature lines,
 * verifying nothing. Throws MalformedNoteError for a note that does not follow the format.
 */
export function splitNote(text: string): { body: string; signatures: NoteSignatureLine[] } {
  if (typeof text !== 'string') throw new MalformedNoteError('note must be a string');
  assertNoteText(text);
  // Signature lines never contain a blank line, so the last one separates body and signatures.
  const split = text.lastIndexOf('\n\n');
  if (split < 0) throw new MalformedNoteError('note has no signature block after a blank line');
  const body = text.slice(0, split + 1);
  const lines = text.slice(split + 2).split('\n');
  if (lines.pop() !== '' || lines.length === 0) {
    throw new MalformedNoteError('note signature block must be non-empty lines ending in a newline');
  }
  if (lines.length > MAX_SIGNATURES) throw new MalformedNoteError('note has too many signatures');
  return { body, signatures: lines.map(parseSignatureLine) };
}

/** Parses one `— <name> base64(key id ‖ signature)` line (without its newline). */
function parseSignatureLine(line: string): NoteSignatureLine {
  if (!line.startsWith(SIGNATURE_PREFIX)) {
    throw new MalformedNoteError('note signature line must start with "\u2014 "');
  }
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? '' : rest.slice(0, space);
  assertKeyName(name, MalformedNoteError);
  const blob = decodeBase64Strict(rest.slice(space + 1));
  if (!blob || blob.length < 5) throw new MalformedNoteError(`note signature by ${name} is not valid base64`);
  return { name, keyId: blob.subarray(0, 4).toString('hex'), signature: blob.subarray(4), line };
}

/**
 * Splits `<name>+<hex key id>+<base64(type ‖ 32-byte key)>` without checking the key id (which
 * depends on the type). `kind` names the key in errors.
 */
export function splitKey(
  text: string,
  kind: string,
  type = ED25519_SIGNATURE_TYPE,
): { name: string; keyId: string; key: Buffer } {
  // The base64 part may itself contain '+', so split on the first two only.
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) throw new InvalidNoteKeyError(`${kind} key must look like <name>+<key id>+<key>`);
  const name = text.slice(0, first);
  const keyId = text.slice(first + 1, second).toLowerCase();
  assertKeyName(name, InvalidNoteKeyError);
  if (!/^[0-9a-f]{8}$/.test(keyId)) throw new InvalidNoteKeyError(`${kind} key id must be 8 hex digits`);
  const encoded = decodeBase64Strict(text.slice(second + 1));
  if (encoded?.length !== 33 || encoded[0] !== type) {
    const typeByte = `0x${type.toString(16).padStart(2, '0')}`;
    throw new InvalidNoteKeyError(
      `${kind} key must be base64 of ${typeByte} followed by a 32-byte Ed25519 key`,
    );
  }
  return { name, keyId, key: encoded.subarray(1) };
}

/** An Ed25519 private key from its 32-byte seed. */
export function privateKeyFromSeed(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** The raw 32-byte public key of an Ed25519 private key. */
export function rawPublicKey(privateKey: KeyObject): Buffer {
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return spki.subarray(SPKI_ED25519_PREFIX.length);
}

function encodeKey(raw: Buffer): string {
  return Buffer.concat([Buffer.from([ED25519_SIGNATURE_TYPE]), raw]).toString('base64');
}

// Buffer.from(x, 'base64') ignores junk and bad padding; a signed format must have one
// spelling per value, so accept only what re-encodes to the same text.
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/**
 * C2SP signed-note: a key name is non-empty, well-formed UTF-8, with neither Unicode spaces nor
 * '+'. "Unicode spaces" is the White_Space property, which Go's unicode.IsSpace tests and the
 * reference verifier refuses. JavaScript's `\s` is a different set: it lacks U+0085 (NEL) and
 * adds U+FEFF, so it would accept names Go refuses and refuse names Go accepts.
 */
export function isValidKeyName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    name.length > 0 &&
    !/[\p{White_Space}+]/u.test(name) &&
    !hasLoneSurrogate(name)
  );
}

/**
 * C2SP tlog-checkpoint: the origin SHOULD be a schema-less URL with neither Unicode spaces nor
 * '+' (the rule of key names, so the origin can name the log's key). We sign only origins that
 * follow it; checkpoints from elsewhere are read as long as the line is well formed.
 */
export function isValidOrigin(origin: unknown): origin is string {
  return isValidKeyName(origin) && isSingleLine(origin);
}

/** Throws `ErrorClass` unless `name` is a valid key name. */
export function assertKeyName(name: string, ErrorClass: new (message: string) => Error): void {
  if (!isValidKeyName(name)) {
    throw new ErrorClass(`key name "${name}" must be non-empty UTF-8 with no Unicode spaces or '+'`);
  }
}

function assertNoteText(text: string): void {
  if (typeof text !== 'string' || text.length === 0 || !text.endsWith('\n')) {
    throw new MalformedNoteError('note text must be non-empty and end with a newline');
  }
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x0a) {
      throw new MalformedNoteError('note text must not contain control characters other than newline');
    }
  }
  if (hasLoneSurrogate(text)) throw new MalformedNoteError('note text must be valid UTF-8');
}

/** A non-empty line of valid UTF-8 with no control characters. */
function isSingleLine(line: unknown): line is string {
  if (typeof line !== 'string' || line.length === 0 || hasLoneSurrogate(line)) return false;
  for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) < 0x20) return false;
  return true;
}

function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
