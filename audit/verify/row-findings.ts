// Interpreting what the walk saw, for single entries and intake rows: edited payloads and
// columns, chain cuts, dates, duplicates, entries that bypassed the sequencer, and intake rows
// that are stalled or orphaned.
import type postgres from 'postgres';
import type { FindingList } from './findings.js';
import { MAX_ISSUES } from './limits.js';
import type { Settings } from './types.js';
import type { Walk } from './walk.js';

// A ledger entry without an intake row bypassed the sequencer, unless its intake row is still
// there under the same seq and only the unhashed idempotency_key column was edited.
export async function reportMissingIntake(
  tx: postgres.TransactionSql,
  walk: Walk,
  findings: FindingList,
): Promise<void> {
  const missing = walk.noIntake.filter(({ seq }) => !walk.moves.has(seq));
  if (missing.length === 0) return;
  const stamped = await tx<{ seq: string; idempotency_key: string; event_id: string }[]>`
    select seq, idempotency_key, event_id from audit_intake
    where seq = any(${missing.map((entry) => entry.seq)}::bigint[])`;
  for (const entry of missing) {
    const intake = stamped.find((row) => Number(row.seq) === entry.seq && row.event_id === entry.eventId);
    if (intake && intake.idempotency_key !== entry.key) {
      const issues = walk.columnIssues.get(entry.seq) ?? [];
      issues.push(`idempotency_key column ${entry.key} is not its intake row's ${intake.idempotency_key}`);
      walk.columnIssues.set(entry.seq, issues);
      continue;
    }
    findings.add({
      code: 'row_inserted',
      seq: entry.seq,
      message: entry.unstamped
        ? `entry ${entry.seq}'s intake row (key ${entry.key}) was never stamped: ` +
          'it was written into the ledger directly'
        : `entry ${entry.seq} (key ${entry.key}) has no intake row: it was written into the ledger directly`,
    });
  }
}

export function reportRows(walk: Walk, vouched: number, findings: FindingList): void {
  const seqs = new Set([...walk.leafFailures.keys(), ...walk.columnIssues.keys()]);
  for (const seq of [...seqs].sort((a, b) => a - b)) {
    const move = walk.moves.get(seq);
    // Columns that disagree with a moved event are the move's doing, reported as such.
    if (move && !walk.leafFailures.has(seq)) continue;
    const reasons = [walk.leafFailures.get(seq), ...(walk.columnIssues.get(seq) ?? [])].filter(Boolean);
    const moved = move ? ` (it was written as seq ${seq + move.offset})` : '';
    findings.add({
      code: 'payload_edited',
      seq,
      message: `entry ${seq} was edited${moved}: ${reasons.join('; ')}`,
    });
  }
  for (const seq of walk.chainBreaks) {
    if (findings.isExplained(seq)) continue;
    findings.add({
      code: 'chain_broken',
      seq,
      message:
        `entry ${seq}'s chain hash is not SHA-256(chain of entry ${seq - 1} ‖ its leaf): ` +
        'the chain was cut here',
    });
  }
  for (const entry of walk.recordedBackwards) {
    if (findings.isExplained(entry.seq)) continue;
    findings.add({
      code: 'backdated',
      seq: entry.seq,
      message:
        `entry ${entry.seq} was recorded at ${entry.recordedAt}, ` +
        `before the entry preceding it (${entry.previous})`,
    });
  }
  for (const entry of walk.occurredFuture) {
    findings.add({
      code: 'backdated',
      seq: entry.seq,
      message:
        `entry ${entry.seq} says it occurred at ${entry.occurredAt}, ` +
        `after it was recorded (${entry.recordedAt})`,
    });
  }
  for (const seq of walk.intakeEventDiffers) {
    if (walk.moves.has(seq) || walk.leafFailures.has(seq) || findings.isExplained(seq)) continue;
    if (seq <= vouched) {
      // A checkpoint vouches for the ledger entry, so the intake row is the one that changed.
      findings.add({
        code: 'intake_orphaned',
        seq,
        message:
          `the intake row stamped ${seq} no longer holds the event of entry ${seq}, ` +
          'which a checkpoint vouches for: ' +
          'the intake row was altered, or the ledger was rewritten and resealed with the signing key',
      });
    } else {
      findings.add({
        code: 'payload_rewritten',
        seq,
        message:
          `entry ${seq}'s event differs from what its writer submitted (its intake row), ` +
          'yet its hashes check out: rewritten with its hashes recomputed',
      });
    }
  }
}

