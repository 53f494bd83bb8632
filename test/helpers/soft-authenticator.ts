// A software passkey: an ES256 key pair in memory that answers WebAuthn ceremonies byte for byte
// as a browser and a platform authenticator would, so the API's verification is tested against
// real responses: client data JSON, authenticator data (rpIdHash, flags, signCount, and for
// registration the attested credential with its COSE key, under attestation "none"), signatures
// over authenticatorData || SHA-256(clientDataJSON). Its CBOR is written here, independently of the
// library that decodes it on the server.
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

type Cbor = number | Buffer | string | Map<Cbor, Cbor>;

// RFC 8949 major types: 0 unsigned, 1 negative, 2 bytes, 3 text, 5 map; definite lengths only.
function head(major: number, value: number): Buffer {
  if (value < 24) return Buffer.from([(major << 5) | value]);
  if (value < 0x100) return Buffer.from([(major << 5) | 24, value]);
  if (value < 0x10000) return Buffer.from([(major << 5) | 25, value >> 8, value & 0xff]);
  const out = Buffer.alloc(5);
  out[0] = (major << 5) | 26;
  out.writeUInt32BE(value, 1);
  return out;
}

function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  const parts = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();

/** What an assertion may be made to get wrong, for tests of refusals. */
export type AssertOptions = {
  /** Sign this challenge (base64url) instead of the options'. */
  challenge?: string;
  origin?: string;
  type?: string;
  /** Authenticator flags; default UP | UV. */
  flags?: number;
};

/** A software authenticator holding one passkey for one relying party. */
export type SoftAuthenticator = {
  /** base64url, once registered. */
  readonly credentialId: string;
  /** Answers `navigator.credentials.create()` for these options (attestation "none"). */
  register(options: PublicKeyCredentialCreationOptionsJSON): RegistrationResponseJSON;
  /** Answers `navigator.credentials.get()` for these options; each call counts one use. */
  assert(
    options: PublicKeyCredentialRequestOptionsJSON,
    overrides?: AssertOptions,
  ): AuthenticationResponseJSON;
};

/** A new authenticator with a fresh P-256 key, used from `origin` (its host is the relying party). */
export function createSoftAuthenticator(origin: string): SoftAuthenticator {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rawId = randomBytes(16);
  const credentialId = rawId.toString('base64url');
  let counter = 0;
  let userHandle: string | undefined;

  function authenticatorData(rpId: string, flags: number, attested?: Buffer): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
  }

  function clientData(type: string, challenge: string, from: string): Buffer {
    // Key order as browsers write it; the server parses it, the signature covers its bytes.
    return Buffer.from(JSON.stringify({ type, challenge, origin: from, crossOrigin: false }), 'utf8');
  }

  return {
    credentialId,
    register(options) {
      const rpId = options.rp.id ?? new URL(origin).hostname;
      userHandle = options.user.id;
      const jwk = publicKey.export({ format: 'jwk' });
      const coseKey = cbor(
        new Map<Cbor, Cbor>([
          [1, 2], // kty: EC2
          [3, -7], // alg: ES256
          [-1, 1], // crv: P-256
          [-2, Buffer.from(jwk.x ?? '', 'base64url')],
          [-3, Buffer.from(jwk.y ?? '', 'base64url')],
        ]),
      );
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(rawId.length);
      const attested = Buffer.concat([Buffer.alloc(16), idLength, rawId, coseKey]);
      const authData = authenticatorData(rpId, FLAG_UP | FLAG_UV | FLAG_AT, attested);
      const attestationObject = cbor(
        new Map<Cbor, Cbor>([
          ['fmt', 'none'],
          ['attStmt', new Map()],
          ['authData', authData],
        ]),
      );
      return {
        id: credentialId,
        rawId: credentialId,
        type: 'public-key',
        response: {
          clientDataJSON: clientData('webauthn.create', options.challenge, origin).toString('base64url'),
          attestationObject: attestationObject.toString('base64url'),
          transports: ['internal'],
        },
        authenticatorAttachment: 'platform',
        clientExtensionResults: {},
      };
    },
    assert(options, overrides = {}) {
      counter += 1;
      const rpId = options.rpId ?? new URL(origin).hostname;
      const data = clientData(
        overrides.type ?? 'webauthn.get',
        overrides.challenge ?? options.challenge,
        overrides.origin ?? origin,
      );
      const authData = authenticatorData(rpId, overrides.flags ?? FLAG_UP | FLAG_UV);
      const signature = sign('sha256', Buffer.concat([authData, sha256(data)]), privateKey as KeyObject);
      return {
        id: credentialId,
        rawId: credentialId,
        type: 'public-key',
        response: {
          clientDataJSON: data.toString('base64url'),
          authenticatorData: authData.toString('base64url'),
          signature: signature.toString('base64url'),
          ...(userHandle ? { userHandle } : {}),
        },
        authenticatorAttachment: 'platform',
        clientExtensionResults: {},
      };
    },
  };
}
