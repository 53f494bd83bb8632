/** Frameworks an evidence pack can be built for. */
export const FRAMEWORKS = ['soc2', 'iso27001'] as const;
/** One framework. */
export type Framework = (typeof FRAMEWORKS)[number];

/**
 * How often a control operates, in the auditor's sampling vocabulary (AICPA's sampling guide:
 * many times a day → 25, daily → 25, weekly → 5, monthly → 2, quarterly → 2, annually → 1).
 */
export const CONTROL_FREQUENCIES = [
  'many_per_day',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'annually',
] as const;
/** One control frequency. */
export type ControlFrequency = (typeof CONTROL_FREQUENCIES)[number];

/** The populations a pack can extract, each a CSV with its generating query (evidence/populations/). */
export const POPULATION_IDS = [
  'grants_provisioned',
  'requests_decisions',
  'revocations',
  'leavers',
  'privileged_grants',
  'campaign_items',
  'config_changes',
  'admin_actions',
  'refused_attempts',
  'log_reviews',
] as const;
/** One population. */
export type PopulationId = (typeof POPULATION_IDS)[number];

/** The automated tests a pack runs over whole populations, each listing its exceptions (evidence/tests/). */
export const EVIDENCE_TEST_IDS = [
  'grant_without_prior_approval',
  'approver_is_requester',
  'approver_is_fulfiller',
  'access_longer_than_maximum',
  'leaver_removed_after_sla',
  'review_after_due_date',
  'decision_without_rationale',
  'revocation_not_verified',
  'reviewer_reviewed_own_access',
  'reviewer_reviewed_access_they_fulfilled',
  'ledger_read_without_role',
  'rubber_stamping',
  'log_review_incomplete',
] as const;
/** One automated test. */
export type EvidenceTestId = (typeof EVIDENCE_TEST_IDS)[number];

/** The period a pack covers: a calendar quarter (`2026-Q4`) or month (`2026-11`). */
export const PERIOD_PATTERN = /^(\d{4})-(?:Q([1-4])|(0[1-9]|1[0-2]))$/;
