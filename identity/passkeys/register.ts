// Registering a passkey: the options the browser's `navigator.credentials.create()` takes (with a
// challenge remembered for five minutes, answered once), then verifying the answer and keeping the
// public key. The registration is recorded in the ledger with the key, because that event, not
// this database's table, is what an auditor checks a signed decision against.
import {
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { AuditActor, AuditSource } from '../../audit/events.js';
import { recordAudit } from '../../audit/intake.js';
import { ConflictError, GrantflowError } from '../../core/errors.js';
import type { Database } from '../../db/client.js';
import { insertWebauthnChallenge, takeWebauthnChallenge } from '../../db/queries/webauthn-challenges.js';
import {
  getWebauthnCredential,
  insertWebauthnCredential,
  listWebauthnCredentials,
} from '../../db/queries/webauthn-credentials.js';
import type { RelyingParty } from './relying-party.js';

/** How long a registration challenge may be answered. */
const CHALLENGE_TTL_MS = 5 * 60_000;

/** What registering passkeys needs. */
export type PasskeyDeps = { db: Database; relyingParty: RelyingParty };

/** The person registering, as the ledger will name them. */
export type PasskeyActor = {
  personId: string;
  email: string;
  name: string;
  audit: AuditActor;
  source: Partial<AuditSource> & { service: string };
};

/** A registration the server would not accept: bad or replayed challenge, wrong origin, no user verification. */
class PasskeyRejectedError extends GrantflowError {
  constructor(message: string) {
    super('passkey_rejected', message, { status: 400 });
  }
}

/** The creation options for a new passkey of `actor`; the challenge is remembered, once, for five minutes. */
export async function passkeyRegistrationOptions(
  deps: PasskeyDeps,
  actor: PasskeyActor,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await listWebauthnCredentials(deps.db, actor.personId);
  const options = await generateRegistrationOptions({
    rpName: deps.relyingParty.name,
    rpID: deps.relyingParty.id,
    userName: actor.email,
    userDisplayName: actor.name,
    // The person's id, not their email: the user handle must carry no personal data.
    userID: new Uint8Array(Buffer.from(actor.personId.replaceAll('-', ''), 'hex')),
    attestationType: 'none',
    excludeCredentials: existing.map((credential) => ({
      id: credential.credentialId,
      transports: credential.transports as never,
    })),
    // Step-up means the person proved it is them (PIN, biometrics), not only that someone touched a key.
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
    timeout: CHALLENGE_TTL_MS,
  });
  await insertWebauthnChallenge(deps.db, {
    personId: actor.personId,
    challenge: options.challenge,
    expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
  });
  return options;
}

/** What the browser answered `navigator.credentials.create()` with, and a name for the passkey. */
export type RegisterPasskeyInput = { name?: string | undefined; response: RegistrationResponseJSON };

/** A registered passkey as its owner sees it. */
export type PasskeyView = { id: string; name: string; createdAt: Date; lastUsedAt: Date | null };

/** Verifies a registration against the challenge handed to `actor`, keeps the key and records it. */
export async function registerPasskey(
  deps: PasskeyDeps,
  input: RegisterPasskeyInput,
  actor: PasskeyActor,
): Promise<PasskeyView> {
  const challenge = challengeOf(input.response);
  if (!(await takeWebauthnChallenge(deps.db, actor.personId, challenge))) {
    throw new PasskeyRejectedError(
      'the registration answers no challenge handed to you, or an expired or used one: start again',
    );
  }
  const verification = await verifyRegistrationResponse({
    response: input.response,
    expectedChallenge: challenge,
    expectedOrigin: deps.relyingParty.origin,
    expectedRPID: deps.relyingParty.id,
    requireUserVerification: true,
  }).catch((error: Error) => {
    throw new PasskeyRejectedError(`the passkey registration does not verify: ${error.message}`);
  });
  const info = verification.registrationInfo;
  if (!verification.verified || !info) {
    throw new PasskeyRejectedError('the passkey registration does not verify');
  }
  const { credential } = info;
  if (await getWebauthnCredential(deps.db, credential.id)) {
    throw new ConflictError('this passkey is already registered');
  }
  const count = (await listWebauthnCredentials(deps.db, actor.personId)).length;
  const name = input.name?.trim() || `Passkey ${count + 1}`;
  const publicKey = Buffer.from(credential.publicKey);
  const transports = credential.transports ?? [];
  const row = await deps.db.transaction(async (tx) => {
    const inserted = await insertWebauthnCredential(tx, {
      credentialId: credential.id,
      personId: actor.personId,
      publicKey,
      counter: credential.counter,
      transports,
      name,
    });
    await recordAudit(
      tx,
      {
        event_type: 'auth.passkey.registered',
        actor: actor.audit,
        target: { type: 'person', id: actor.personId, name: actor.email },
        action: 'register',
        result: 'success',
        details: {
          credentialId: credential.id,
          publicKey: publicKey.toString('base64url'),
          name,
          transports,
          attestationFormat: info.fmt,
          aaguid: info.aaguid,
          userVerified: info.userVerified,
          deviceType: info.credentialDeviceType,
          backedUp: info.credentialBackedUp,
          rpId: info.rpID ?? deps.relyingParty.id,
          origin: info.origin,
        },
      },
      { source: actor.source },
    );
    return inserted;
  });
  return { id: row.id, name: row.name, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt };
}

/** A person's passkeys, oldest first. */
export async function listPasskeys(deps: Pick<PasskeyDeps, 'db'>, personId: string): Promise<PasskeyView[]> {
  return (await listWebauthnCredentials(deps.db, personId)).map((row) => ({
    id: row.id,
    name: row.name,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
  }));
}

// The challenge the client data echoes, to find which one this answers before verifying it.
function challengeOf(response: RegistrationResponseJSON): string {
  try {
    const clientData = JSON.parse(
      Buffer.from(response.response.clientDataJSON, 'base64url').toString('utf8'),
    );
    if (typeof clientData?.challenge === 'string') return clientData.challenge;
  } catch {
    // Reported below as unreadable.
  }
  throw new PasskeyRejectedError('the registration has no readable client data');
}
