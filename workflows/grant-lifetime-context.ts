// What one grant's lifetime shares between its main flow and its handlers: the run's state, the
// activities, and the audit event helper with the grant as target and its ids as correlation.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { auditWrite, type WorkflowAuditDraft } from './audit-write.js';
import type { ActorInput, GrantLifetimeInput, GrantState } from './messages.js';

export const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** How a grant ends, and who ended it (none for an expiry). */
export type Ending = { kind: 'expired' | 'released' | 'revoked'; actor?: ActorInput };

/** One grant's run: the input, the state the query shows, and what the handlers set for the main flow. */
export type GrantRun = {
  input: GrantLifetimeInput;
  state: GrantState;
  /** Set by a release or revoke (or the expiry); the main flow then removes the access. */
  ending?: Ending;
  reminded: boolean;
  extensions: number;
  /** Who reported a manual removal done. */
  removalDoneBy?: string;
};

/** Starts a run's shared state. */
export function newGrantRun(input: GrantLifetimeInput): GrantRun {
  return {
    input,
    state: {
      grantId: input.grantId,
      holder: input.holder.email,
      status: 'active',
      expiresAt: input.expiresAt,
    },
    reminded: false,
    extensions: 0,
  };
}

/** An audit event about this grant. */
export function grantAudit(run: GrantRun, name: string, draft: Omit<WorkflowAuditDraft, 'target'>) {
  const { input } = run;
  return auditWrite(name, {
    target: {
      type: 'entitlement',
      id: `${input.resource.key}/${input.entitlement.key}`,
      name: input.entitlement.name,
    },
    risk: input.entitlement.risk,
    ...draft,
    // Every grant event names whose access it is: a revocation that says only which grant is of
    // little use to a SIEM (or an auditor) reading the export without grantflow's database.
    details: { holder: input.holder.email, ...draft.details },
    correlation: { grant_id: input.grantId, ...(input.requestId ? { request_id: input.requestId } : {}) },
  });
}

/** "Payments DB / read", for messages. */
export const grantWhat = (run: GrantRun) => `${run.input.resource.name} / ${run.input.entitlement.name}`;
