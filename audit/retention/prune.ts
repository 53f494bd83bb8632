// Deletes an archived segment from the database through the one path the triggers allow,
// audit_prune_below() (migration 0018), which also records the disposal in the ledger. Runs as
// the database owner: the runtime role the services use may not call it.
import type postgres from 'postgres';
import { type AuditActor, parseAuditEvent } from '../events.js';
import { completeEvent } from '../intake.js';
import type { SegmentPlan } from './plan.js';

/** What a prune removed. */
export type PruneResult = { from: number; to: number; entriesDeleted: number; intakeDeleted: number };

/** The audit.ledger.pruned event that records the disposal of `plan`'s segment. */
export function disposalEvent(
  plan: SegmentPlan,
  archive: { dir: string; manifestSha256: string },
  actor: AuditActor,
) {
  return parseAuditEvent(
    completeEvent({
      event_type: 'audit.ledger.pruned',
      actor,
      target: { type: 'audit_ledger', id: `seq ${plan.from}..${plan.to}` },
      action: 'prune',
      result: 'success',
      reason: `recorded before ${plan.cutoff}, past the retention period`,
      details: {
        from_seq: plan.from,
        to_seq: plan.to,
        checkpoint_id: plan.boundary.id,
        manifest_sha256: archive.manifestSha256,
        archive: archive.dir,
        cutoff: plan.cutoff,
      },
    }),
  );
}

/** Prunes `plan`'s segment, whose archive was verified; the disposal event is recorded in the same transaction. */
export async function pruneSegment(
  ownerSql: postgres.Sql,
  plan: SegmentPlan,
  archive: { dir: string; manifestSha256: string },
  actor: AuditActor,
): Promise<PruneResult> {
  const event = disposalEvent(plan, archive, actor);
  const [row] = await ownerSql<
    { from_seq: string; to_seq: string; entries_deleted: string; intake_deleted: string }[]
  >`select * from audit_prune_below(${plan.boundary.id}, ${archive.manifestSha256}, ${actor.id},
                                    ${JSON.stringify(event)}::jsonb)`;
  return {
    from: Number(row?.from_seq),
    to: Number(row?.to_seq),
    entriesDeleted: Number(row?.entries_deleted),
    intakeDeleted: Number(row?.intake_deleted),
  };
}
