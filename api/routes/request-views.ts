// How the API shows access requests: the response schemas for a request and its live state, the
// mapping from the stored row and the workflow's state to them, and the caller as a request actor.
import { z } from 'zod';
import type { AccessRequestView } from '../../db/queries/access-requests.js';
import type { TokenPrincipal } from '../../db/queries/api-tokens.js';
import { requestStatus } from '../../db/schema.js';
import { explainPlan } from '../../policy/explain.js';
import type { PolicyDecision } from '../../policy/types.js';
import { type RequestActor, stepUpOf } from '../../requests/index.js';
import type { AccessRequestState } from '../../workflows/messages.js';
import { actorInput } from '../actor.js';
import { iso } from './shared.js';

export const requestBody = z.object({
  id: z.string(),
  status: z.enum(requestStatus.enumValues),
  requester: z.string(),
  submittedBy: z.string(),
  resource: z.string(),
  entitlement: z.string(),
  entitlementName: z.string(),
  durationSeconds: z.number().int(),
  reason: z.string().nullable(),
  /** The plan in words: "needs: your manager (Dana Reyes), then 2 of Security". */
  plan: z.string().nullable(),
  /** What approving needs beyond the approver's word: `webauthn`, a passkey; null, nothing. */
  stepUp: z.enum(['webauthn']).nullable(),
  currentStep: z.number().int().nullable(),
  outcome: z.string().nullable(),
  grantId: z.string().nullable(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
});

export const stateBody = z.object({
  requestId: z.string(),
  status: z.enum(requestStatus.enumValues),
  currentStep: z.number().int().optional(),
  steps: z.array(
    z.object({
      index: z.number().int(),
      eligible: z.array(z.string()),
      required: z.number().int(),
      approvedBy: z.array(z.string()),
      escalated: z.boolean(),
    }),
  ),
  grantId: z.string().optional(),
  outcome: z.string().optional(),
});

export function toBody(request: AccessRequestView): z.infer<typeof requestBody> {
  const plan = request.plan as PolicyDecision | null;
  return {
    id: request.id,
    status: request.status,
    requester: request.requesterEmail,
    submittedBy: request.submittedByEmail,
    resource: request.resourceKey,
    entitlement: request.entitlementKey,
    entitlementName: request.entitlementName,
    durationSeconds: request.durationSeconds,
    reason: request.reason,
    plan: plan
      ? explainPlan(plan, { requester: { email: request.requesterEmail, name: request.requesterName } })
      : null,
    stepUp: stepUpOf(request),
    currentStep: request.currentStep,
    outcome: request.outcome,
    grantId: request.grantId,
    createdAt: iso(request.createdAt) ?? '',
    closedAt: iso(request.closedAt),
  };
}

export const toState = (state: AccessRequestState): z.infer<typeof stateBody> => ({
  requestId: state.requestId,
  status: state.status,
  ...(state.currentStep !== undefined ? { currentStep: state.currentStep } : {}),
  steps: state.steps,
  ...(state.grantId ? { grantId: state.grantId } : {}),
  ...(state.outcome ? { outcome: state.outcome } : {}),
});

/** The acting person as the request use cases take them: admins and auditors see every request. */
export const requestActor = (principal: TokenPrincipal, reason?: string): RequestActor => ({
  ...actorInput(principal, reason),
  seesEveryRequest: principal.role !== 'employee',
});
