// Where verification of a pruned ledger starts. Retention deletes entries 1..B below a signed
// checkpoint of size B and records the disposal (audit.ledger.pruned) in the ledger; the walk then
// starts at entry B + 1 from that checkpoint's chain head and frontier, the frontier held to its
// signed root. A ledger that starts past entry 1 with no disposal covering exactly the missing
// prefix, or one whose boundary checkpoint does not verify, gets no start: the walk begins at
// genesis and the missing entries are reported as deleted, as any other deletion.
import type postgres from 'postgres';
import type { MerkleFrontier } from '../merkle.js';
import type { DbCheckpoint } from './checkpoints.js';

/** The boundary the retained ledger continues from, and the disposal that justifies it. */
export type RetainedStart = {
  /** The first retained entry. */
  seq: number;
  checkpointId: number;
  chainHead: Buffer;
  frontier: MerkleFrontier;
  /** The disposal event's position (absent while it waits in the intake) and what it recorded. */
  disposalSeq?: number;
  manifestSha256: string;
  archive: string;
};

type Disposal = {
  seq: string | null;
  checkpoint_id: string | null;
  manifest: string | null;
  archive: string | null;
};

export async function findRetainedStart(
  tx: postgres.TransactionSql,
  checkpoints: DbCheckpoint[],
): Promise<RetainedStart | undefined> {
  const [oldest] = await tx<{ seq: string | null }[]>`select min(seq) as seq from audit_ledger`;
  const first = oldest?.seq ? Number(oldest.seq) : undefined;
  if (first === undefined || first <= 1) return undefined;
  // The disposal is written by audit_prune_below() into the intake in the pruning transaction, so
  // it is in the ledger, or still waiting to be sequenced.
  const disposals = await tx<Disposal[]>`
    select seq, event->'details'->>'checkpoint_id' as checkpoint_id,
           event->'details'->>'manifest_sha256' as manifest, event->'details'->>'archive' as archive
    from audit_ledger
    where event_type = 'audit.ledger.pruned' and event->'details'->>'to_seq' = ${String(first - 1)}
    union all
    select null, event->'details'->>'checkpoint_id', event->'details'->>'manifest_sha256',
           event->'details'->>'archive'
    from audit_intake
    where seq is null and event->>'event_type' = 'audit.ledger.pruned'
      and event->'details'->>'to_seq' = ${String(first - 1)}`;
  for (const disposal of disposals) {
    const checkpoint = checkpoints.find((candidate) => String(candidate.id) === disposal.checkpoint_id);
    const claim = checkpoint?.trusted ? checkpoint.claim : undefined;
    if (!claim || claim.size !== first - 1 || !claim.frontier || !claim.chainHead) continue;
    return {
      seq: first,
      checkpointId: checkpoint!.id,
      chainHead: claim.chainHead,
      frontier: claim.frontier,
      ...(disposal.seq !== null ? { disposalSeq: Number(disposal.seq) } : {}),
      manifestSha256: disposal.manifest ?? '',
      archive: disposal.archive ?? '',
    };
  }
  return undefined;
}
