import type postgres from 'postgres';
import { hashEntry, isoTimestamp } from './entry.js';
import { GENESIS_CHAIN } from './hash.js';

/** Advisory lock key that serialises sequencing across every worker. */
const SEQUENCER_LOCK_KEY = 0x67666c64; // "gfld"

/** Most intake rows moved in one transaction. */
export const DEFAULT_BATCH_SIZE = 5_000;

type PendingRow = { id: string; event: Record<string, unknown> };

/**
 * Moves one batch from intake to the ledger, in one transaction under an advisory lock:
 * dense `seq` after the tail, leaf and chain hashes, one multi-row insert, and the intake rows
 * stamped with their seq. Because only the lock holder assigns seq and commits before the next
 * holder reads the tail, commit order is seq order. Returns how many entries were sequenced.
 */
export async function sequenceBatch(sql: postgres.Sql, batchSize = DEFAULT_BATCH_SIZE): Promise<number> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${SEQUENCER_LOCK_KEY})`;
    const pending = await tx<PendingRow[]>`
      select id, event from audit_intake
      where seq is null order by id limit ${batchSize}`;
    if (pending.length === 0) return 0;

    // recorded_at never goes backwards, even if the database clock does; truncated to the
    // milliseconds that are hashed, which keeps it at or after the tail's (stored in ms).
    const [tail] = await tx<{ seq: string; chain_hash: Buffer; recorded_at: string }[]>`
      select seq, chain_hash, ${isoTimestamp(tx, 'greatest(recorded_at, clock_timestamp())')} as recorded_at
      from audit_ledger order by seq desc limit 1`;
    const recordedAt =
      tail?.recorded_at ??
      ((await tx`select ${isoTimestamp(tx, 'clock_timestamp()')} as now`)[0]?.now as string);

    let seq = tail ? Number(tail.seq) : 0;
    let prev: Uint8Array = tail ? tail.chain_hash : GENESIS_CHAIN;
    const columns = {
      intakeId: [] as string[],
      seq: [] as string[],
      leaf: [] as string[],
      chain: [] as string[],
    };
    for (const row of pending) {
      seq += 1;
      const { leaf, chain } = hashEntry({ seq, recorded_at: recordedAt, event: row.event }, prev);
      prev = chain;
      columns.intakeId.push(row.id);
      columns.seq.push(String(seq));
      columns.leaf.push(leaf.toString('hex'));
      columns.chain.push(chain.toString('hex'));
    }
    // The event is copied from intake inside the server (jsonb to jsonb): only ids and hashes
    // travel back, which is most of the sequencer's speed.
    await tx`
      insert into audit_ledger
        (seq, event_id, idempotency_key, event_type, occurred_at, recorded_at, event, leaf_hash, chain_hash)
      select u.seq, i.event_id, i.idempotency_key, i.event->>'event_type', (i.event->>'occurred_at')::timestamptz,
             ${recordedAt}::timestamptz, i.event, decode(u.leaf, 'hex'), decode(u.chain, 'hex')
      from unnest(${columns.intakeId}::bigint[], ${columns.seq}::bigint[], ${columns.leaf}::text[],
                  ${columns.chain}::text[]) as u(id, seq, leaf, chain)
      join audit_intake i on i.id = u.id
      order by u.seq`;
    await tx`
      update audit_intake set seq = u.seq
      from unnest(${columns.intakeId}::bigint[], ${columns.seq}::bigint[]) as u(id, seq)
      where audit_intake.id = u.id`;
    return pending.length;
  });
}

/** Sequences until the intake is empty; returns the total. */
export async function sequenceAll(sql: postgres.Sql, batchSize = DEFAULT_BATCH_SIZE): Promise<number> {
  let total = 0;
  for (;;) {
    const moved = await sequenceBatch(sql, batchSize);
    total += moved;
    if (moved < batchSize) return total;
  }
}
