// Requests: asking for access and deciding it. The use cases here (submit, decide, cancel, retry a
// failed provisioning, report a manual fulfilment, read the live state, an approver's inbox, the
// passkey challenge of a decision that needs step-up) are the only way the API, Slack and the CLI
// reach a request's workflow; each owns who may see the request, and the
// workflow's validators decide who may change it (a refused decision is audited in decide.ts).
export { type ApprovalItem, listDecidedApprovals, listWaitingApprovals } from './approvals.js';
export { decideRequest } from './decide.js';
export { type RequestActor, requestSeenBy } from './find.js';
export { reportFulfilment } from './fulfil.js';
export { liveRequestState, mayDecideNow } from './live-state.js';
export { decisionChallengeFor, stepUpOf } from './step-up.js';
export { submitAccessRequest } from './submit.js';
export { cancelRequest, retryProvisioning } from './withdraw.js';
