/** Where a request stands; the workflow is the source of truth, the row its projection. */
export const REQUEST_STATUSES = [
  'pending',
  'pending_approval',
  'provisioning',
  'awaiting_fulfilment',
  'provisioning_failed',
  'granted',
  'denied',
  'cancelled',
  'expired',
] as const;
/** A request status. */
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Where a grant stands as stored; the workflow also knows `ending`, while removal runs. */
export const GRANT_STATUSES = ['active', 'expired', 'released', 'revoked'] as const;
/** A stored grant status. @public */
export type GrantStatus = (typeof GRANT_STATUSES)[number];

/**
 * How grantflow came to know a grant: through a request, imported from the directory file,
 * adopted by reconciliation from what a target already held (the next campaign reviews it), or
 * given by a birthright rule of the directory file (a department or group's standing access).
 */
export const GRANT_SOURCES = ['request', 'import', 'reconciliation', 'birthright'] as const;
/** A grant source. @public */
export type GrantSource = (typeof GRANT_SOURCES)[number];

/** Where a campaign stands, from launch to sign-off. */
export const CAMPAIGN_STATUSES = [
  'launching',
  'reviewing',
  'enforcing',
  'awaiting_signoff',
  'closed',
] as const;
/** A campaign status. @public */
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Where a periodic log review stands: `open` while its items are reviewed, then `signed_off`. */
export const LOG_REVIEW_STATUSES = ['open', 'signed_off'] as const;
/** A log review status. @public */
export type LogReviewStatus = (typeof LOG_REVIEW_STATUSES)[number];
