// Which segment retention archives next: everything from the oldest retained entry up to the
// newest checkpoint whose last entry was recorded before now − retention.
import type postgres from 'postgres';
import { GENESIS_CHAIN } from '../hash.js';
import { MerkleFrontier, type MerkleFrontierState } from '../merkle.js';

type Sql = postgres.Sql | postgres.TransactionSql;

/** A segment to archive and prune, with the checkpoints that bound it. */
export type SegmentPlan = {
  from: number;
  to: number;
  cutoff: string;
  boundary: { id: number; treeSize: number; note: string; chainHead: Buffer };
  /** The checkpoint of tree size from − 1, or null at genesis. */
  start: { id: number; note: string } | null;
  previousChain: Buffer;
  startFrontier: MerkleFrontier;
};

type CheckpointRow = { id: string; tree_size: string; note: string; chain_head: Buffer; frontier: unknown };

/**
 * The next segment past `retentionSeconds` at `now`, or undefined when nothing is old enough. The
 * newest entry always stays (the sequencer continues the chain from it), so the boundary is a
 * checkpoint below the ledger's newest entry.
 */
export async function planSegment(
  sql: Sql,
  options: { retentionSeconds: number; now?: Date },
): Promise<SegmentPlan | undefined> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.retentionSeconds * 1000).toISOString();
  const [range] = await sql<{ oldest: string | null; newest: string | null }[]>`
    select min(seq) as oldest, max(seq) as newest from audit_ledger`;
  if (!range?.oldest || !range.newest) return undefined;
  const from = Number(range.oldest);
  const [boundary] = await sql<CheckpointRow[]>`
    select c.id, c.tree_size, c.note, c.chain_head, c.frontier from audit_checkpoint c
    join audit_ledger l on l.seq = c.tree_size
    where l.recorded_at < ${cutoff}::timestamptz and c.tree_size >= ${from} and c.tree_size < ${range.newest}
    order by c.tree_size desc, c.id desc limit 1`;
  if (!boundary) return undefined;
  let start: SegmentPlan['start'] = null;
  let previousChain: Buffer = GENESIS_CHAIN;
  let startFrontier = new MerkleFrontier();
  if (from > 1) {
    // The previous prune's boundary: its row keeps the chain head and frontier it was sealed with.
    const [row] = await sql<CheckpointRow[]>`
      select id, tree_size, note, chain_head, frontier from audit_checkpoint
      where tree_size = ${from - 1} order by id desc limit 1`;
    if (!row) {
      throw new Error(
        `the ledger starts at entry ${from} but no checkpoint of tree size ${from - 1} is there to continue from`,
      );
    }
    start = { id: Number(row.id), note: row.note };
    previousChain = row.chain_head;
    startFrontier = MerkleFrontier.fromJSON(row.frontier as MerkleFrontierState);
  }
  return {
    from,
    to: Number(boundary.tree_size),
    cutoff,
    boundary: {
      id: Number(boundary.id),
      treeSize: Number(boundary.tree_size),
      note: boundary.note,
      chainHead: boundary.chain_head,
    },
    start,
    previousChain,
    startFrontier,
  };
}
