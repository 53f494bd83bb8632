// Every update, query and input of grantflow's workflows, defined once and imported by the
// workflows, the API, the CLI and the Slack handlers alike.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CampaignCounts, ConnectorKind, RequestStatus, RiskLevel } from '../domain/index.js';
import type { PolicyDecision } from '../policy/types.js';

/** A person as workflows carry them: the email is the identity, the rest is for messages. */
export type PersonRef = { email: string; name: string };

/** The resource and entitlement a request or grant is about. */
export type AccessTarget = {
  resource: { key: string; name: string; owner: string; connectorKind: ConnectorKind };
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
export type { RequestStatus };

/** One approval step as it is being decided. */
export type StepState = {
  index: number;
  /** Everyone who may decide now: the planned approvers plus any escalation approvers. */
  eligible: string[];
  required: number;
  /** Who approved this step, including `carriedOver`. */
  approvedBy: string[];
  /** Approvers of earlier steps whose approval counts here too (they are not asked again). */
  carriedOver?: string[];
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
export type ApprovalDecisionInput = {
  approver: string;
  decision: 'approve' | 'deny';
  comment?: string;
  actedBy?: string;
  /** The Slack action or API call id, for the audit trail. */
  via?: string;
  /** The approver's Slack user id when they clicked in Slack. */
  slackId?: string;
  /** The verified passkey assertion over this decision, when the plan asks for step-up. */
  stepUp?: StepUpEvidence;
};

/**
 * A WebAuthn assertion the API verified against the approver's registered passkey, as the ledger
 * records it so anyone can check it again offline (`grantflow audit check-decision`). Binary
 * values are base64url, exactly as the authenticator produced them.
 */
export type StepUpEvidence = {
  method: 'webauthn';
  /** The step the assertion was made for; the workflow refuses it for another step. */
  step: number;
  /** ISO 8601: when the approver decided, part of the signed challenge. */
  decidedAt: string;
  /** base64url SHA-256 of the canonical decision (audit/decision-challenge.ts). */
  challenge: string;
  credentialId: string;
  /** The COSE public key the signature verifies with, as registered. */
  publicKey: string;
  authenticatorData: string;
  clientDataJSON: string;
  signature: string;
  userHandle?: string;
  rpId: string;
  origin: string;
};

/** Who is acting on a request or grant, and whether the API vouched that they are an admin. */
export type ActorInput = { by: string; asAdmin?: boolean; reason?: string; slackId?: string };

/** Approve or deny the current step; refused (by the validator) for anyone not eligible now. */
export const decideUpdate = defineUpdate<AccessRequestState, [ApprovalDecisionInput]>('decide');
/** Withdraw the request before it is provisioned: the requester or an admin. */
export const cancelUpdate = defineUpdate<AccessRequestState, [ActorInput]>('cancel');
/** Try provisioning again after it failed for good: admins only. */
export const retryProvisioningUpdate = defineUpdate<AccessRequestState, [ActorInput]>('retryProvisioning');
/** A resource owner reports a manual fulfilment task done or refused. */
export const fulfilUpdate = defineUpdate<AccessRequestState, [ActorInput & { outcome: 'done' | 'refused' }]>(
  'fulfil',
);
/** A leaver's place as an approver, handed to someone else (their manager, or the resource owner). */
export type ApprovalHandOverInput = ActorInput & { from: string; to: string };
/** Hands the steps `from` may still decide (now or later) to `to`; refused when nothing waits on `from`. */
export const handOverApprovalsUpdate = defineUpdate<AccessRequestState, [ApprovalHandOverInput]>(
  'handOverApprovals',
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
  /** Null for standing access (imported without an end date): it ends only when released or revoked. */
  expiresAt: number | null;
  /** Seconds before expiry to remind the holder. */
  remindBeforeSeconds: number;
  provisioningRetry: ProvisioningRetry;
  /**
   * The target does not hold it yet (a birthright grant): the lifetime grants it there first, once,
   * and reads it back. Unset for requested grants (provisioned before) and imported or adopted ones
   * (already held).
   */
  provision?: boolean;
};

/** Where a grant stands. */
export type GrantState = {
  grantId: string;
  holder: string;
  status: 'active' | 'ending' | 'expired' | 'released' | 'revoked';
  expiresAt: number | null;
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

/** Where a campaign stands (mirrors the `campaign_status` column). */
export type CampaignStatus = 'launching' | 'reviewing' | 'enforcing' | 'awaiting_signoff' | 'closed';

/** What a campaign does with items nobody decided by the due date. */
export type CampaignDefaultAction = 'revoke' | 'keep' | 'escalate';

/** How much one activity call handles; tests and benchmarks shrink or grow them. */
export type CampaignBatchSizes = {
  /** Items per default-action and revocation-queue statement. */
  items: number;
  /** Reviewers notified per activity call. */
  reviewers: number;
  /** Grants revoked (or checked) per activity call. */
  revocations: number;
};

/**
 * Starts `campaign`; the campaign row already exists with this id. Items are never here: they live
 * in `campaign_items` and the workflow pages through them in activities.
 */
export type CampaignInput = {
  campaignId: string;
  name: string;
  /** The admin who launched it; reviewer of last resort and the actor of default revocations. */
  launchedBy: PersonRef;
  /** Epoch milliseconds. */
  dueAt: number;
  reminderEverySeconds: number;
  escalateAfterSeconds: number;
  defaultAction: CampaignDefaultAction;
  /** Whether reviewers may change a decision until revocation starts (enforcement waits for the due date). */
  allowChanges: boolean;
  batches?: Partial<CampaignBatchSizes>;
  /**
   * Continue-as-new after this many wakes of the review period even if Temporal does not suggest
   * it yet (tests exercise the hand-over with it); unset: only when Temporal suggests it.
   */
  continueAsNewAfterWakes?: number;
  /** Only on continue-as-new: the state and timers the previous run ended with. */
  resume?: CampaignResume;
};

/** What one run hands the next on continue-as-new: small, whatever the population. */
export type CampaignResume = { state: CampaignState; nextReminderAt: number; nextEscalationAt: number };

/** What the `campaignState` query and every campaign update answer with. */
export type CampaignState = {
  campaignId: string;
  name: string;
  status: CampaignStatus;
  /** Epoch milliseconds. */
  launchedAt: number;
  dueAt: number;
  /** The attested population, once the snapshot is complete. */
  population?: { count: number; sha256: string };
  /** Item counts as of `countedAt` (refreshed on every wake, and on `decisionsRecorded`). */
  counts: CampaignCounts;
  countedAt?: number;
  /** Reminder rounds sent so far. */
  reminderRounds: number;
  /** Items sent up to a reviewer's manager so far. */
  escalatedItems: number;
  /** With the `escalate` default action: when the one extra cadence after the due date ends. */
  graceUntil?: number;
  /** What the due date decided, once applied. */
  defaultApplied?: { decision: 'keep' | 'revoke'; items: number };
  signedOffBy?: string;
};

/** The campaign's state; answered from memory (counts as of the last refresh). */
export const campaignStateQuery = defineQuery<CampaignState>('campaignState');
/** Decisions were written to PostgreSQL: recount soon. Cheap and fire-and-forget; bursts coalesce. */
export const decisionsRecordedSignal = defineSignal<[]>('decisionsRecorded');
/** Recounts the items now and answers with the fresh state. */
export const refreshCampaignUpdate = defineUpdate<CampaignState, []>('refreshCampaign');
/** An admin signs the campaign off once every item is settled; the campaign then closes. */
export const signOffCampaignUpdate = defineUpdate<CampaignState, [ActorInput]>('signOffCampaign');

/**
 * What a campaign schedule launches every quarter: a launch input without a due date or period
 * (each run gets `dueInSeconds` from its start and the quarter it was scheduled for), and the
 * admin who set it up, who launches every run.
 */
export type ScheduledCampaignTemplate = {
  launch: Record<string, unknown> & { dueInSeconds: number };
  launchedBy: PersonRef & { id: string };
};

/** What the monthly log review schedule opens each review with: its reviewer group and due date. */
export type ScheduledLogReviewTemplate = { reviewerGroup: string; dueDays: number };

/**
 * The signatures use cases start workflows by (`workflow.start<CampaignWorkflow>('campaign', …)`),
 * so that starting one type-checks without importing workflow code into the caller.
 * test/unit/workflows/signatures.test.ts holds the workflows to them.
 */
export type AccessRequestWorkflow = (input: AccessRequestInput) => Promise<AccessRequestState>;
export type CampaignWorkflow = (input: CampaignInput) => Promise<CampaignState>;

/** One reconciliation run of one resource. */
export type ReconcileInput = {
  runId: string;
  resourceId: string;
  workflowId: string;
  /** Holdings asked of the target per call. */
  pageSize: number;
};

/** What a completed comparison counted. */
export type ReconcileCounts = {
  /** Holdings the target listed. */
  holdings: number;
  /** Active grants on the resource. */
  grants: number;
  /** Grants the target holds. */
  matched: number;
  /** Findings this run opened. */
  opened: number;
  /** Findings still open after the policy acted. */
  open: number;
  /** Findings resolved by this run (gone, or acted on). */
  resolved: number;
  /** Findings the policy acted on (revoked, adopted, provisioned again). */
  acted: number;
};

/** How a run ended; counts only when the target was read to the end. */
export type ReconcileOutcome = {
  outcome: 'completed' | 'target_unavailable' | 'failed';
  counts?: ReconcileCounts;
  error?: string;
};

/** The signature `reconcile/start.ts` starts `reconcileResource` by. */
export type ReconcileWorkflow = (input: ReconcileInput) => Promise<ReconcileOutcome>;

/** A person who left, whose access the `leaver` workflow removes. */
export type LeaverInput = {
  personId: string;
  email: string;
  /** When they became inactive (epoch ms): the leaver SLA is measured from here. */
  deactivatedAt: number;
  /** Who or what deactivated them (`scim:okta`, `file`, an admin's email). */
  by: string;
  slaSeconds: number;
};

/** How a leaver's access removal ended. */
export type LeaverResult = {
  grants: number;
  verified: number;
  /** Removed where the target cannot be read back. */
  unverified: number;
  failed: number;
  requestsCancelled: number;
  /** Requests whose approval steps waited on the leaver, handed to their manager or the owner. */
  approvalsHandedOver: number;
  reviewsHandedOver: number;
  tokensRevoked: number;
  /** The leaver's own accounts at targets that keep them (SaaS apps over SCIM), per resource. */
  accounts: AccountDeactivation[];
  /** From deactivation until the last removal finished. */
  secondsToRemoval: number;
  withinSla: boolean;
};

/** What became of a leaver's account at one resource: deactivated, already so (or absent), or not. */
export type AccountDeactivation = {
  resource: string;
  outcome: 'done' | 'already' | 'failed';
  detail?: string;
};

/** The signature `identity/leaver.ts` starts `leaver` by. */
export type LeaverWorkflow = (input: LeaverInput) => Promise<LeaverResult>;

/** A person who moved (new manager or department), whose access the `mover` workflow looks at again. */
export type MoverInput = {
  personId: string;
  email: string;
  /** When the move was recorded (epoch ms): one workflow per move. */
  movedAt: number;
  /** How long the new manager has for the review. */
  reviewSeconds: number;
};

/** What a move did to the mover's access, by their resources' `onMove`. */
export type MoverResult = {
  reviewed: number;
  revoked: number;
  kept: number;
  /** The review campaign, when any grant went to review. */
  campaignId?: string;
};

/** The signature `identity/mover.ts` starts `mover` by. */
export type MoverWorkflow = (input: MoverInput) => Promise<MoverResult>;
