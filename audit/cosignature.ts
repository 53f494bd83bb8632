// C2SP tlog-cosignature v1 (https://c2sp.org/tlog-cosignature), Ed25519: a witness's timestamped
// statement that a checkpoint is the largest consistent tree it has seen for that log. A
// cosignature is an ordinary note signature line, so it travels beside the log's own signature
// and any C2SP-aware verifier holding the witness's key can check it.
import { type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import {
  assertKeyName,
  ed25519PublicKey,
  InvalidNoteKeyError,
  MalformedNoteError,
  type NoteSignatureLine,
  noteKeyId,
  privateKeyFromSeed,
  rawPublicKey,
  SIGNATURE_PREFIX,
  splitKey,
  splitNote,
} from './signed-note.js';

/** Signature-type byte of a cosignature/v1 (Ed25519) key, in its key id and vkey. */
export const COSIGNATURE_V1_TYPE = 0x04;

/** How far ahead of our clock a cosignature's timestamp may be before it is refused. */
const COSIGNATURE_CLOCK_SKEW_SECONDS = 300;

const ED25519_SIGNATURE_SIZE = 64;
const MAX_TIMESTAMP = 2n ** 63n - 1n;

/** A witness's signing key: its name, key id and private key. */
export interface CosignerKey {
  name: string;
  keyId: string;
  privateKey: KeyObject;
  /** The C2SP vkey: `<name>+<key id>+base64(0x04 ‖ public key)`. */
  verifierKey: string;
}

/** A witness's verifier key, parsed from its vkey. */
export interface CosignatureVerifier {
  name: string;
  keyId: string;
  publicKey: KeyObject;
  verifierKey: string;
}

/** A cosignature that verified: who made it and when (POSIX seconds). */
export interface VerifiedCosignature {
  name: string;
  keyId: string;
  timestamp: number;
  /** The signature line as written, without its newline. */
  line: string;
}

/** The cosignature line does not verify with the witness's key; `reason` says why. */
export class InvalidCosignatureError extends Error {
  /** Stable code for callers that map errors to responses. */
  readonly code = 'invalid_cosignature';

  constructor(message: string) {
    super(message);
    this.name = 'InvalidCosignatureError';
  }
}

/** Generates a witness key named `name`; returns the seed (to store) and the key. */
export function generateCosignerKey(name: string): { seed: Buffer; key: CosignerKey } {
  const seed = randomBytes(32);
  return { seed, key: cosignerKeyFromSeed(name, seed) };
}

/** The witness key named `name` whose 32-byte Ed25519 seed is `seed`. */
export function cosignerKeyFromSeed(name: string, seed: Buffer): CosignerKey {
  assertKeyName(name, InvalidNoteKeyError);
  if (seed.length !== 32) throw new InvalidNoteKeyError('a witness key seed is 32 bytes');
  const privateKey = privateKeyFromSeed(seed);
  const publicKey = rawPublicKey(privateKey);
  const keyId = noteKeyId(name, publicKey, COSIGNATURE_V1_TYPE);
  const encoded = Buffer.concat([Buffer.from([COSIGNATURE_V1_TYPE]), publicKey]).toString('base64');
  return { name, keyId, privateKey, verifierKey: `${name}+${keyId}+${encoded}` };
}

/** Parses a witness vkey `<name>+<hex key id>+base64(0x04 ‖ public key)` and checks its key id. */
export function parseCosignatureVerifier(verifierKey: string): CosignatureVerifier {
  if (typeof verifierKey !== 'string') throw new InvalidNoteKeyError('witness key must be a string');
  const { name, keyId, key } = splitKey(verifierKey, 'witness', COSIGNATURE_V1_TYPE);
  if (noteKeyId(name, key, COSIGNATURE_V1_TYPE) !== keyId) {
    throw new InvalidNoteKeyError(`witness key ${name}: key id ${keyId} does not match the key`);
  }
  return { name, keyId, publicKey: ed25519PublicKey(key), verifierKey };
}

/** The message a cosignature/v1 signs: a header, the time, then the checkpoint body. */
function cosignedMessage(body: string, timestamp: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${body}`, 'utf8');
}

/** Cosigns a checkpoint body at `timestamp` (POSIX seconds); returns the signature line with its newline. */
export function cosign(body: string, key: CosignerKey, timestamp: number): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError('a cosignature timestamp is a whole number of seconds from 0');
  }
  if (!body.endsWith('\n')) throw new MalformedNoteError('a checkpoint body ends with a newline');
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(BigInt(timestamp));
  const signature = sign(null, cosignedMessage(body, timestamp), key.privateKey);
  const blob = Buffer.concat([Buffer.from(key.keyId, 'hex'), stamp, signature]).toString('base64');
  return `${SIGNATURE_PREFIX}${key.name} ${blob}\n`;
}

/** Whether a parsed signature line claims to come from `verifier` (name and key id match). */
function isFrom(line: NoteSignatureLine, verifier: CosignatureVerifier): boolean {
  return line.name === verifier.name && line.keyId === verifier.keyId;
}

/**
 * Verifies a cosignature line (parsed by splitNote) on `body` and returns its timestamp. Refuses a
 * line from another key, a bad signature, and a timestamp beyond `now` plus a small clock skew
 * (a witness cannot vouch for a tree in the future).
 */
export function verifyCosignature(
  body: string,
  line: NoteSignatureLine,
  verifier: CosignatureVerifier,
  now: Date = new Date(),
): VerifiedCosignature {
  if (!isFrom(line, verifier)) {
    throw new InvalidCosignatureError(`signature by ${line.name}+${line.keyId} is not from ${verifier.name}`);
  }
  if (line.signature.length !== 8 + ED25519_SIGNATURE_SIZE) {
    throw new InvalidCosignatureError(`cosignature by ${line.name} is not a timestamped Ed25519 signature`);
  }
  const stamp = line.signature.readBigUInt64BE(0);
  if (stamp > MAX_TIMESTAMP || stamp > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InvalidCosignatureError(`cosignature by ${line.name} has an impossible timestamp`);
  }
  const timestamp = Number(stamp);
  if (!verify(null, cosignedMessage(body, timestamp), verifier.publicKey, line.signature.subarray(8))) {
    throw new InvalidCosignatureError(`cosignature by ${line.name} does not verify`);
  }
  if (timestamp > Math.floor(now.getTime() / 1000) + COSIGNATURE_CLOCK_SKEW_SECONDS) {
    throw new InvalidCosignatureError(
      `cosignature by ${line.name} is dated ${new Date(timestamp * 1000).toISOString()}, in the future`,
    );
  }
  return { name: line.name, keyId: line.keyId, timestamp, line: line.line };
}

/** What cosignaturesOn found on a note: the valid cosignatures (one per witness) and the failures. */
export interface NoteCosignatures {
  body: string;
  valid: VerifiedCosignature[];
  invalid: { name: string; keyId: string; reason: string }[];
}

/**
 * The cosignatures on a signed note from any of `verifiers`, one per witness; other signature
 * lines (the log's own, unknown keys) are ignored. Verifies nothing of the log's signature.
 */
export function cosignaturesOn(
  note: string,
  verifiers: readonly CosignatureVerifier[],
  now: Date = new Date(),
): NoteCosignatures {
  const { body, signatures } = splitNote(note);
  const result: NoteCosignatures = { body, valid: [], invalid: [] };
  for (const line of signatures) {
    const verifier = verifiers.find((candidate) => isFrom(line, candidate));
    if (!verifier || result.valid.some((found) => found.keyId === line.keyId && found.name === line.name))
      continue;
    try {
      result.valid.push(verifyCosignature(body, line, verifier, now));
    } catch (error) {
      result.invalid.push({ name: line.name, keyId: line.keyId, reason: (error as Error).message });
    }
  }
  return result;
}
