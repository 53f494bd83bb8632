// The workflow bundle's entry: every workflow the worker hosts is exported from here.
export { accessRequest } from './access-request.js';
export { auditCheckpoint } from './audit-checkpoint.js';
export { campaign } from './campaign.js';
export { scheduledCampaignLaunch } from './campaign-schedule.js';
export { evidencePack } from './evidence-pack.js';
export { grantLifetime } from './grant-lifetime.js';
export { leaver } from './leaver.js';
export { scheduledLogReview } from './log-review-schedule.js';
export { mover } from './mover.js';
export { reconcileResource, scheduledReconciliation } from './reconcile.js';
