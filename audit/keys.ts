import { createPublicKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../core/config.js';
import { StartupError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import {
  ED25519_SIGNATURE_TYPE,
  generateSignerKey,
  type NoteSigner,
  type NoteVerifier,
  parseSignerKey,
  parseVerifierKey,
} from './signed-note.js';

/** The checkpoint signer and every key a checkpoint may verify against (current and rotated-out). */
export type LedgerKeys = { signer: NoteSigner; verifierKey: string; verifiers: NoteVerifier[] };

const DEV_KEY_FILE = 'audit-signing.key';

/** Where the development signing key is generated when GRANTFLOW_AUDIT_SIGNING_KEY is unset. */
export function devSigningKeyFile(dataDir: string): string {
  return path.join(dataDir, DEV_KEY_FILE);
}

/**
 * GRANTFLOW_AUDIT_SIGNING_KEY holds a signer key (`PRIVATE+KEY+...`) or the path of a file with
 * one. Without it, a key is generated once into the data directory, with a warning: fine for
 * local development, not for production, where the key must live outside the database host.
 * GRANTFLOW_AUDIT_VERIFIER_KEYS adds the public keys of rotated-out signers.
 */
export function loadLedgerKeys(
  config: Pick<
    Config,
    'GRANTFLOW_AUDIT_SIGNING_KEY' | 'GRANTFLOW_AUDIT_VERIFIER_KEYS' | 'GRANTFLOW_AUDIT_ORIGIN' | 'dataDir'
  >,
  log: Logger,
): LedgerKeys {
  const signerText = signerKeyText(config, log);
  let signer: NoteSigner;
  try {
    signer = parseSignerKey(signerText);
  } catch (error) {
    throw new StartupError(
      'audit_key_invalid',
      `GRANTFLOW_AUDIT_SIGNING_KEY is not a signer key: ${(error as Error).message}`,
      error,
    );
  }
  const verifierKey = verifierKeyOf(signerText);
  const verifiers = [verifierKey, ...rotatedKeys(config)].map((key) => {
    try {
      return parseVerifierKey(key);
    } catch (error) {
      throw new StartupError(
        'audit_key_invalid',
        `GRANTFLOW_AUDIT_VERIFIER_KEYS has an invalid key: ${(error as Error).message}`,
        error,
      );
    }
  });
  return { signer, verifierKey, verifiers };
}

/**
 * The verifier keys someone reading the ledger checks checkpoints with, never creating a key: the
 * keys given (`--key`), else this installation's (its signing key's public half and the rotated-out
 * GRANTFLOW_AUDIT_VERIFIER_KEYS), else GRANTFLOW_AUDIT_VERIFIER_KEYS alone, as on an auditor's
 * machine that holds only public keys.
 */
export function readerVerifierKeys(
  config: Pick<
    Config,
    'GRANTFLOW_AUDIT_SIGNING_KEY' | 'GRANTFLOW_AUDIT_VERIFIER_KEYS' | 'GRANTFLOW_AUDIT_ORIGIN' | 'dataDir'
  >,
  log: Logger,
  given: readonly string[] = [],
): string[] {
  if (given.length > 0) return [...given];
  if (config.GRANTFLOW_AUDIT_SIGNING_KEY || existsSync(devSigningKeyFile(config.dataDir))) {
    const keys = loadLedgerKeys(config, log);
    return [keys.verifierKey, ...rotatedKeys(config)];
  }
  const rotated = rotatedKeys(config);
  if (rotated.length > 0) return rotated;
  throw new StartupError(
    'audit_key_missing',
    'no verifier key to check the checkpoints with: pass --key <verifier key> (`grantflow audit public-key` ' +
      'prints it where the ledger is signed) or set GRANTFLOW_AUDIT_VERIFIER_KEYS',
  );
}

function rotatedKeys(config: Pick<Config, 'GRANTFLOW_AUDIT_VERIFIER_KEYS'>): string[] {
  return (config.GRANTFLOW_AUDIT_VERIFIER_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
}

function signerKeyText(
  config: Pick<Config, 'GRANTFLOW_AUDIT_SIGNING_KEY' | 'GRANTFLOW_AUDIT_ORIGIN' | 'dataDir'>,
  log: Logger,
): string {
  const configured = config.GRANTFLOW_AUDIT_SIGNING_KEY;
  if (configured) {
    if (configured.startsWith('PRIVATE+KEY+')) return configured;
    if (!existsSync(configured)) {
      throw new StartupError(
        'audit_key_missing',
        `GRANTFLOW_AUDIT_SIGNING_KEY is neither a signer key nor an existing file: ${configured}`,
      );
    }
    return readFileSync(configured, 'utf8').trim();
  }
  const file = devSigningKeyFile(config.dataDir);
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    // Named after the origin, as C2SP tlog-checkpoint recommends, so a verifier can tell which
    // log a key speaks for. Keys generated before (named grantflow-dev) keep working.
    const { signerKey } = generateSignerKey(config.GRANTFLOW_AUDIT_ORIGIN);
    writeFileSync(file, `${signerKey}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    log.warn(
      `generated an audit signing key in ${file} for local development; in production set ` +
        'GRANTFLOW_AUDIT_SIGNING_KEY to a key kept outside the database host',
    );
  }
  return readFileSync(file, 'utf8').trim();
}

/** The public verifier key (`name+keyid+base64(0x01 ‖ key)`) matching a signer key string. */
function verifierKeyOf(signerKey: string): string {
  const signer = parseSignerKey(signerKey);
  const jwk = createPublicKey(signer.privateKey).export({ format: 'jwk' });
  const publicKey = Buffer.from(String(jwk.x), 'base64url');
  const encoded = Buffer.concat([Buffer.from([ED25519_SIGNATURE_TYPE]), publicKey]).toString('base64');
  return `${signer.name}+${signer.keyId}+${encoded}`;
}
