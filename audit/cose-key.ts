// A passkey's COSE public key (RFC 9052/9053, as WebAuthn records it) as a node:crypto key and the
// way its signatures are checked, so a recorded assertion verifies offline with Node alone.
import { constants, createPublicKey, type JsonWebKey, type KeyObject, verify } from 'node:crypto';
import { decodeCredentialPublicKey } from '@simplewebauthn/server/helpers';

// COSE key parameters and values (IANA "COSE Key Common Parameters", "COSE Algorithms").
const KTY = 1;
const ALG = 3;
const CRV = -1;
const X = -2;
const Y = -3;
const RSA_N = -1;
const RSA_E = -2;
const EC_CURVES: Record<number, string> = { 1: 'P-256', 2: 'P-384', 3: 'P-521' };
const EC_HASHES: Record<number, string> = { [-7]: 'sha256', [-35]: 'sha384', [-36]: 'sha512' };

/** A public key ready to verify with: the key, the hash to use (null for EdDSA), RSA's padding. */
export type VerifyingKey = { key: KeyObject; hash: string | null; pss: boolean; algorithm: number };

const b64u = (value: unknown) => Buffer.from(value as Uint8Array).toString('base64url');

/** Decodes a COSE public key; throws with a reason for anything it cannot use. */
export function verifyingKeyOf(cose: Buffer): VerifyingKey {
  const map = decodeCredentialPublicKey(new Uint8Array(cose)) as unknown as Map<number, unknown>;
  const kty = map.get(KTY);
  const alg = Number(map.get(ALG));
  let jwk: JsonWebKey;
  let hash: string | null;
  let pss = false;
  if (kty === 2) {
    const crv = EC_CURVES[Number(map.get(CRV))];
    hash = EC_HASHES[alg] ?? null;
    if (!crv || !hash) throw new Error(`unsupported EC2 key (curve ${String(map.get(CRV))}, alg ${alg})`);
    jwk = { kty: 'EC', crv, x: b64u(map.get(X)), y: b64u(map.get(Y)) };
  } else if (kty === 1) {
    if (Number(map.get(CRV)) !== 6 || alg !== -8) throw new Error(`unsupported OKP key (alg ${alg})`);
    jwk = { kty: 'OKP', crv: 'Ed25519', x: b64u(map.get(X)) };
    hash = null;
  } else if (kty === 3) {
    if (alg !== -257 && alg !== -37) throw new Error(`unsupported RSA key (alg ${alg})`);
    jwk = { kty: 'RSA', n: b64u(map.get(RSA_N)), e: b64u(map.get(RSA_E)) };
    hash = 'sha256';
    pss = alg === -37;
  } else {
    throw new Error(`unsupported COSE key type ${String(kty)}`);
  }
  return { key: createPublicKey({ key: jwk, format: 'jwk' }), hash, pss, algorithm: alg };
}

/** Whether `signature` over `data` verifies with `key` (ECDSA signatures DER-encoded, as WebAuthn gives them). */
export function verifiesWith(key: VerifyingKey, data: Buffer, signature: Buffer): boolean {
  const target = key.pss ? { key: key.key, padding: constants.RSA_PKCS1_PSS_PADDING } : key.key;
  return verify(key.hash, data, target, signature);
}
