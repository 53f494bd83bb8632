// Grants: what a person holds, from provisioning to removal. The use cases here (extend, release,
// revoke, report a manual removal) are the only way the API and Slack change a grant: each checks
// who may see it, then asks the grant's lifetime workflow, which decides and records. Grants
// recorded without one (imported, adopted by reconciliation, birthright) get their lifetime
// workflow from start-lifetimes.ts.
export { releaseGrant, revokeGrant } from './end.js';
export { extendGrant } from './extend.js';
export { type GrantActor, grantSeenBy } from './find.js';
export { reportRemovalDone } from './removal.js';
