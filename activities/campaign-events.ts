// What campaign activities share: the audit events they write themselves (the snapshot's
// attestation, escalations), correlated with the workflow run that asked for them and keyed by
// business facts so a retry writes nothing twice.
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { AuditEventInput } from '../audit/events.js';
import type { AuditWrite } from '../audit/intake.js';
import { campaignWorkflowId } from '../workflows/ids.js';

/** The campaign and the workflow run an activity works for. */
function campaignCorrelation(campaignId: string): NonNullable<AuditEventInput['correlation']> {
  try {
    const execution = Context.current().info.workflowExecution;
    if (execution) {
      return { campaign_id: campaignId, workflow_id: execution.workflowId, run_id: execution.runId };
    }
  } catch {
    // Not running as an activity.
  }
  return { campaign_id: campaignId, workflow_id: campaignWorkflowId(campaignId) };
}

/** An event about a campaign written by one of its activities, under key `campaign:<id>:<name>`. */
export function campaignEvent(
  campaign: { id: string; name: string },
  name: string,
  draft: Pick<AuditEventInput, 'event_type' | 'actor' | 'action' | 'details'> &
    Partial<Pick<AuditEventInput, 'reason' | 'result'>>,
): AuditWrite {
  return {
    idempotencyKey: `${campaignWorkflowId(campaign.id)}:${name}`,
    event: {
      event_id: randomUUID(),
      occurred_at: new Date().toISOString(),
      source: { service: 'grantflow-worker' },
      target: { type: 'campaign', id: campaign.id, name: campaign.name },
      result: 'success',
      correlation: campaignCorrelation(campaign.id),
      ...draft,
    },
  };
}

/** The worker as an actor, for what no person did. */
export const WORKER_ACTOR = { type: 'system', id: 'grantflow-worker' } as const;
