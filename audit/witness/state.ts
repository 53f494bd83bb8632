// A witness's state directory: its key, the logs it trusts, the latest checkpoint it cosigned
// for each, and the record of what it refused. Small files, each written whole (temporary file,
// fsync, rename), so a crash leaves the old state or the new one, never half of either.
import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../../core/errors.js';
import { type CosignerKey, cosignerKeyFromSeed, generateCosignerKey } from '../cosignature.js';
import { isValidKeyName, isValidOrigin, type NoteVerifier, parseVerifierKey } from '../signed-note.js';

/** A log the witness cosigns for: its origin line and the verifier keys it trusts for it. */
export type TrustedLog = { origin: string; verifierKeys: string[] };

/** The latest checkpoint cosigned for one origin: its size and root (base64), as signed. */
export type CosignedHead = { size: number; rootHash: string; cosignedAt: string };

/** What `serve` loads: the key, the trusted logs (keys parsed) and the cosigned heads. */
export type WitnessState = {
  dir: string;
  key: CosignerKey;
  logs: Map<string, NoteVerifier[]>;
  heads: Record<string, CosignedHead>;
};

const KEY_FILE = 'witness-key.json';
const CONFIG_FILE = 'config.json';
const HEADS_FILE = 'heads.json';
const REFUSALS_FILE = 'refusals.jsonl';
const LOCK_FILE = 'serve.lock';

/** The state directory is missing, incomplete or already in use; nothing was changed. */
class WitnessStateError extends ValidationError {}

/**
 * Creates a state directory: a new Ed25519 key (mode 0600) named `name`, and the trusted logs.
 * Each log's origin is its key's name unless given, as grantflow names its key after the origin.
 */
export function initWitnessState(
  dir: string,
  input: { name: string; logKeys: string[]; origin?: string },
): CosignerKey {
  if (existsSync(path.join(dir, KEY_FILE))) {
    throw new WitnessStateError(`${dir} already holds a witness key; refusing to replace it`);
  }
  if (!isValidKeyName(input.name)) {
    throw new WitnessStateError(`--name "${input.name}" must be a key name: no Unicode spaces and no '+'`);
  }
  if (input.logKeys.length === 0) throw new WitnessStateError('give at least one --log <verifier key>');
  if (input.origin !== undefined && !isValidOrigin(input.origin)) {
    throw new WitnessStateError(`--origin "${input.origin}" is not a valid checkpoint origin`);
  }
  const logs: TrustedLog[] = [];
  for (const text of input.logKeys) {
    let verifier: NoteVerifier;
    try {
      verifier = parseVerifierKey(text);
    } catch (error) {
      throw new WitnessStateError(`--log ${text}: ${(error as Error).message}`);
    }
    const origin = input.origin ?? verifier.name;
    const log = logs.find((candidate) => candidate.origin === origin);
    if (log) log.verifierKeys.push(text);
    else logs.push({ origin, verifierKeys: [text] });
  }
  const { seed, key } = generateCosignerKey(input.name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileAtomic(path.join(dir, CONFIG_FILE), `${JSON.stringify({ logs }, null, 2)}\n`);
  writeFileAtomic(path.join(dir, HEADS_FILE), '{}\n');
  writeFileAtomic(
    path.join(dir, KEY_FILE),
    `${JSON.stringify({ name: input.name, seed: seed.toString('base64') })}\n`,
    0o600,
  );
  return key;
}

/** The witness's key, read from its state directory. */
export function loadWitnessKey(dir: string): CosignerKey {
  const file = path.join(dir, KEY_FILE);
  if (!existsSync(file))
    throw new WitnessStateError(`${dir} holds no witness key; run grantflow witness init`);
  const { name, seed } = JSON.parse(readFileSync(file, 'utf8')) as { name: string; seed: string };
  return cosignerKeyFromSeed(name, Buffer.from(seed, 'base64'));
}

/** Everything `serve` needs from the state directory. */
export function loadWitnessState(dir: string): WitnessState {
  const key = loadWitnessKey(dir);
  const config = JSON.parse(readFileSync(path.join(dir, CONFIG_FILE), 'utf8')) as { logs: TrustedLog[] };
  const logs = new Map(config.logs.map((log) => [log.origin, log.verifierKeys.map(parseVerifierKey)]));
  const heads = JSON.parse(readFileSync(path.join(dir, HEADS_FILE), 'utf8')) as Record<string, CosignedHead>;
  return { dir, key, logs, heads };
}

/** Persists the cosigned heads before the cosignature leaves the process. */
export function saveHeads(dir: string, heads: Record<string, CosignedHead>): void {
  writeFileAtomic(path.join(dir, HEADS_FILE), `${JSON.stringify(heads, null, 2)}\n`);
}

/** Appends one refusal (with the request as received) to refusals.jsonl, synced. */
export function recordRefusal(dir: string, refusal: Record<string, unknown>): void {
  const fd = openSync(path.join(dir, REFUSALS_FILE), 'a', 0o600);
  try {
    appendFileSync(fd, `${JSON.stringify(refusal)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The refusals recorded so far, oldest first. */
export function readRefusals(dir: string): Record<string, unknown>[] {
  const file = path.join(dir, REFUSALS_FILE);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * Takes the directory's lock so that a second `serve` cannot cosign from the same state (two
 * processes could each accept a different fork). A lock left by a process that is gone is taken
 * over. Returns the release function.
 */
export function lockWitnessState(dir: string): () => void {
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
        throw new WitnessStateError(`${dir} is in use by witness process ${holder} (${file})`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new WitnessStateError(`could not lock ${dir}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function writeFileAtomic(file: string, text: string, mode = 0o644): void {
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
  // The rename itself is durable only once the directory is synced.
  const dirFd = openSync(path.dirname(file), 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
