// `grantflow audit check-decision`'s checker alone, on events built from a software passkey: it
// passes a sound approval and names each thing wrong with an unsound one.
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import { checkDecision } from '../../../audit/check-decision.js';
import type { DecisionBundle } from '../../../audit/decision-bundle.js';
import { decisionChallenge } from '../../../audit/decision-challenge.js';
import { createSoftAuthenticator } from '../../helpers/soft-authenticator.js';

const ORIGIN = 'https://grantflow.acme.test';
const REQUEST = '0c6f3d5e-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
const APPROVER = 'mia@acme.test';
const DECIDED_AT = '2026-12-04T02:00:00.000Z';

async function bundle(
  options: { flags?: number; type?: string; approver?: string } = {},
): Promise<DecisionBundle> {
  const authenticator = createSoftAuthenticator(ORIGIN);
  const creation = await generateRegistrationOptions({
    rpName: 'grantflow',
    rpID: 'grantflow.acme.test',
    userName: APPROVER,
    attestationType: 'none',
  });
  const registered = await verifyRegistrationResponse({
    response: authenticator.register(creation),
    expectedChallenge: creation.challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: 'grantflow.acme.test',
  });
  const publicKey = Buffer.from(registered.registrationInfo?.credential.publicKey ?? []).toString(
    'base64url',
  );
  const challenge = decisionChallenge({
    requestId: REQUEST,
    step: 0,
    decision: 'approve',
    approver: APPROVER,
    decidedAt: DECIDED_AT,
  });
  const request = await generateAuthenticationOptions({
    rpID: 'grantflow.acme.test',
    challenge: new Uint8Array(Buffer.from(challenge, 'base64url')),
  });
  const assertion = authenticator.assert(request, {
    ...(options.flags === undefined ? {} : { flags: options.flags }),
    ...(options.type ? { type: options.type } : {}),
  });
  return {
    registration: {
      seq: 10,
      recorded_at: '2026-12-01T00:00:00.000Z',
      event: {
        event_type: 'auth.passkey.registered',
        actor: { type: 'person', id: APPROVER, email: APPROVER },
        target: { type: 'person', id: 'p-1', name: options.approver ?? APPROVER },
        action: 'register',
        result: 'success',
        details: { credentialId: authenticator.credentialId, publicKey, rpId: 'grantflow.acme.test' },
      },
    },
    decision: {
      seq: 20,
      recorded_at: DECIDED_AT,
      event: {
        event_type: 'access.request.approved',
        actor: { type: 'person', id: APPROVER, email: APPROVER },
        action: 'approve',
        result: 'success',
        correlation: { request_id: REQUEST },
        details: {
          step: 0,
          stepUp: {
            method: 'webauthn',
            step: 0,
            decidedAt: DECIDED_AT,
            challenge,
            credentialId: authenticator.credentialId,
            publicKey,
            authenticatorData: assertion.response.authenticatorData,
            clientDataJSON: assertion.response.clientDataJSON,
            signature: assertion.response.signature,
            rpId: 'grantflow.acme.test',
            origin: ORIGIN,
          },
        },
      },
    },
  };
}

describe('checkDecision', () => {
  it('passes an approval signed by the approver’s registered passkey over this decision', async () => {
    expect(checkDecision(await bundle())).toEqual({
      ok: true,
      problems: [],
      decision: {
        requestId: REQUEST,
        step: 0,
        approver: APPROVER,
        decidedAt: DECIDED_AT,
        credentialId: expect.any(String),
      },
    });
  });

  it('names each problem: no user verification, a registration ceremony, another owner, a later registration', async () => {
    expect(checkDecision(await bundle({ flags: 0x01 })).problems).toEqual([
      'the user-verified flag (UV) is not set: no PIN or biometric check',
    ]);
    expect(checkDecision(await bundle({ type: 'webauthn.create' })).problems).toEqual([
      'the client data type is webauthn.create, not webauthn.get',
    ]);
    expect(checkDecision(await bundle({ approver: 'sec@acme.test' })).problems).toEqual([
      `the passkey was registered by sec@acme.test, not ${APPROVER}`,
    ]);
    const late = await bundle();
    if (late.registration) late.registration.seq = 30;
    expect(checkDecision(late).problems).toEqual(['the passkey was registered after the decision it signed']);
  });

  it('fails a decision edited after signing, and one with no registration to check the key against', async () => {
    const edited = await bundle();
    (edited.decision.event.details as { step: number }).step = 1;
    const alone = { ...(await bundle()), registration: null };

    expect(checkDecision(edited).problems).toEqual([
      'the assertion names step 0, the event step 1',
      'the recorded challenge is not the one of this decision',
      'the signed challenge is not the one recomputed from the request id, step, decision, approver and decidedAt',
    ]);
    expect(checkDecision(alone).ok).toBe(false);
    expect(checkDecision(alone).problems[0]).toMatch(/^no registration of passkey .+ is given/);
  });
});
