// Audit events built inside workflows. The id comes from the workflow's seeded uuid4 and the time
// from the workflow clock, and the idempotency key names the transition: a replay rebuilds the
// identical write, and a retried activity finds its key already taken.
import { uuid4, workflowInfo } from '@temporalio/workflow';
import type { AuditEventInput } from '../audit/events.js';
import type { AuditWrite } from '../audit/intake.js';

/** An event as a workflow drafts it; id, time and source are filled in here. */
export type WorkflowAuditDraft = Omit<AuditEventInput, 'event_id' | 'occurred_at' | 'source'>;

/** The write for transition `name` of this workflow (key `<workflowId>:<name>`). */
export function auditWrite(name: string, draft: WorkflowAuditDraft): AuditWrite {
  const { workflowId, runId } = workflowInfo();
  return {
    idempotencyKey: `${workflowId}:${name}`,
    event: {
      ...draft,
      event_id: uuid4(),
      occurred_at: new Date().toISOString(),
      source: { service: 'grantflow-worker' },
      correlation: { workflow_id: workflowId, run_id: runId, ...draft.correlation },
    },
  };
}

/** The worker itself as an actor, for transitions nobody clicked (timers, provisioning). */
export const WORKFLOW_ACTOR = { type: 'system', id: 'grantflow-worker' } as const;

/**
 * A person as an actor; `actedBy` is an admin acting for them; `slackId` when they clicked in Slack.
 * A name without `@` is one of grantflow's own processes, recorded as a system actor.
 */
export function personActor(email: string, actedBy?: string, slackId?: string): AuditEventInput['actor'] {
  // Grantflow's own processes act under a name, not an email (the leaver workflow: `identity:leaver`).
  if (!email.includes('@')) return { type: 'system', id: email };
  const slack = slackId ? { slack_id: slackId } : {};
  return actedBy
    ? { type: 'person', id: actedBy, email: actedBy, on_behalf_of: email, ...slack }
    : { type: 'person', id: email, email, ...slack };
}
