import { type AuditWrite, appendToIntake } from '../audit/intake.js';
import type { Database } from '../db/client.js';
import { updateAccessRequest } from '../db/queries/access-requests.js';
import { type GrantPatch, insertGrant, updateGrant } from '../db/queries/grants.js';
import { personIdOf } from './person-id.js';

/** What the grant activities need. */
export type GrantActivityDeps = { db: Database };

/** A grant the target has just given, to record and hand to its lifetime workflow. */
export type GrantRecord = {
  grantId: string;
  requestId: string;
  holder: string;
  entitlementId: string;
  /** Epoch milliseconds. */
  grantedAt: number;
  expiresAt: number;
  /** Whether reading the target back showed the access; null where it cannot tell. */
  provisionVerified: boolean | null;
  audit: AuditWrite[];
};

/** A change in a grant's life and the audit events that explain it. */
export type GrantTransition = {
  grantId: string;
  patch: Omit<GrantPatch, 'expiresAt' | 'endedAt' | 'endedById'> & {
    expiresAt?: number;
    ended?: boolean;
    endedBy?: string;
  };
  audit: AuditWrite[];
};

/** Activities that keep the `grants` table and the ledger in step with the grant workflows. */
export function createGrantActivities(deps: GrantActivityDeps) {
  return {
    /** Records the grant on its own row and its request's, with its audit events, in one transaction. */
    async recordGrant(record: GrantRecord): Promise<void> {
      const holderId = await personIdOf(deps.db, record.holder);
      await deps.db.transaction(async (tx) => {
        await insertGrant(tx, {
          id: record.grantId,
          personId: holderId,
          entitlementId: record.entitlementId,
          requestId: record.requestId,
          grantedAt: new Date(record.grantedAt),
          expiresAt: new Date(record.expiresAt),
          provisionVerified: record.provisionVerified,
          // The request workflow starts the lifetime as its child right after this.
          lifetimeStartedAt: new Date(),
        });
        // The request turns `granted` only once the grant's lifetime workflow runs (see handOver).
        await updateAccessRequest(tx, record.requestId, { grantId: record.grantId });
        await appendToIntake(tx, record.audit);
      });
    },

    /** Applies an extension, release, revocation, expiry or removal check, with its audit events. */
    async recordGrantTransition(transition: GrantTransition): Promise<void> {
      const { expiresAt, ended, endedBy, ...patch } = transition.patch;
      // A grant ended by one of grantflow's own processes (a leaver: `identity:leaver`) has no person.
      const endedById = endedBy?.includes('@') ? await personIdOf(deps.db, endedBy) : undefined;
      await deps.db.transaction(async (tx) => {
        await updateGrant(tx, transition.grantId, {
          ...patch,
          ...(expiresAt !== undefined ? { expiresAt: new Date(expiresAt) } : {}),
          ...(ended ? { endedAt: new Date() } : {}),
          ...(endedById ? { endedById } : {}),
        });
        await appendToIntake(tx, transition.audit);
      });
    },
  };
}
