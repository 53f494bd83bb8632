// Activities: every side effect a workflow asks for (database writes, connectors, notifications,
// the audit intake, starting other workflows), grouped by domain in one factory each. The worker
// builds them once with their dependencies (deps.ts); workflows proxy the `Activities` type.
import { createAuditActivities } from './audit.js';
import { createCampaignNoticeActivities } from './campaign-notices.js';
import { createCampaignRevocationActivities } from './campaign-revocations.js';
import { createCampaignScheduleActivities } from './campaign-schedule.js';
import { createCampaignActivities } from './campaigns.js';
import type { ActivityDeps } from './deps.js';
import { createEvidenceActivities } from './evidence.js';
import { createGrantActivities } from './grants.js';
import { createLeaverActivities } from './leaver.js';
import { createLogReviewScheduleActivities } from './log-review-schedule.js';
import { createMoverActivities } from './mover.js';
import { createNotifyActivities } from './notify.js';
import { createProvisioningActivities } from './provisioning.js';
import { createReconcileActivities } from './reconcile.js';
import { createRequestActivities } from './requests.js';

export type { ActivityDeps };

/**
 * All activities, grouped by domain factory. Workflows proxy `ReturnType<typeof createActivities>`.
 */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createAuditActivities(deps),
    ...createRequestActivities(deps),
    ...createProvisioningActivities(deps),
    ...createGrantActivities(deps),
    ...createNotifyActivities(deps),
    ...createCampaignActivities(deps),
    ...createCampaignNoticeActivities(deps),
    ...createCampaignRevocationActivities(deps),
    ...createCampaignScheduleActivities(deps),
    ...createReconcileActivities(deps),
    ...createLeaverActivities(deps),
    ...createMoverActivities(deps),
    ...createEvidenceActivities(deps),
    ...createLogReviewScheduleActivities(deps),
  };
}

/** The activity interface workflows proxy. */
export type Activities = ReturnType<typeof createActivities>;
