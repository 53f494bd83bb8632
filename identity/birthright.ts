// Joiners' birthright access: what the directory file's birthright rules give everyone of a
// department or group, without a request or an approval. The worker's loop runs this sweep every few
// seconds, so a file import and a SCIM change both take effect within seconds, and a sweep that finds
// nothing to do costs two queries.
//
// - An active person entitled to an entitlement they hold by no active grant (of any source) gets a
//   standing grant from `birthright`, recorded with `access.grant.birthright` in the same transaction.
//   The worker's loop then starts its lifetime workflow (grants/start-lifetimes.ts), which provisions
//   it at the target exactly once and reads it back: the workflow id is the grant's, started once.
// - An active birthright grant that no active rule gives its holder any more (a new department or
//   group, a rule changed or removed) is revoked through its lifetime workflow, which removes it at
//   the target and reads it back.
// - Inactive people are left alone: the leaver workflow removes their access.
import { randomUUID } from 'node:crypto';
import { type Client, WorkflowUpdateStage } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import { type AuditWrite, appendToIntake, completeEvent } from '../audit/intake.js';
import type { Database } from '../db/client.js';
import {
  insertBirthrightGrant,
  listMissingBirthright,
  listStaleBirthright,
  type StaleBirthright,
} from '../db/queries/birthright-grants.js';
import { isRefusedAsMoot, isWorkflowNotFound } from '../temporal/updates.js';
import { grantWorkflowId } from '../workflows/ids.js';
import { type ActorInput, revokeUpdate } from '../workflows/messages.js';

/** What the sweep needs. */
export type BirthrightDeps = { db: Database; temporal: Client };

/** What one sweep did. */
export type BirthrightSweep = {
  /** Birthright grants recorded (each provisioned by its lifetime workflow). */
  granted: number;
  /** Birthright grants whose lifetime workflow accepted a revocation. */
  revoked: number;
};

/** The name the sweep acts under in grants' ledgers. */
const BIRTHRIGHT_ACTOR = 'identity:birthright';

/** Grants recorded per transaction, and stale grants looked at per sweep. */
const BATCH = 200;

// Serialises the sweeps of several workers, so two never record the same grant ("gf-brt" in ASCII).
const SWEEP_LOCK_KEY = 0x67662d627274;

/** Grants what the rules give and is missing, then revokes what they no longer give; see the file comment. */
export async function sweepBirthright(deps: BirthrightDeps): Promise<BirthrightSweep> {
  let granted = 0;
  for (let listed = BATCH; listed === BATCH; ) {
    const batch = await grantMissing(deps.db);
    listed = batch.listed;
    granted += batch.recorded;
  }
  let revoked = 0;
  // One grant's workflow that cannot be reached does not hold up the others; the first error is
  // thrown once all were tried, and the next sweep tries again.
  let failure: unknown;
  for (const grant of await listStaleBirthright(deps.db, BATCH)) {
    try {
      if (await revokeStale(deps.temporal, grant)) revoked += 1;
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
  return { granted, revoked };
}

/** Records up to one batch of missing birthright grants, each with its ledger event. */
async function grantMissing(db: Database): Promise<{ listed: number; recorded: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(SWEEP_LOCK_KEY))})`);
    // Listed under the lock: what a concurrent sweep just recorded is held now, so not listed.
    const missing = await listMissingBirthright(tx, BATCH);
    const events: AuditWrite[] = [];
    for (const entry of missing) {
      const grantId = randomUUID();
      const inserted = await insertBirthrightGrant(tx, {
        id: grantId,
        personId: entry.personId,
        entitlementId: entry.entitlementId,
        ruleId: entry.ruleId,
      });
      if (!inserted) continue;
      const event = completeEvent(
        {
          event_type: 'access.grant.birthright',
          actor: { type: 'system', id: BIRTHRIGHT_ACTOR },
          target: { type: 'entitlement', id: entry.entitlementRef },
          action: 'grant',
          result: 'success',
          reason: `birthright rule "${entry.ruleName}"`,
          correlation: { grant_id: grantId },
          details: { holder: entry.holderEmail, rule: entry.ruleName, when: entry.when, expiresAt: null },
        },
        { service: 'grantflow-worker' },
      );
      events.push({ idempotencyKey: `birthright:${grantId}:granted`, event });
    }
    await appendToIntake(tx, events);
    return { listed: missing.length, recorded: events.length };
  });
}

/**
 * Asks the grant's lifetime workflow to revoke it, waiting only until the workflow accepted (its
 * removal at the target may take a while, and the sweep has other grants to see to). The update id
 * is the grant's, so the next sweep seeing it again before it ends asks nothing new. False when the
 * workflow is already ending the grant, or is gone (the next sweep sees the grant as it is then).
 */
async function revokeStale(temporal: Client, grant: StaleBirthright): Promise<boolean> {
  const actor: ActorInput = {
    by: BIRTHRIGHT_ACTOR,
    asAdmin: true,
    reason: `birthright rule "${grant.ruleName}" no longer applies to ${grant.holderEmail}`,
  };
  try {
    await temporal.workflow.getHandle(grantWorkflowId(grant.grantId)).startUpdate(revokeUpdate, {
      args: [actor],
      updateId: `birthright:revoke:${grant.grantId}`,
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });
    return true;
  } catch (error) {
    if (isWorkflowNotFound(error) || isRefusedAsMoot(error)) return false;
    throw error;
  }
}
