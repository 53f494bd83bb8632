// Workflow ids are built from business keys, so anyone holding a request or grant id can reach
// its workflow, and a workflow id read from Temporal can be turned back into the business key.

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

/** The business key of a grantflow workflow id, or undefined for any other id. */
export function parseWorkflowId(
  workflowId: string,
):
  | { kind: 'access-request'; requestId: string }
  | { kind: 'grant'; grantId: string }
  | { kind: 'campaign'; campaignId: string }
  | undefined {
  if (workflowId.startsWith(REQUEST_PREFIX))
    return { kind: 'access-request', requestId: workflowId.slice(REQUEST_PREFIX.length) };
  if (workflowId.startsWith(GRANT_PREFIX))
    return { kind: 'grant', grantId: workflowId.slice(GRANT_PREFIX.length) };
  if (workflowId.startsWith(CAMPAIGN_PREFIX))
    return { kind: 'campaign', campaignId: workflowId.slice(CAMPAIGN_PREFIX.length) };
  return undefined;
}
