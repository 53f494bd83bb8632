// The WebAuthn challenge of a step-up approval: SHA-256 over the canonical JSON (RFC 8785) of the
// decision itself, so the passkey signs exactly this request, step, decision, approver and time.
// Nothing is stored: the API derives it to verify, and an auditor derives it again from the
// ledger event to check the signature offline.
import { createHash } from 'node:crypto';
import { canonicalBytes } from './canonical.js';

/** What a step-up approval signs. `decidedAt` is ISO 8601 as the approver's console sent it. */
export type CanonicalDecision = {
  requestId: string;
  step: number;
  decision: 'approve' | 'deny';
  /** The approver's email, lower-case. */
  approver: string;
  decidedAt: string;
};

/** The challenge for `decision`, base64url (no padding), as WebAuthn client data echoes it. */
export function decisionChallenge(decision: CanonicalDecision): string {
  const canonical = {
    requestId: decision.requestId,
    step: decision.step,
    decision: decision.decision,
    approver: decision.approver.toLowerCase(),
    decidedAt: decision.decidedAt,
  };
  return createHash('sha256').update(canonicalBytes(canonical)).digest('base64url');
}