export async function reportDuplicates(
  tx: postgres.TransactionSql,
  since: number,
  findings: FindingList,
): Promise<void> {
  const byEventId = await tx<{ value: string; seqs: string[] }[]>`
    select event ->> 'event_id' as value, array_agg(seq order by seq) as seqs from audit_ledger
    group by event ->> 'event_id' having count(*) > 1 and max(seq) >= ${since}
    order by min(seq) limit ${MAX_ISSUES}`;
  // The unique index makes this empty, unless someone dropped the index first.
  const byKey = await tx<{ value: string; seqs: string[] }[]>`
    select idempotency_key as value, array_agg(seq order by seq) as seqs from audit_ledger
    group by idempotency_key having count(*) > 1 and max(seq) >= ${since}
    order by min(seq) limit ${MAX_ISSUES}`;
  for (const [field, rows] of [
    ['event_id', byEventId],
    ['idempotency key', byKey],
  ] as const) {
    for (const row of rows) {
      const seqs = row.seqs.map(Number);
      for (const seq of seqs.slice(1).filter((seq) => seq >= since)) {
        findings.add({
          code: 'duplicate_event',
          seq,
          message:
            `entry ${seq} repeats ${field} ${row.value} of entry ${seqs[0]} ` +
            `(all at seq ${seqs.join(', ')})`,
        });
      }
    }
  }
}

export async function reportIntake(
  tx: postgres.TransactionSql,
  settings: Settings,
  findings: FindingList,
): Promise<void> {
  const [stalled] = await tx<
    { count: string; oldest_id: string | null; oldest_key: string | null; oldest_at: string | null }[]
  >`
    select count(*) as count, min(id) as oldest_id,
           (array_agg(idempotency_key order by received_at, id))[1] as oldest_key,
           to_char(min(received_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as oldest_at
    from audit_intake
    where seq is null and received_at < now() - make_interval(secs => ${settings.intakeSlaSeconds}::float8)`;
  const count = Number(stalled?.count ?? 0);
  if (count > 0) {
    findings.add({
      code: 'intake_stalled',
      message:
        `${count} intake row${count === 1 ? ' has' : 's have'} waited more than ` +
        `${settings.intakeSlaSeconds} s to be ` +
        `sequenced (oldest: intake id ${stalled?.oldest_id}, key ${stalled?.oldest_key}, received ` +
        `${stalled?.oldest_at}): events are being held back from the ledger`,
    });
  }

  const orphans = await tx<{ id: string; seq: string; key: string; ledger_key: string | null }[]>`
    select i.id, i.seq, i.idempotency_key as key,
           (select l.idempotency_key from audit_ledger l where l.seq = i.seq limit 1) as ledger_key
    from audit_intake i
    where i.seq is not null and i.seq >= ${settings.since}
      and not exists (
        select 1 from audit_ledger l where l.seq = i.seq and l.idempotency_key = i.idempotency_key)
    order by i.seq limit ${MAX_ISSUES}`;
  for (const row of orphans) {
    const seq = Number(row.seq);
    if (findings.isExplained(seq) || findings.has('payload_edited', seq)) continue;
    findings.add({
      code: 'intake_orphaned',
      seq,
      message:
        row.ledger_key === null
          ? `intake row ${row.id} (key ${row.key}) is stamped seq ${seq}, but the ledger has no entry ${seq}`
          : `intake row ${row.id} (key ${row.key}) is stamped seq ${seq}, ` +
            `but entry ${seq} has key ${row.ledger_key}`,
    });
  }
}
