// Every update, query and input of grantflow's workflows, defined once and imported by the
// workflows, the API, the CLI and the Slack handlers alike.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { RiskLevel } from '../directory/file-schema.js';
import type { PolicyDecision } from '../policy/types.js';

/** A person as workflows carry them: the email is the identity, the rest is for messages. */
export type PersonRef = { email: string; name: string };

/** The resource and entitlement a request or grant is about. */
export type AccessTarget = {
  resource: { key: string; name: string; owner: string; connectorKind: 'postgres' | 'webhook' | 'manual' };
  entitlement: { id: string; key: string; name: string; risk: RiskLevel; maxDurationSeconds: number };
};

/** How provisioning retries a failing target before the request shows `provisioning_failed`. */
export type ProvisioningRetry = {
  maximumAttempts: number;
  initialIntervalMs: number;
  maximumIntervalMs: number;
  /** How long one attempt may take before it counts as lost (a worker died mid-call) and is retried. */
  attemptTimeoutMs: number;
};

/** Starts `accessRequest`; the request row already exists with this id. */
export type AccessRequestInput = AccessTarget & {
  requestId: string;
  requester: PersonRef;
  /** The requester, or the admin who filed it for them. */
  submittedBy: PersonRef;
  durationSeconds: number;
  reason?: string;
  provisioningRetry: ProvisioningRetry;
};

/** Where a request stands (mirrors the `request_status` column). */
export type RequestStatus =
  | 'pending'
  | 'pending_approval'
  | 'provisioning'
  | 'awaiting_fulfilment'
  | 'provisioning_failed'
  | 'granted'
  | 'denied'
  | 'cancelled'
  | 'expired';

/** One approval step as it is being decided. */
export type StepState = {
  index: number;
  /** Everyone who may decide now: the planned approvers plus any escalation approvers. */
  eligible: string[];
  required: number;
  approvedBy: string[];
  escalated: boolean;
  reminded: boolean;
};

/** What every request update answers with, and the `state` query returns. */
export type AccessRequestState = {
  requestId: string;
  status: RequestStatus;
  requester: string;
  decision?: PolicyDecision;
  /** Index into `steps` of the step waiting for decisions. */
  currentStep?: number;
  steps: StepState[];
  /** Who decided what so far, in order. */
  decisions: { step: number; approver: string; decision: 'approve' | 'deny'; actedBy?: string }[];
  grantId?: string;
  /** Why the request ended as it did, once it has. */
  outcome?: string;
};

/** An approve or deny click. `actedBy` is an admin recording it for `approver`. */
export type DecisionInput = {
  approver: string;
  decision: 'approve' | 'deny';
  comment?: string;
  actedBy?: string;
  /** The Slack action or API call id, for the audit trail. */
  via?: string;
  /** The approver's Slack user id when they clicked in Slack. */
  slackId?: string;
};

/** Who is acting on a request or grant, and whether the API vouched that they are an admin. */
export type ActorInput = { by: string; asAdmin?: boolean; reason?: string; slackId?: string };

/** Approve or deny the current step; refused (by the validator) for anyone not eligible now. */
export const decideUpdate = defineUpdate<AccessRequestState, [DecisionInput]>('decide');
/** Withdraw the request before it is provisioned: the requester or an admin. */
export const cancelUpdate = defineUpdate<AccessRequestState, [ActorInput]>('cancel');
/** Try provisioning again after it failed for good: admins only. */
export const retryProvisioningUpdate = defineUpdate<AccessRequestState, [ActorInput]>('retryProvisioning');
/** A resource owner reports a manual fulfilment task done or refused. */
export const fulfilUpdate = defineUpdate<AccessRequestState, [ActorInput & { outcome: 'done' | 'refused' }]>(
  'fulfil',
);
/** The request's current state. */
export const requestStateQuery = defineQuery<AccessRequestState>('state');

/** Starts `grantLifetime` once the target has granted the access. */
export type GrantLifetimeInput = AccessTarget & {
  grantId: string;
  requestId?: string;
  holder: PersonRef;
  /** Epoch milliseconds. */
  grantedAt: number;
  expiresAt: number;
  /** Seconds before expiry to remind the holder. */
  remindBeforeSeconds: number;
  provisioningRetry: ProvisioningRetry;
};

/** Where a grant stands. */
export type GrantState = {
  grantId: string;
  holder: string;
  status: 'active' | 'ending' | 'expired' | 'released' | 'revoked';
  expiresAt: number;
  /** After removal: whether reading the target back showed it gone (null: the target cannot tell). */
  removalVerified?: boolean | null;
};

/** Push the expiry later by `seconds`: the holder or an admin, within the entitlement's maximum. */
export const extendUpdate = defineUpdate<GrantState, [ActorInput & { seconds: number }]>('extend');
/** The holder gives the access back early. */
export const releaseUpdate = defineUpdate<GrantState, [ActorInput]>('release');
/** An admin (or a campaign) takes the access away now. */
export const revokeUpdate = defineUpdate<GrantState, [ActorInput]>('revoke');
/** A resource owner reports a manual removal done. */
export const fulfilRemovalUpdate = defineUpdate<GrantState, [ActorInput & { outcome: 'done' }]>(
  'fulfilRemoval',
);
/** The grant's current state. */
export const grantStateQuery = defineQuery<GrantState>('grantState');
