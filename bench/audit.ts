import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { sealCheckpoint } from '../audit/checkpoint.js';
import { type AuditWrite, appendToIntake, recordAudit } from '../audit/intake.js';
import { sequenceAll } from '../audit/sequencer.js';
import { generateSignerKey, parseSignerKey, parseVerifierKey } from '../audit/signed-note.js';
import { verifyLedger } from '../audit/verify/index.js';
import { connectDatabase } from '../db/client.js';
import { benchDatabase, report, timed } from './harness.js';

const WRITERS = 16;
const INTAKE_EVENTS = 16_000;
const SEQUENCER_EVENTS = 100_000;
const LEDGER_SIZE = Number(process.env.BENCH_LEDGER_SIZE ?? 1_000_000);

function event(i: number) {
  return {
    event_id: randomUUID(),
    occurred_at: new Date().toISOString(),
    event_type: 'access.request.approved' as const,
    actor: { type: 'person' as const, id: `approver-${i % 50}@acme.test` },
    source: { service: 'bench' },
    target: { type: 'request', id: `req-${i}` },
    action: 'approve',
    result: 'success' as const,
    correlation: { request_id: `req-${i}` },
  };
}

const writes = (from: number, count: number): AuditWrite[] =>
  Array.from({ length: count }, (_, k) => {
    const e = event(from + k);
    return { idempotencyKey: e.event_id, event: e };
  });

/** Reads every ledger row in seq order through a declared cursor, doing nothing with them. */
async function readThroughCursor(sql: postgres.Sql): Promise<void> {
  await sql.begin('isolation level repeatable read read only', async (tx) => {
    await tx.unsafe('declare bench_walk no scroll cursor for select * from audit_ledger order by seq');
    while ((await tx.unsafe('fetch 2000 from bench_walk')).length > 0);
  });
}

/** Intake, sequencer, checkpoint and verify figures of issue 3, each beside a plain-PostgreSQL baseline. */
export async function runAuditBench(): Promise<void> {
  const database = await benchDatabase();
  const runtime = connectDatabase(database.runtimeUrl, { max: WRITERS + 2 });
  try {
    // 1. Intake: 16 concurrent writers, one event per insert, vs the same inserts into a bare table.
    await database.owner`create table bench_plain (id bigserial, key text, payload jsonb)`;
    const perWriter = INTAKE_EVENTS / WRITERS;
    const plainMs = await timed(() =>
      Promise.all(
        Array.from({ length: WRITERS }, async (_, w) => {
          for (let i = 0; i < perWriter; i++) {
            const e = event(w * perWriter + i);
            await database.owner`insert into bench_plain (key, payload) values (${e.event_id}, ${JSON.stringify(e)}::jsonb)`;
          }
        }),
      ),
    );
    const intakeMs = await timed(() =>
      Promise.all(
        Array.from({ length: WRITERS }, async (_, w) => {
          for (let i = 0; i < perWriter; i++) await recordAudit(runtime.db, event(w * perWriter + i));
        }),
      ),
    );
    report({
      name: 'intake append, 16 writers (events/s)',
      value: INTAKE_EVENTS / (intakeMs / 1000),
      unit: 'ev/s',
      baseline: INTAKE_EVENTS / (plainMs / 1000),
      baselineName: 'plain INSERT',
    });
    await sequenceAll(runtime.sql);

    // 2. Sequencer: hashing, chaining and moving 100k queued events vs batched plain INSERTs of them.
    for (let i = 0; i < SEQUENCER_EVENTS; i += 2_000) await appendToIntake(runtime.db, writes(i, 2_000));
    const sequenceMs = await timed(() => sequenceAll(runtime.sql));
    const rows = await database.owner<{ payload: string }[]>`
      select event::text as payload from audit_ledger order by seq desc limit ${SEQUENCER_EVENTS}`;
    const batchedMs = await timed(async () => {
      for (let i = 0; i < rows.length; i += 5_000) {
        const batch = rows.slice(i, i + 5_000).map((r) => r.payload);
        await database.owner`insert into bench_plain (payload) select p::jsonb from unnest(${batch}::text[]) as p`;
      }
    });
    report({
      name: 'sequencer (events/s)',
      value: SEQUENCER_EVENTS / (sequenceMs / 1000),
      unit: 'ev/s',
      baseline: SEQUENCER_EVENTS / (batchedMs / 1000),
      baselineName: 'batched INSERT',
    });

    // 3. Checkpoint after 10 new events: on a small ledger, then on a LEDGER_SIZE one.
    const key = generateSignerKey('bench');
    const keys = {
      signer: parseSignerKey(key.signerKey),
      verifierKey: key.verifierKey,
      verifiers: [parseVerifierKey(key.verifierKey)],
    };
    const seal = () => sealCheckpoint(runtime.sql, keys, { origin: 'bench.grantflow/audit' });
    const tenMore = async () => {
      await appendToIntake(runtime.db, writes(0, 10));
      await sequenceAll(runtime.sql);
    };
    await seal();
    await tenMore();
    const smallMs = await timed(seal);
    const smallSize = Number((await database.owner`select max(seq) as n from audit_ledger`)[0]?.n);
    process.stderr.write(`building a ${LEDGER_SIZE.toLocaleString('en-US')}-entry ledger…\n`);
    for (let have = smallSize; have < LEDGER_SIZE; have += 5_000) {
      await appendToIntake(runtime.db, writes(have, Math.min(5_000, LEDGER_SIZE - have)));
      if (have % 100_000 < 5_000) await sequenceAll(runtime.sql);
    }
    await sequenceAll(runtime.sql);
    await seal();
    await tenMore();
    const largeMs = await timed(seal);
    report({
      name: `checkpoint after 10 events, ${LEDGER_SIZE.toLocaleString('en-US')}-entry ledger (ms)`,
      value: largeMs,
      unit: 'ms',
      baseline: smallMs,
      baselineName: `same on ${smallSize.toLocaleString('en-US')} entries`,
    });

    // 4. Verify the whole ledger vs reading the same rows through a plain cursor.
    const entries = Number((await database.owner`select count(*) as n from audit_ledger`)[0]?.n);
    const plainReadMs = await timed(() => readThroughCursor(runtime.sql));
    const verifyMs = await timed(async () => {
      const result = await verifyLedger(runtime.sql, { verifiers: keys.verifiers });
      if (result.status !== 'intact') throw new Error(`bench ledger did not verify: ${result.status}`);
    });
    report({
      name: `verify, ${entries.toLocaleString('en-US')}-entry ledger (entries/s)`,
      value: entries / (verifyMs / 1000),
      unit: 'entries/s',
      baseline: entries / (plainReadMs / 1000),
      baselineName: 'plain cursor read',
    });
  } finally {
    await runtime.close();
    await database.close();
  }
}
