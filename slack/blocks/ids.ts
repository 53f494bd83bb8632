// The ids grantflow's Block Kit carries: action ids of buttons and selects, block ids of inputs, and
// callback ids of modals, for the request flow and the certification campaigns. Listeners match on
// them, so they live apart from the builders that place them.

/** Action ids of every button/select grantflow puts in Slack. */
export const ACTION = {
  approve: 'request_approve',
  // The Approve of a request that needs a passkey: a link to the console; the click decides nothing.
  approveInConsole: 'request_approve_console',
  deny: 'request_deny', // value: requestId
  fulfilDone: 'fulfil_done',
  fulfilRefused: 'fulfil_refused', // value: requestId
  extend: 'grant_extend',
  release: 'grant_release', // value: grantId
  entitlement: 'entitlement_select', // external_select in the request modal
  duration: 'duration_select',
  reason: 'reason_input',
} as const;

/** The Review button's action id (value: campaignId), on the App Home and in the review digest. */
export const REVIEW_OPEN_ACTION = 'review_open';

/** Block ids of the inputs of the request and reason modals (view_submission reads state.values[block][action]). */
export const BLOCK = { entitlement: 'entitlement', duration: 'duration', reason: 'reason' } as const;

/** Callback ids of modals. */
export const VIEW = {
  request: 'access_request',
  denyReason: 'deny_reason',
  fulfilRefused: 'fulfil_refused_reason',
} as const;

/** Action ids of the review and its buttons (values noted; page state is in the modal's metadata). */
export const REVIEW_ACTION = {
  open: REVIEW_OPEN_ACTION, // value: campaignId
  keep: 'review_keep', // value: itemId
  revoke: 'review_revoke', // value: itemId
  keepPage: 'review_keep_page', // value: campaignId
  next: 'review_next',
  previous: 'review_previous',
  first: 'review_first', // back to the first open item
  reason: 'review_reason_input',
} as const;

/** Block ids of the review modals. */
export const REVIEW_BLOCK = { reason: 'review_reason', pageActions: 'review_page' } as const;

/** Callback ids of the campaign modals. */
export const CAMPAIGN_VIEW = {
  review: 'campaign_review',
  revokeReason: 'campaign_revoke_reason',
  launch: 'campaign_launch',
  launched: 'campaign_launched',
} as const;

/** Block ids of the launch modal; each input's action id is its block id. */
export const LAUNCH_BLOCK = {
  name: 'launch_name',
  resources: 'launch_resources',
  entitlements: 'launch_entitlements',
  riskLevels: 'launch_risk_levels',
  departments: 'launch_departments',
  reviewerRule: 'launch_reviewer_rule',
  reviewerPerson: 'launch_reviewer_person',
  dueDays: 'launch_due_days',
  reminderHours: 'launch_reminder_hours',
  escalationHours: 'launch_escalation_hours',
  defaultAction: 'launch_default_action',
  allowChanges: 'launch_allow_changes',
} as const;

/** The block id of one item's Keep / Revoke buttons. */
export const itemBlockId = (itemId: number) => `review_item_${itemId}`;
