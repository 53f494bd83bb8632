// Checks offline that a recorded approval was signed by its approver's passkey: the assertion in
// the `access.request.approved` event is over the challenge recomputed from the event's own
// request, step, decision, approver and time; it is a WebAuthn assertion (`webauthn.get`) made with
// user verification for the recorded relying party; and its signature verifies with the public key
// the approver registered, as the ledger's `auth.passkey.registered` event holds it. Node alone:
// no database, no network, nothing grantflow could have changed since.
import { createHash } from 'node:crypto';
import { verifiesWith, verifyingKeyOf } from './cose-key.js';
import type { DecisionBundle } from './decision-bundle.js';
import { decisionChallenge } from './decision-challenge.js';

/** The outcome: what was checked, and every problem found (none when `ok`). */
export type CheckDecisionResult = {
  ok: boolean;
  problems: string[];
  /** What the event says was decided, when it could be read. */
  decision?: { requestId: string; step: number; approver: string; decidedAt: string; credentialId: string };
};

type Json = Record<string, unknown>;
const FLAG_UP = 0x01;
const FLAG_UV = 0x04;

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const bytes = (value: unknown) =>
  typeof value === 'string' ? Buffer.from(value, 'base64url') : Buffer.alloc(0);

/** Checks `bundle` (from the ledger, or from a file an auditor was given). */
export function checkDecision(bundle: DecisionBundle): CheckDecisionResult {
  const problems: string[] = [];
  const event = bundle.decision.event as Json;
  const details = (event.details ?? {}) as Json;
  const actor = (event.actor ?? {}) as Json;
  const stepUp = details.stepUp as Json | undefined;
  if (event.event_type !== 'access.request.approved') {
    problems.push(`the event is ${String(event.event_type)}, not an approval (access.request.approved)`);
  }
  if (!stepUp) return { ok: false, problems: [...problems, 'the event carries no passkey assertion'] };

  const requestId = text((event.correlation as Json | undefined)?.request_id) ?? '';
  const step = typeof details.step === 'number' ? details.step : -1;
  const approver = (text(actor.on_behalf_of) ?? text(actor.email) ?? text(actor.id) ?? '').toLowerCase();
  const decidedAt = text(stepUp.decidedAt) ?? '';
  const credentialId = text(stepUp.credentialId) ?? '';
  if (event.action !== 'approve')
    problems.push(`the recorded action is ${String(event.action)}, not approve`);
  if (stepUp.step !== step)
    problems.push(`the assertion names step ${String(stepUp.step)}, the event step ${step}`);

  // The challenge from the decision as recorded: an assertion over anything else is not this decision's.
  const expected = decisionChallenge({ requestId, step, decision: 'approve', approver, decidedAt });
  if (stepUp.challenge !== expected) problems.push('the recorded challenge is not the one of this decision');
  const clientDataJSON = bytes(stepUp.clientDataJSON);
  let clientData: Json = {};
  try {
    clientData = JSON.parse(clientDataJSON.toString('utf8')) as Json;
  } catch {
    problems.push('the client data is not JSON');
  }
  if (clientData.type !== 'webauthn.get') {
    problems.push(`the client data type is ${String(clientData.type)}, not webauthn.get`);
  }
  if (clientData.challenge !== expected) {
    problems.push(
      'the signed challenge is not the one recomputed from the request id, step, decision, approver and decidedAt',
    );
  }
  if (clientData.origin !== stepUp.origin) {
    problems.push(
      `the client data origin ${String(clientData.origin)} is not the recorded ${String(stepUp.origin)}`,
    );
  }

  const authenticatorData = bytes(stepUp.authenticatorData);
  if (authenticatorData.length < 37) {
    problems.push('the authenticator data is too short');
  } else {
    const rpIdHash = createHash('sha256')
      .update(text(stepUp.rpId) ?? '')
      .digest();
    if (!authenticatorData.subarray(0, 32).equals(rpIdHash)) {
      problems.push(`the authenticator data is not for relying party ${String(stepUp.rpId)}`);
    }
    const flags = authenticatorData[32] ?? 0;
    if (!(flags & FLAG_UP)) problems.push('the user-present flag (UP) is not set');
    if (!(flags & FLAG_UV))
      problems.push('the user-verified flag (UV) is not set: no PIN or biometric check');
  }

  // The key must be the one this approver registered, as the ledger recorded it then.
  const registration = bundle.registration?.event as Json | undefined;
  let registeredKey: string | undefined;
  if (!registration) {
    problems.push(`no registration of passkey ${credentialId} is given: cannot tell whose key it is`);
  } else {
    const reg = (registration.details ?? {}) as Json;
    const owner = (text((registration.target as Json | undefined)?.name) ?? '').toLowerCase();
    registeredKey = text(reg.publicKey);
    if (registration.event_type !== 'auth.passkey.registered') {
      problems.push(
        `the registration event is ${String(registration.event_type)}, not auth.passkey.registered`,
      );
    }
    if (registration.result !== 'success') problems.push('the registration event did not succeed');
    if (reg.credentialId !== credentialId) problems.push('the registration is of another passkey');
    if (owner !== approver)
      problems.push(`the passkey was registered by ${owner || 'nobody named'}, not ${approver}`);
    if (registeredKey !== stepUp.publicKey) {
      problems.push('the public key in the approval is not the one registered');
    }
    if (reg.rpId !== undefined && reg.rpId !== stepUp.rpId) {
      problems.push(
        `the passkey was registered for ${String(reg.rpId)}, the assertion made for ${String(stepUp.rpId)}`,
      );
    }
    if (bundle.registration && bundle.registration.seq >= bundle.decision.seq) {
      problems.push('the passkey was registered after the decision it signed');
    }
  }

  try {
    const key = verifyingKeyOf(bytes(registeredKey ?? stepUp.publicKey));
    const signed = Buffer.concat([authenticatorData, createHash('sha256').update(clientDataJSON).digest()]);
    if (!verifiesWith(key, signed, bytes(stepUp.signature))) {
      problems.push('the signature does not verify with the registered public key');
    }
  } catch (error) {
    problems.push(`the public key cannot be used: ${(error as Error).message}`);
  }
  return {
    ok: problems.length === 0,
    problems,
    decision: { requestId, step, approver, decidedAt, credentialId },
  };
}
