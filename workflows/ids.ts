// Workflow ids are built from business keys, so anyone holding a request or grant id can reach
// its workflow.

const REQUEST_PREFIX = 'access-request:';
const GRANT_PREFIX = 'grant:';
const CAMPAIGN_PREFIX = 'campaign:';

/** `access-request:<requestId>`. */
export function accessRequestWorkflowId(requestId: string): string {
  return `${REQUEST_PREFIX}${requestId}`;
}

/** `grant:<grantId>`. */
export function grantWorkflowId(grantId: string): string {
  return `${GRANT_PREFIX}${grantId}`;
}

/** `campaign:<campaignId>`. */
export function campaignWorkflowId(campaignId: string): string {
  return `${CAMPAIGN_PREFIX}${campaignId}`;
}

/** The workflow of one reconciliation run. */
export function reconcileWorkflowId(runId: string): string {
  return `reconcile:${runId}`;
}

/** The mover workflow of one move. */
export function moverWorkflowId(personId: string, movedAt: number): string {
  return `mover:${personId}:${movedAt}`;
}

/** The leaver workflow of one deactivation: a person who leaves twice gets two. */
export function leaverWorkflowId(personId: string, deactivatedAt: number): string {
  return `leaver:${personId}:${deactivatedAt}`;
}

/** The workflow that builds one evidence pack. */
export function evidencePackWorkflowId(packId: string): string {
  return `evidence-pack:${packId}`;
}
