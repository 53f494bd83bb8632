// Reconciliation's words: what a difference between a target and the grants is called, where it
// stands, and what a resource's policy does about each kind.

/**
 * `orphan`: the target holds access no grant explains; `missing`: a grant the target does not
 * hold; `unknown_account`: the target holds access for an account that is nobody in the directory;
 * `sod_violation`: someone holds, right now, entitlements a separation-of-duties rule forbids together.
 */
export const FINDING_KINDS = ['orphan', 'missing', 'unknown_account', 'sod_violation'] as const;
/** A finding kind. @public */
export type FindingKind = (typeof FINDING_KINDS)[number];

/** Open until resolved: by the policy's action, by a person, or by the next run no longer seeing it. */
export const FINDING_STATUSES = ['open', 'resolved'] as const;
/** A finding status. @public */
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** What a resource does with an orphan: tell people, take it away, or adopt it as a reviewed grant. */
export const ORPHAN_ACTIONS = ['alert', 'revoke', 'adopt'] as const;
/** An orphan action. @public */
export type OrphanAction = (typeof ORPHAN_ACTIONS)[number];

/** What a resource does with a missing grant: tell people, or provision it again. */
export const MISSING_ACTIONS = ['alert', 'reprovision'] as const;
/** A missing-grant action. @public */
export type MissingAction = (typeof MISSING_ACTIONS)[number];

/** How a reconciliation run ended: compared, or stopped because the target could not be read. */
export const RECONCILIATION_OUTCOMES = ['running', 'completed', 'target_unavailable', 'failed'] as const;
/** A reconciliation run's outcome. @public */
export type ReconciliationOutcome = (typeof RECONCILIATION_OUTCOMES)[number];
