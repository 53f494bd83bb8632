// Step-up for approvals the plan says need a passkey. The challenge is the decision itself
// (audit/decision-challenge.ts), so nothing is stored between the challenge and the decision: the
// console asks for the options, the approver's authenticator signs, and the decision carries the
// assertion and its decidedAt, which must be recent. Verified here against the approver's own
// registered passkey (user verification required); the workflow records the assertion in the ledger.
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
  verifyAuthenticationResponse,
} from '@simplewebauthn/server';
import type { Client } from '@temporalio/client';
import { decisionChallenge } from '../audit/decision-challenge.js';
import { ConflictError, GrantflowError, StepUpError } from '../core/errors.js';
import type { Database } from '../db/client.js';
import type { AccessRequestView } from '../db/queries/access-requests.js';
import { getPersonByEmail } from '../db/queries/people.js';
import {
  getWebauthnCredential,
  listWebauthnCredentials,
  recordWebauthnUse,
} from '../db/queries/webauthn-credentials.js';
import type { StepUpMethod } from '../domain/index.js';
import { type RelyingParty, relyingPartyOf } from '../identity/passkeys/relying-party.js';
import type { PolicyDecision } from '../policy/types.js';
import type { AccessRequestState, ApprovalDecisionInput, StepUpEvidence } from '../workflows/messages.js';
import { type RequestActor, requestSeenBy } from './find.js';
import { liveRequestState } from './live-state.js';

/** How old a confirmed decision may be when it arrives: long enough to find the key, short enough not to keep. */
const STEP_UP_MAX_AGE_MS = 5 * 60_000;
/** How far ahead of this server's clock a decidedAt may be (clocks differ a little). */
const STEP_UP_MAX_SKEW_MS = 30_000;

/** What step-up needs: the database, the request's workflow and where the console is. */
export type StepUpDeps = { db: Database; temporal: Client; config: { publicUrl: string } };

/** What the console sends with an approval that needs a passkey. */
export type StepUpInput = { decidedAt: string; assertion: AuthenticationResponseJSON };

/** The step-up a request's approval needs, from its plan: `webauthn` or null. */
export function stepUpOf(request: Pick<AccessRequestView, 'plan'>): StepUpMethod | null {
  const plan = request.plan as PolicyDecision | null;
  return plan?.outcome === 'approval_required' ? (plan.stepUp ?? null) : null;
}

/** What the console needs to confirm a decision: whether a passkey is needed, and the options to get it. */
export type DecisionChallengeResult = {
  stepUp: StepUpMethod | null;
  decidedAt: string;
  options: PublicKeyCredentialRequestOptionsJSON | null;
};

/** The approver has no passkey to step up with (HTTP 403): they register one first. */
class PasskeyMissingError extends GrantflowError {
  constructor(email: string) {
    super('passkey_not_registered', `${email} has no passkey registered: register one in the console first`, {
      status: 403,
    });
  }
}

/**
 * The challenge for `actor` deciding `decision` on the request now: for an approval that needs a
 * passkey, WebAuthn request options over the canonical decision (this step, this approver, this
 * time), limited to the approver's own passkeys; otherwise none is needed.
 */
export async function decisionChallengeFor(
  deps: StepUpDeps,
  input: { requestId: string; decision: 'approve' | 'deny' },
  actor: RequestActor,
  now = new Date(),
): Promise<DecisionChallengeResult> {
  const found = await requestSeenBy(deps.db, input.requestId, actor);
  const decidedAt = now.toISOString();
  const stepUp = stepUpOf(found);
  if (stepUp === null || input.decision !== 'approve') return { stepUp, decidedAt, options: null };
  const state = await liveRequestState(deps, found.id);
  if (state?.status !== 'pending_approval' || state.currentStep === undefined) {
    throw new ConflictError(
      `the request is not waiting for approval (it is ${state?.status ?? found.status})`,
    );
  }
  const person = await getPersonByEmail(deps.db, actor.by);
  const credentials = person ? await listWebauthnCredentials(deps.db, person.id) : [];
  if (credentials.length === 0) throw new PasskeyMissingError(actor.by);
  const challenge = decisionChallenge({
    requestId: found.id,
    step: state.currentStep,
    decision: input.decision,
    approver: actor.by,
    decidedAt,
  });
  const options = await generateAuthenticationOptions({
    rpID: relyingPartyOf(deps.config.publicUrl).id,
    challenge: new Uint8Array(Buffer.from(challenge, 'base64url')),
    allowCredentials: credentials.map((credential) => ({
      id: credential.credentialId,
      transports: credential.transports as never,
    })),
    userVerification: 'required',
    timeout: STEP_UP_MAX_AGE_MS,
  });
  return { stepUp, decidedAt, options };
}

