import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InvalidAuditEventError } from '../../audit/events.js';
import { appendToIntake, recordAudit } from '../../audit/intake.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { sampleEvent } from '../helpers/audit.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

describe('audit intake and sequencer', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterEach(() => database.truncate());
  afterAll(() => database.drop());

  it('turns 10,000 events from 16 concurrent writers, each sent twice, into seq 1..10,000 exactly once', async () => {
    const writers = 16;
    const perWriter = 625;
    const batches = Array.from({ length: writers }, (_, writer) =>
      Array.from({ length: perWriter }, (_, i) => ({
        idempotencyKey: `writer-${writer}:event-${i}`,
        event: sampleEvent({ action: `write ${writer}/${i}` }),
      })),
    );
    const sendAll = (batch: (typeof batches)[number]) =>
      (async () => {
        for (let i = 0; i < batch.length; i += 25)
          await appendToIntake(database.runtime.db, batch.slice(i, i + 25));
      })();

    // Every event twice, from writers racing each other and the sequencer.
    const sequencing = (async () => {
      for (let round = 0; round < 20; round++) await sequenceAll(database.runtime.sql, 500);
    })();
    await Promise.all([...batches.map(sendAll), ...batches.map(sendAll), sequencing]);
    await sequenceAll(database.runtime.sql);

    const [stats] = await database.owner.sql<
      { n: string; min: string; max: string; distinct_keys: string }[]
    >`
      select count(*) as n, min(seq) as min, max(seq) as max, count(distinct idempotency_key) as distinct_keys
      from audit_ledger`;
    expect(stats).toEqual({ n: '10000', min: '1', max: '10000', distinct_keys: '10000' });
    const [pending] = await database.owner.sql`select count(*)::int as n from audit_intake where seq is null`;
    expect(pending?.n).toBe(0);
  });

  it('refuses an invalid event with the field named, and writes nothing', async () => {
    const bad = sampleEvent({ event_type: 'access.request.teleported' as never, result: 'maybe' as never });

    const attempt = appendToIntake(database.runtime.db, [
      { idempotencyKey: 'good', event: sampleEvent() },
      { idempotencyKey: 'bad', event: bad },
    ]);

    await expect(attempt).rejects.toBeInstanceOf(InvalidAuditEventError);
    await expect(attempt).rejects.toThrow(
      /event_type: unknown event type "access.request.teleported"; result/,
    );
    const [row] = await database.owner.sql`select count(*)::int as n from audit_intake`;
    expect(row?.n).toBe(0);
  });

  it('chains each entry to the previous one', async () => {
    await recordAudit(database.runtime.db, sampleEvent());
    await recordAudit(database.runtime.db, sampleEvent());
    await sequenceAll(database.runtime.sql);

    const rows = await database.owner.sql<{ seq: string; chain_hash: Buffer }[]>`
      select seq, chain_hash from audit_ledger order by seq`;
    expect(rows.map((r) => r.seq)).toEqual(['1', '2']);
    expect(rows[0]?.chain_hash).toHaveLength(32);
    expect(rows[0]?.chain_hash.equals(rows[1]!.chain_hash)).toBe(false);
  });

  describe('protection', () => {
    it.each([
      ['update audit_ledger set event_type = $$x$$'],
      ['delete from audit_ledger'],
      ['truncate audit_ledger'],
      ['update audit_checkpoint set tree_size = 0'],
      ['delete from audit_checkpoint'],
      ['truncate audit_checkpoint'],
      ['update audit_intake set event = $${}$$'],
      ['delete from audit_intake'],
    ])('the runtime role cannot: %s', async (statement) => {
      await recordAudit(database.runtime.db, sampleEvent());
      await sequenceAll(database.runtime.sql);

      await expect(database.runtime.sql.unsafe(statement)).rejects.toThrow(/permission denied/);
    });

    it.each([
      ['update audit_ledger set event_type = $$x$$'],
      ['delete from audit_ledger'],
      ['truncate audit_ledger'],
    ])('even the owner is stopped by the triggers: %s', async (statement) => {
      await recordAudit(database.runtime.db, sampleEvent());
      await sequenceAll(database.runtime.sql);

      await expect(database.owner.sql.unsafe(statement)).rejects.toThrow(/append-only/);
    });

    it('lets the runtime role stamp an intake row once, and change nothing else', async () => {
      await recordAudit(database.runtime.db, sampleEvent(), { idempotencyKey: 'k1' });

      await database.runtime.sql`update audit_intake set seq = 99 where idempotency_key = 'k1'`;
      await expect(
        database.runtime.sql`update audit_intake set seq = 100 where idempotency_key = 'k1'`,
      ).rejects.toThrow(/append-only; UPDATE refused/);
    });
  });
});
