// The ledger of `npm run bench -- evidence`: the staged events of evidence-events.ts moved into the
// intake in time order and sequenced by the real sequencer (sequenceBatch: leaf and chain hashes,
// dense seq), with checkpoints sealed before the quarter, after it, and after the pack request.
//
// The sequencer stamps recorded_at from the database clock (clock_timestamp()), and the quarter is
// past: the packs select ledger events by recorded_at. So the sequencer's session resolves
// clock_timestamp() to `bench.clock_timestamp()` (the bench schema ahead of pg_catalog on its
// search_path), which reads a time the bench sets before each batch: two seconds after the batch's
// last event occurred. Everything else runs as in production.
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { sealCheckpoint } from '../audit/checkpoint.js';
import { recordAudit } from '../audit/intake.js';
import type { LedgerKeys } from '../audit/keys.js';
import { DEFAULT_BATCH_SIZE, sequenceBatch } from '../audit/sequencer.js';
import type { DatabaseHandle } from '../db/client.js';
import type { Control } from '../evidence/model.js';
import { SAMPLE_RULE } from '../evidence/sample.js';
import { createEventHelpers, writeEvents } from './evidence-events.js';
import { progress } from './harness.js';

const ORIGIN = 'bench.grantflow/audit';

/** The pack request as the ledger recorded it, what buildPack needs to know of it. */
export type LedgerRequest = { seq: number; eventId: string; recordedAt: string; requestedBy: string };

/** Where the ledger ended up. */
export type LedgerFacts = {
  request: LedgerRequest;
  inQuarter: number;
  entries: number;
  checkpoints: number[];
};

/**
 * The owner writes the staging tables; the runtime pool (drizzle's, as the worker's) records the
 * request and seals: sealCheckpoint passes its frontier as JSON text, which only a pool drizzle
 * has set up sends as is.
 */
type Connections = { owner: postgres.Sql; ownerUrl: string; runtime: DatabaseHandle };

/**
 * Writes the quarter's events, sequences them, seals the checkpoints and records the pack request
 * (as requestPack records it) at `requestedAt`, sealing one more checkpoint over it.
 */
export async function seedLedger(
  db: Connections,
  keys: LedgerKeys,
  input: {
    times: { start: string; end: string };
    events: number;
    requestedAt: string;
    controls: Control[];
    rubberStamp: { items: number; seconds: number };
  },
): Promise<LedgerFacts> {
  const { start, end } = input.times;
  const last = new Date(Date.parse(end) - 60_000).toISOString();
  const inQuarter = await db.owner.begin(async (tx) => {
    await createEventHelpers(tx);
    await tx`create table bench.clock (at timestamptz)`;
    await tx`insert into bench.clock values (null)`;
    await tx`create function bench.clock_timestamp() returns timestamptz language sql stable as $$ select at from bench.clock $$`;
    return writeEvents(tx, { start, end: last }, input.events);
  });
  const clocked = postgres(db.ownerUrl, {
    max: 1,
    onnotice: () => {},
    connection: { search_path: 'bench, pg_catalog, public' },
  });
  const checkpoints: number[] = [];
  const seal = async (now: string) => {
    const sealed = await sealCheckpoint(db.runtime.sql, keys, { origin: ORIGIN, now: new Date(now) });
    checkpoints.push(sealed.treeSize);
    progress(`checkpoint sealed over ${sealed.treeSize.toLocaleString('en-US')} entries`);
  };
  try {
    await toIntake(db.owner, '1970-01-01T00:00:00.000Z', start);
    await sequenceAtEventTimes(db.owner, clocked);
    await seal(new Date(Date.parse(start) - 60_000).toISOString());
    await toIntake(db.owner, start, end);
    await db.owner`drop table bench.events`;
    await sequenceAtEventTimes(db.owner, clocked);
    await seal(new Date(Date.parse(end) + 10_000).toISOString());

    const requestedBy = 'auditor@bench.test';
    const requested = await recordAudit(
      db.runtime.db,
      {
        event_type: 'audit.evidence.requested',
        actor: { type: 'person', id: requestedBy, email: requestedBy },
        target: { type: 'evidence_pack', id: randomUUID() },
        action: 'request',
        result: 'success',
        details: {
          framework: 'soc2',
          period: '2026-Q3',
          controls: input.controls.map((control) => control.id),
          sample_rule: SAMPLE_RULE,
          samples: Object.fromEntries(input.controls.map((control) => [control.id, control.sample])),
          rubber_stamp: input.rubberStamp,
        },
      },
      { source: { service: 'grantflow-api' } },
    );
    await db.owner`update bench.clock set at = ${input.requestedAt}::timestamptz`;
    await sequenceBatch(clocked);
    const [row] = await db.owner<{ seq: string; recorded_at: string }[]>`
      select seq, to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as recorded_at
      from audit_ledger where event_id = ${requested.event_id}::uuid`;
    if (!row) throw new Error('the pack request was not sequenced');
    await seal(new Date(Date.parse(input.requestedAt) + 5_000).toISOString());
    return {
      request: {
        seq: Number(row.seq),
        eventId: requested.event_id,
        recordedAt: row.recorded_at,
        requestedBy,
      },
      inQuarter,
      entries: Number(row.seq),
      checkpoints,
    };
  } finally {
    await clocked.end();
  }
}

/** Moves the staged events occurring in [from, to) into the intake, oldest first. */
async function toIntake(owner: postgres.Sql, from: string, to: string): Promise<void> {
  const moved = await owner`
    insert into audit_intake (idempotency_key, event_id, event)
    select event->>'event_id', (event->>'event_id')::uuid, event from bench.events
    where at >= ${from}::timestamptz and at < ${to}::timestamptz order by at`;
  progress(`intake: ${moved.count.toLocaleString('en-US')} events`);
}

/** Sequences the whole intake, each batch recorded two seconds after its last event occurred. */
async function sequenceAtEventTimes(owner: postgres.Sql, clocked: postgres.Sql): Promise<void> {
  const started = performance.now();
  for (let total = 0; ; ) {
    await owner`
      update bench.clock set at = (
        select max((event->>'occurred_at')::timestamptz) + interval '2 seconds'
        from (select event from audit_intake where seq is null order by id limit ${DEFAULT_BATCH_SIZE}) batch)`;
    const moved = await sequenceBatch(clocked, DEFAULT_BATCH_SIZE);
    total += moved;
    if (moved < DEFAULT_BATCH_SIZE || total % 100_000 === 0) {
      const seconds = (performance.now() - started) / 1000;
      progress(`sequenced ${total.toLocaleString('en-US')} events (${seconds.toFixed(0)} s)`);
    }
    if (moved < DEFAULT_BATCH_SIZE) return;
  }
}