/**
 * The approval with its verified assertion attached, or a StepUpError saying why not. An approval
 * the workflow will refuse anyway (not waiting, not this person's step) passes through unverified,
 * so the refusal names the real reason.
 */
export async function withVerifiedStepUp(
  deps: StepUpDeps,
  request: AccessRequestView,
  decision: ApprovalDecisionInput,
  stepUp: StepUpInput | undefined,
  now = new Date(),
): Promise<ApprovalDecisionInput> {
  if (decision.actedBy) {
    throw new StepUpError(
      'step_up_required',
      `approving this request needs ${decision.approver}'s own passkey: nobody can record it on their behalf`,
    );
  }
  if (!stepUp) {
    throw new StepUpError(
      'step_up_required',
      `approving this request needs a passkey: confirm it in the grantflow console at ${deps.config.publicUrl}/requests/${request.id}/confirm?decision=approve`,
    );
  }
  const state = await liveRequestState(deps, request.id);
  if (!decidableBy(state, decision.approver)) return decision;
  const step = state?.currentStep ?? 0;
  const evidence = await verifyAssertion(deps, relyingPartyOf(deps.config.publicUrl), {
    requestId: request.id,
    step,
    approver: decision.approver,
    stepUp,
    now,
  });
  return { ...decision, stepUp: evidence };
}

function decidableBy(state: AccessRequestState | null, approver: string): boolean {
  const step = state?.currentStep === undefined ? undefined : state.steps[state.currentStep];
  return state?.status === 'pending_approval' && !!step?.eligible.includes(approver);
}

const failed = (message: string) => new StepUpError('step_up_failed', message);

async function verifyAssertion(
  deps: StepUpDeps,
  rp: RelyingParty,
  input: { requestId: string; step: number; approver: string; stepUp: StepUpInput; now: Date },
): Promise<StepUpEvidence> {
  const { decidedAt, assertion } = input.stepUp;
  const at = Date.parse(decidedAt);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(decidedAt) || Number.isNaN(at)) {
    throw failed('decidedAt must be an ISO 8601 UTC time, as the challenge gave it');
  }
  const age = input.now.getTime() - at;
  if (age > STEP_UP_MAX_AGE_MS) {
    throw failed(
      `the passkey confirmation is ${Math.round(age / 1000)}s old (at most ${STEP_UP_MAX_AGE_MS / 1000}s): confirm again`,
    );
  }
  if (-age > STEP_UP_MAX_SKEW_MS) throw failed('the passkey confirmation is dated in the future');
  const person = await getPersonByEmail(deps.db, input.approver);
  const credential = await getWebauthnCredential(deps.db, assertion.id);
  if (!person || !credential || credential.personId !== person.id) {
    throw failed(`the assertion is not signed with a passkey ${input.approver} registered`);
  }
  const challenge = decisionChallenge({
    requestId: input.requestId,
    step: input.step,
    decision: 'approve',
    approver: input.approver,
    decidedAt,
  });
  const verification = await verifyAuthenticationResponse({
    response: assertion,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    expectedType: 'webauthn.get',
    credential: {
      id: credential.credentialId,
      publicKey: new Uint8Array(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports as never,
    },
    requireUserVerification: true,
  }).catch((error: Error) => {
    throw failed(`the passkey assertion does not verify: ${error.message}`);
  });
  if (!verification.verified) throw failed('the passkey assertion does not verify');
  await recordWebauthnUse(deps.db, credential.id, verification.authenticationInfo.newCounter);
  return {
    method: 'webauthn',
    step: input.step,
    decidedAt,
    challenge,
    credentialId: credential.credentialId,
    publicKey: credential.publicKey.toString('base64url'),
    authenticatorData: assertion.response.authenticatorData,
    clientDataJSON: assertion.response.clientDataJSON,
    signature: assertion.response.signature,
    ...(assertion.response.userHandle ? { userHandle: assertion.response.userHandle } : {}),
    rpId: verification.authenticationInfo.rpID,
    origin: verification.authenticationInfo.origin,
  };
}
