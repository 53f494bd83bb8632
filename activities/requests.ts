import { ApplicationFailure } from '@temporalio/activity';
import { type AuditWrite, appendToIntake } from '../audit/intake.js';
import type { Database } from '../db/client.js';
import {
  type AccessRequestPatch,
  getAccessRequest,
  updateAccessRequest,
} from '../db/queries/access-requests.js';
import { insertApprovalDecision } from '../db/queries/approval-decisions.js';
import { evaluatePolicy } from '../policy/evaluate.js';
import type { PolicyDecision } from '../policy/types.js';
import { loadRequestContext } from '../requests/policy-input.js';
import { personIdOf } from './person-id.js';

/** What the request activities need. */
export type RequestActivityDeps = { db: Database };

/** A change to a request row and the audit event that explains it, written together. */
export type RequestTransition = {
  requestId: string;
  patch: Omit<AccessRequestPatch, 'closedAt'> & { closed?: boolean };
  audit: AuditWrite[];
};

/** One accepted decision with its audit event. */
export type DecisionRecord = {
  requestId: string;
  stepIndex: number;
  approver: string;
  actedBy?: string;
  decision: 'approve' | 'deny';
  comment?: string;
  audit: AuditWrite;
};

/** Activities of the access-request workflow that touch the database (not the target systems). */
export function createRequestActivities(deps: RequestActivityDeps) {
  return {
    /** Evaluates the entitlement's policy for the request, as the directory stands now. */
    async planAccessRequest(input: { requestId: string }): Promise<PolicyDecision> {
      const request = await getAccessRequest(deps.db, input.requestId);
      if (!request) {
        throw ApplicationFailure.nonRetryable(`no access request ${input.requestId}`, 'unknown_request');
      }
      const context = await loadRequestContext(deps.db, {
        requesterId: request.requesterId,
        entitlementId: request.entitlementId,
        excludeRequest: true,
      });
      return evaluatePolicy(context.policyInput);
    },

    /**
     * Applies a transition to the request row and appends its audit events in one transaction:
     * the projection and the ledger never disagree. Idempotent (the audit keys are deterministic
     * and the patch sets absolute values).
     */
    async recordRequestTransition(transition: RequestTransition): Promise<void> {
      const { closed, ...patch } = transition.patch;
      await deps.db.transaction(async (tx) => {
        await updateAccessRequest(tx, transition.requestId, {
          ...patch,
          ...(closed ? { closedAt: new Date() } : {}),
        });
        await appendToIntake(tx, transition.audit);
      });
    },

    /** Stores an accepted decision and its audit event in one transaction; a retry changes nothing. */
    async recordDecision(record: DecisionRecord): Promise<void> {
      const approverId = await personIdOf(deps.db, record.approver);
      const actedById = record.actedBy ? await personIdOf(deps.db, record.actedBy) : null;
      await deps.db.transaction(async (tx) => {
        await insertApprovalDecision(tx, {
          requestId: record.requestId,
          stepIndex: record.stepIndex,
          approverId,
          actedById,
          decision: record.decision,
          comment: record.comment ?? null,
        });
        await appendToIntake(tx, [record.audit]);
      });
    },
  };
}
