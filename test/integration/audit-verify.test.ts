import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SealedCheckpoint, sealCheckpoint } from '../../audit/checkpoint.js';
import { hashEntry } from '../../audit/entry.js';
import { GENESIS_CHAIN } from '../../audit/hash.js';
import { appendToIntake, recordAudit } from '../../audit/intake.js';
import type { LedgerKeys } from '../../audit/keys.js';
import { MerkleFrontier } from '../../audit/merkle.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { formatCheckpoint, type NoteSigner, signNote } from '../../audit/signed-note.js';
import {
  exitCodeFor,
  type Finding,
  formatVerifyReport,
  type VerifyOptions,
  type VerifyReport,
  verifyLedger,
} from '../../audit/verify/index.js';
import { sampleEvent, tamperAsSuperuser, testLedgerKeys } from '../helpers/audit.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

const ORIGIN = 'grantflow.test/audit';
// recorded_at is read back in the exact form it was hashed in (ISO-8601 UTC with milliseconds).
type LedgerRow = { seq: string; recorded_at: string; event: Record<string, unknown>; chain_hash: Buffer };
const RECORDED_AT = `to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as recorded_at`;

/** The parts of a finding a test pins down: what and where, not the wording. */
function found(report: VerifyReport) {
  return report.findings.map((finding: Finding) => ({
    code: finding.code,
    ...(finding.seq !== undefined ? { seq: finding.seq } : {}),
    ...(finding.lastSeq !== undefined ? { lastSeq: finding.lastSeq } : {}),
    ...(finding.writtenAsSeq !== undefined ? { writtenAsSeq: finding.writtenAsSeq } : {}),
    ...(finding.checkpointId !== undefined ? { checkpointId: finding.checkpointId } : {}),
    ...(finding.otherCheckpointId !== undefined ? { otherCheckpointId: finding.otherCheckpointId } : {}),
    ...(finding.file !== undefined ? { file: path.basename(finding.file) } : {}),
  }));
}

describe('audit ledger verifier', () => {
  let keys: LedgerKeys;
  let database: TestDatabase;
  let exportDir: string;
  let sealed: SealedCheckpoint[];

  beforeAll(() => {
    keys = testLedgerKeys('grantflow-test');
  });

  // 200 events in batches of 10 (so recorded_at varies), checkpoints at 50, 120 and 200.
  beforeEach(async () => {
    database = await createTestDatabase();
    exportDir = mkdtempSync(path.join(os.tmpdir(), 'grantflow-verify-'));
    sealed = [];
    let n = 0;
    for (const size of [50, 120, 200]) {
      const writes = [];
      for (; n < size; n++) {
        writes.push({ idempotencyKey: `event-${n + 1}`, event: sampleEvent({ action: `action ${n + 1}` }) });
      }
      await appendToIntake(database.runtime.db, writes);
      await sequenceAll(database.runtime.sql, 10);
      sealed.push(await sealCheckpoint(database.runtime.sql, keys, { origin: ORIGIN, exportDir }));
    }
  });

  afterEach(async () => {
    await database.drop();
    rmSync(exportDir, { recursive: true, force: true });
  });

  const verify = (options: Partial<VerifyOptions> = {}) =>
    verifyLedger(database.owner.sql, { verifiers: keys.verifiers, exportDir, ...options });

  const tamper = (edit: (tx: postgres.TransactionSql) => Promise<unknown>) =>
    tamperAsSuperuser(database.owner.sql, edit);

  /** Recomputes leaf and chain of every entry from `from` on, as a careful attacker would. */
  async function rehashFrom(tx: postgres.TransactionSql, from: number): Promise<void> {
    const [previous] = await tx<
      { chain_hash: Buffer }[]
    >`select chain_hash from audit_ledger where seq = ${from - 1}`;
    let chain: Buffer = previous?.chain_hash ?? GENESIS_CHAIN;
    const rows = await tx<LedgerRow[]>`
      select seq, ${tx.unsafe(RECORDED_AT)}, event, chain_hash from audit_ledger
      where seq >= ${from} order by seq`;
    for (const row of rows) {
      const hashed = hashEntry(
        { seq: Number(row.seq), recorded_at: row.recorded_at, event: row.event },
        chain,
      );
      await tx`
        update audit_ledger set leaf_hash = ${hashed.leaf}, chain_hash = ${hashed.chain}
        where seq = ${row.seq}`;
      chain = hashed.chain;
    }
  }

  /** Appends a correctly hashed entry straight into the ledger, bypassing the sequencer. */
  async function appendDirectly(
    tx: postgres.TransactionSql,
    event: Record<string, unknown>,
    recordedAt: string,
    key: string,
  ): Promise<number> {
    const [tail] = await tx<LedgerRow[]>`select seq, chain_hash from audit_ledger order by seq desc limit 1`;
    const seq = Number(tail?.seq ?? 0) + 1;
    const { leaf, chain } = hashEntry(
      { seq, recorded_at: recordedAt, event },
      tail?.chain_hash ?? GENESIS_CHAIN,
    );
    await tx`
      insert into audit_ledger
        (seq, event_id, idempotency_key, event_type, occurred_at, recorded_at, event, leaf_hash, chain_hash)
      values (${seq}, ${String(event.event_id)}, ${key}, ${String(event.event_type)},
              ${String(event.occurred_at)}, ${recordedAt}, ${JSON.stringify(event)}::jsonb,
              ${leaf}, ${chain})`;
    return seq;
  }

  /** A checkpoint row for a tree that never existed, with a frontier consistent with its root. */
  async function insertForgedCheckpoint(size: number, signer: NoteSigner): Promise<number> {
    const nodeCount = size.toString(2).replaceAll('0', '').length;
    const frontier = {
      size,
      nodes: Array.from({ length: nodeCount }, () => randomBytes(32).toString('hex')),
    };
    const rootHash = MerkleFrontier.fromJSON(frontier).root();
    const note = signNote(
      formatCheckpoint({ origin: ORIGIN, size, rootHash, extensions: [`time ${new Date().toISOString()}`] }),
      signer,
    );
    const [row] = await database.owner.sql<{ id: string }[]>`
      insert into audit_checkpoint (tree_size, root_hash, chain_head, frontier, note, key_id)
      values (${size}, ${rootHash}, ${Buffer.alloc(32)}, ${JSON.stringify(frontier)}::jsonb, ${note},
              ${signer.keyId})
      returning id`;
    return Number(row?.id);
  }

  describe('an untouched ledger', () => {
    it('verifies intact with no findings, as owner and as the runtime role', async () => {
      const progress: [number, number][] = [];

      const asOwner = await verify({ onProgress: (done, total) => progress.push([done, total]) });
      const asRuntime = await verifyLedger(database.runtime.sql, { verifiers: keys.verifiers, exportDir });

      for (const report of [asOwner, asRuntime]) {
        expect(report.findings).toEqual([]);
        expect(report).toMatchObject({
          status: 'intact',
          entries: 200,
          checkpoints: 3,
          checkpointsVerified: 3,
          exportedCheckpoints: 3,
          unsignedEntries: 0,
          latestCheckpoint: { id: sealed[2]!.id, treeSize: 200, rootHash: sealed[2]!.rootHash },
        });
        expect(exitCodeFor(report)).toBe(0);
      }
      expect(progress.at(-1)).toEqual([200, 200]);
    });

    it('prints a summary line an auditor can read', async () => {
      await recordAudit(database.runtime.db, sampleEvent());
      await sequenceAll(database.runtime.sql);

      const text = formatVerifyReport(await verify());

      expect(text).toMatch(
        new RegExp(
          `^INTACT: 201 entries, 3 checkpoints verified, latest checkpoint ${sealed[2]!.id} \\(size 200, ` +
            `\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\) signed by key grantflow-test\\+${keys.signer.keyId}; ` +
            '1 entry awaits the next checkpoint\\n' +
            `  outside copies: compared with 3 exported checkpoints in ${exportDir}\\n$`,
        ),
      );
    });
  });

  describe('entries', () => {
    it.each([
      [
        'the event',
        `update audit_ledger set event = jsonb_set(event, '{action}', '"approve everything"') where seq = 77`,
      ],
      [
        'the unhashed event_type column',
        `update audit_ledger set event_type = 'access.grant.revoked' where seq = 77`,
      ],
      [
        'the unhashed idempotency_key column',
        `update audit_ledger set idempotency_key = 'other' where seq = 77`,
      ],
    ])('payload_edited: %s of entry 77 edited', async (_what, statement) => {
      await tamper((tx) => tx.unsafe(statement));

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([{ code: 'payload_edited', seq: 77 }]);
      expect(exitCodeFor(report)).toBe(1);
    });

    it('chain_broken: one chain hash overwritten names that entry only', async () => {
      await tamper((tx) => tx`update audit_ledger set chain_hash = ${randomBytes(32)} where seq = 77`);

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([{ code: 'chain_broken', seq: 77 }]);
    });

    it('payload_rewritten: an edit with every later hash recomputed, caught by a checkpoint', async () => {
      await tamper(async (tx) => {
        await tx`update audit_ledger set event = jsonb_set(event, '{result}', '"denied"') where seq = 77`;
        await rehashFrom(tx, 77);
      });

      const report = await verify();

      // 120 = 64 + 32 + 16 + 8: the checkpoint's frontier pins the change to the subtree 65..96.
      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([
        { code: 'payload_rewritten', seq: 65, lastSeq: 96, checkpointId: sealed[1]!.id },
        { code: 'payload_rewritten', seq: 77 },
      ]);
      expect(report.findings[0]?.message).toContain(`checkpoint ${sealed[2]!.id}`);
    });

    it('row_deleted: a deleted entry is named', async () => {
      await tamper((tx) => tx`delete from audit_ledger where seq = 77`);

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([{ code: 'row_deleted', seq: 77 }]);
    });

    it('row_deleted: named even when later entries were renumbered to close the gap', async () => {
      await tamper(async (tx) => {
        await tx`delete from audit_ledger where seq = 77`;
        await tx`update audit_ledger set seq = seq + 1000000 where seq > 77`;
        await tx`update audit_ledger set seq = seq - 1000001 where seq > 1000000`;
      });

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([{ code: 'row_deleted', seq: 77 }]);
    });

    it('row_deleted and payload_edited: renumbered entries with one of them also edited', async () => {
      await tamper(async (tx) => {
        await tx`update audit_ledger set event = jsonb_set(event, '{action}', '"edited"') where seq = 150`;
        await tx`delete from audit_ledger where seq = 77`;
        await tx`update audit_ledger set seq = seq + 1000000 where seq > 77`;
        await tx`update audit_ledger set seq = seq - 1000001 where seq > 1000000`;
      });

      const report = await verify();

      // The entry written as 150 is now at 149.
      expect(found(report)).toEqual([
        { code: 'row_deleted', seq: 77 },
        { code: 'payload_edited', seq: 149 },
      ]);
    });

    it('tail_truncated: the last entries removed, against the latest checkpoint', async () => {
      await tamper((tx) => tx`delete from audit_ledger where seq > 180`);

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([
        { code: 'tail_truncated', seq: 181, lastSeq: 200, checkpointId: sealed[2]!.id },
      ]);
    });

    it('row_inserted: an entry slipped in at 100, later ones renumbered, every hash recomputed', async () => {
      await tamper(async (tx) => {
        await tx`update audit_ledger set seq = seq + 1000000 where seq >= 100`;
        await tx`update audit_ledger set seq = seq - 999999 where seq > 1000000`;
        const [before] = await tx<
          LedgerRow[]
        >`select ${tx.unsafe(RECORDED_AT)} from audit_ledger where seq = 99`;
        const event = sampleEvent({ action: 'forged approval' });
        await tx`
          insert into audit_ledger
            (seq, event_id, idempotency_key, event_type, occurred_at, recorded_at, event,
             leaf_hash, chain_hash)
          values (100, ${event.event_id}, 'forged', ${event.event_type}, ${event.occurred_at},
                  ${before!.recorded_at}, ${JSON.stringify(event)}::jsonb,
                  ${Buffer.alloc(32)}, ${Buffer.alloc(32)})`;
        await rehashFrom(tx, 100);
      });

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([{ code: 'row_inserted', seq: 100 }]);
    });

    it('row_inserted: a second entry with an existing seq, after the primary key was dropped', async () => {
      await tamper(async (tx) => {
        await tx`alter table audit_ledger drop constraint audit_ledger_pkey`;
        const [original] = await tx<
          LedgerRow[]
        >`select ${tx.unsafe(RECORDED_AT)}, chain_hash from audit_ledger where seq = 76`;
        const event = sampleEvent({ action: 'forged' });
        const recordedAt = original!.recorded_at;
        const { leaf, chain } = hashEntry({ seq: 77, recorded_at: recordedAt, event }, original!.chain_hash);
        await tx`
          insert into audit_ledger
            (seq, event_id, idempotency_key, event_type, occurred_at, recorded_at, event,
             leaf_hash, chain_hash)
          values (77, ${event.event_id}, 'forged', ${event.event_type}, ${event.occurred_at}, ${recordedAt},
                  ${JSON.stringify(event)}::jsonb, ${leaf}, ${chain})`;
      });

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([{ code: 'row_inserted', seq: 77 }]);
    });

    it('backdated: an entry appended with a past recorded_at, hashes and intake row forged too', async () => {
      const recordedAt = new Date(Date.now() - 24 * 3600_000).toISOString();
      const event = sampleEvent({ occurred_at: new Date(Date.now() - 25 * 3600_000).toISOString() });
      await tamper(async (tx) => {
        const seq = await appendDirectly(tx, event, recordedAt, 'backdated');
        await tx`
          insert into audit_intake (idempotency_key, event_id, event, seq)
          values ('backdated', ${event.event_id}, ${JSON.stringify(event)}::jsonb, ${seq})`;
      });

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([{ code: 'backdated', seq: 201 }]);
    });

    it('backdated: an event that claims to have occurred an hour after it was recorded', async () => {
      await recordAudit(
        database.runtime.db,
        sampleEvent({ occurred_at: new Date(Date.now() + 3600_000).toISOString() }),
      );
      await sequenceAll(database.runtime.sql);

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([{ code: 'backdated', seq: 201 }]);
    });

    it('reordered: two entries swapped, each with its own hashes', async () => {
      await tamper(async (tx) => {
        await tx`update audit_ledger set seq = -1 where seq = 40`;
        await tx`update audit_ledger set seq = 40 where seq = 160`;
        await tx`update audit_ledger set seq = 160 where seq = -1`;
      });

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([
        { code: 'reordered', seq: 40, writtenAsSeq: 160 },
        { code: 'reordered', seq: 160, writtenAsSeq: 40 },
      ]);
      expect(report.findings[0]?.message).toContain('entry written as seq 160 found at seq 40');
    });

    it('reordered: the events of two entries swapped under their hashes', async () => {
      // 12 and 13 were sequenced in one batch, so they share recorded_at.
      await tamper(
        (tx) => tx`
          update audit_ledger a
          set event = b.event, event_id = b.event_id, event_type = b.event_type, occurred_at = b.occurred_at
          from audit_ledger b where (a.seq, b.seq) in ((12, 13), (13, 12))`,
      );

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([
        { code: 'reordered', seq: 12, writtenAsSeq: 13 },
        { code: 'reordered', seq: 13, writtenAsSeq: 12 },
      ]);
    });

    it('duplicate_event: one event recorded twice under two idempotency keys', async () => {
      const event = sampleEvent();
      await appendToIntake(database.runtime.db, [
        { idempotencyKey: 'retry-a', event },
        { idempotencyKey: 'retry-b', event },
      ]);
      await sequenceAll(database.runtime.sql);

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([{ code: 'duplicate_event', seq: 202 }]);
    });

    it('since: row checks start at the given seq, while checkpoints are still compared in full', async () => {
      await tamper(async (tx) => {
        await tx`update audit_ledger set event = jsonb_set(event, '{action}', '"early"') where seq = 30`;
        await tx`update audit_ledger set event = jsonb_set(event, '{action}', '"late"') where seq = 150`;
      });

      const fromStart = await verify();
      const from100 = await verify({ since: 100 });

      expect(found(fromStart)).toEqual([
        { code: 'payload_edited', seq: 30 },
        { code: 'payload_edited', seq: 150 },
      ]);
      expect(found(from100)).toEqual([{ code: 'payload_edited', seq: 150 }]);
      expect(from100).toMatchObject({ since: 100, checkpointsVerified: 3 });
      expect(formatVerifyReport(from100)).toContain('(row checks from seq 100)');
    });
  });

  describe('checkpoints', () => {
    it('checkpoint_unknown_key: a checkpoint forged with a key the verifier was not given', async () => {
      const forged = await insertForgedCheckpoint(200, testLedgerKeys('grantflow-test').signer);

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([{ code: 'checkpoint_unknown_key', checkpointId: forged }]);
    });

    it('checkpoint_signature_invalid: one signature byte flipped', async () => {
      const id = sealed[1]!.id;
      const [row] = await database.owner.sql<
        { note: string }[]
      >`select note from audit_checkpoint where id = ${id}`;
      const lines = row!.note.split('\n');
      const signatureLine = lines.at(-2)!;
      const blobStart = signatureLine.lastIndexOf(' ') + 1;
      const blob = Buffer.from(signatureLine.slice(blobStart), 'base64');
      blob[20]! ^= 0x01;
      lines[lines.length - 2] = signatureLine.slice(0, blobStart) + blob.toString('base64');
      await tamper((tx) => tx`update audit_checkpoint set note = ${lines.join('\n')} where id = ${id}`);

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([{ code: 'checkpoint_signature_invalid', checkpointId: id }]);
    });

    it('checkpoint_malformed: a note that is not a signed checkpoint', async () => {
      await tamper(
        (tx) =>
          tx`update audit_checkpoint set note = 'all good, nothing to see\n' where id = ${sealed[0]!.id}`,
      );

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([{ code: 'checkpoint_malformed', checkpointId: sealed[0]!.id }]);
    });

    it('checkpoint_mismatch: the root_hash column disagrees with the signed note', async () => {
      await tamper(
        (tx) => tx`update audit_checkpoint set root_hash = ${randomBytes(32)} where id = ${sealed[1]!.id}`,
      );

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([{ code: 'checkpoint_mismatch', checkpointId: sealed[1]!.id }]);
    });

    it('split_view: a second checkpoint of one size, another root, signed with the real key', async () => {
      const forged = await insertForgedCheckpoint(120, keys.signer);

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([
        { code: 'split_view', checkpointId: forged, otherCheckpointId: sealed[1]!.id },
      ]);
    });

    it('split_view: a smaller checkpoint off the ledger prefix while a larger one matches', async () => {
      const forged = await insertForgedCheckpoint(30, keys.signer);

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([
        { code: 'split_view', checkpointId: forged, otherCheckpointId: sealed[0]!.id },
      ]);
    });

    it('split_view: an exported checkpoint that disagrees with the database for its size', async () => {
      const nodes = [randomBytes(32), randomBytes(32), randomBytes(32), randomBytes(32)].map((b) =>
        b.toString('hex'),
      );
      const rootHash = MerkleFrontier.fromJSON({ size: 120, nodes }).root();
      const note = signNote(formatCheckpoint({ origin: ORIGIN, size: 120, rootHash }), keys.signer);
      writeFileSync(path.join(exportDir, 'checkpoint-0000000099.note'), note);

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([
        { code: 'split_view', checkpointId: 99, file: 'checkpoint-0000000099.note' },
      ]);
    });

    it('split_view: an exported checkpoint whose row was deleted from the database', async () => {
      await tamper((tx) => tx`delete from audit_checkpoint where id = ${sealed[1]!.id}`);

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([
        { code: 'split_view', checkpointId: sealed[1]!.id, file: path.basename(sealed[1]!.file!) },
      ]);
    });

    it('exported copies catch a rewrite resealed with a stolen key, checkpoint rows deleted', async () => {
      await tamper(async (tx) => {
        await tx`delete from audit_checkpoint`;
        await tx`update audit_ledger set event = jsonb_set(event, '{result}', '"denied"') where seq = 77`;
        await rehashFrom(tx, 77);
      });
      const resealed = await sealCheckpoint(database.owner.sql, keys, { origin: ORIGIN });

      const withoutCopies = await verify({ exportDir: undefined });
      const withCopies = await verify();

      // The database alone is consistent with the stolen key; only the intake row still disagrees.
      expect(found(withoutCopies)).toEqual([{ code: 'intake_orphaned', seq: 77 }]);
      const file = (i: number) => path.basename(sealed[i]!.file!);
      expect(found(withCopies)).toEqual([
        { code: 'split_view', checkpointId: sealed[0]!.id, file: file(0) },
        { code: 'split_view', checkpointId: sealed[1]!.id, file: file(1) },
        { code: 'split_view', checkpointId: sealed[2]!.id, file: file(2) },
        { code: 'payload_rewritten', seq: 77 },
      ]);
      expect(withCopies.findings[2]?.message).toContain(`checkpoint ${resealed.id}`);
    });
  });

  describe('intake', () => {
    it('intake_stalled: an intake row left unsequenced past the SLA', async () => {
      const event = sampleEvent();
      await database.owner.sql`
        insert into audit_intake (idempotency_key, event_id, event, received_at)
        values ('stuck', ${event.event_id}, ${JSON.stringify(event)}::jsonb, now() - interval '1 hour')`;

      const report = await verify();
      const generous = await verify({ intakeSlaSeconds: 7200 });

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([{ code: 'intake_stalled' }]);
      expect(generous.status).toBe('intact');
    });

    it.each([
      ['a seq the ledger does not have', 999],
      ['a seq whose entry carries another key', 150],
    ])('intake_orphaned: an intake row stamped with %s', async (_what, seq) => {
      const event = sampleEvent();
      await database.owner.sql`
        insert into audit_intake (idempotency_key, event_id, event, seq)
        values ('orphan', ${event.event_id}, ${JSON.stringify(event)}::jsonb, ${seq})`;

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([{ code: 'intake_orphaned', seq }]);
    });
  });

  describe('database protections', () => {
    it.each([
      ['a trigger disabled', 'alter table audit_ledger disable trigger audit_ledger_no_update_delete', 1],
      [
        'a trigger enabled for origin sessions only',
        'alter table audit_checkpoint enable trigger audit_checkpoint_no_truncate',
        1,
      ],
      ['a trigger dropped', 'drop trigger audit_intake_no_delete on audit_intake', 1],
      [
        'the trigger function neutered (the 8 triggers that run it)',
        'create or replace function grantflow_append_only() returns trigger language plpgsql ' +
          'as $$ begin return old; end; $$',
        8,
      ],
      [
        'a witness cosignature trigger dropped',
        'drop trigger audit_cosignature_no_update_delete on audit_cosignature',
        1,
      ],
      [
        'the retention guard neutered (the 2 DELETE triggers that run it)',
        'create or replace function grantflow_append_only_unless_pruned() returns trigger language plpgsql ' +
          "as $$ begin if tg_op = 'DELETE' then return old; end if; raise exception 'no'; end; $$",
        2,
      ],
      [
        'a trigger recreated for fewer columns',
        'drop trigger audit_intake_content_immutable on audit_intake; ' +
          'create trigger audit_intake_content_immutable before update of received_at on audit_intake ' +
          'for each row execute function grantflow_append_only(); ' +
          'alter table audit_intake enable always trigger audit_intake_content_immutable',
        1,
      ],
      [
        'a trigger recreated with a WHEN that never holds',
        'drop trigger audit_intake_stamp_once on audit_intake; ' +
          'create trigger audit_intake_stamp_once before update of seq on audit_intake ' +
          'for each row when (false) execute function grantflow_append_only(); ' +
          'alter table audit_intake enable always trigger audit_intake_stamp_once',
        1,
      ],
      [
        'a trigger added that swallows inserts',
        'create function swallow() returns trigger language plpgsql as $$ begin return null; end; $$; ' +
          'create trigger swallow before insert on audit_ledger for each row execute function swallow()',
        1,
      ],
    ])('protection_disabled: %s', async (_what, statement, count) => {
      await database.owner.sql.unsafe(statement);

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual(Array.from({ length: count }, () => ({ code: 'protection_disabled' })));
    });

    it.each([
      ['grant update on audit_ledger to grantflow_app', /UPDATE on audit_ledger/],
      [
        'grant delete, truncate on audit_checkpoint to grantflow_app',
        /DELETE on audit_checkpoint, TRUNCATE on audit_checkpoint/,
      ],
      ['grant update (event) on audit_intake to grantflow_app', /UPDATE \(event\) on audit_intake/],
    ])('privileges_widened: %s', async (statement, named) => {
      await database.owner.sql.unsafe(statement);

      const report = await verify();

      expect(report.status).toBe('tampered');
      expect(found(report)).toEqual([{ code: 'privileges_widened' }]);
      expect(report.findings[0]?.message).toMatch(named);
    });

    it('runtime_role_missing: a warning, not tampering', async () => {
      const report = await verify({ runtimeRole: 'grantflow_nobody' });

      expect(report.status).toBe('intact');
      expect(report.findings).toMatchObject([{ code: 'runtime_role_missing', severity: 'warning' }]);
      expect(exitCodeFor(report)).toBe(0);
      expect(formatVerifyReport(report)).toMatch(/^INTACT: .*\n {2}warning runtime_role_missing: /);
    });
  });

  describe('reporting', () => {
    it('lists one line per finding under a TAMPERED summary', async () => {
      await tamper(async (tx) => {
        await tx`delete from audit_ledger where seq = 77`;
        await tx`update audit_ledger set chain_hash = ${randomBytes(32)} where seq = 150`;
      });

      const text = formatVerifyReport(await verify());

      expect(text.split('\n')).toEqual([
        'TAMPERED: 2 findings (199 entries, 3 checkpoints)',
        expect.stringMatching(/^ {2}row_deleted \[seq 77\]: entry 77 is missing/),
        expect.stringMatching(/^ {2}chain_broken \[seq 150\]: /),
        `  outside copies: compared with 3 exported checkpoints in ${exportDir}`,
        '',
      ]);
    });

    it('reports error (exit 2) when it cannot reach the database', async () => {
      const unreachable = postgres('postgres://nobody@127.0.0.1:1/none', { max: 1, connect_timeout: 2 });

      const report = await verifyLedger(unreachable, { verifiers: keys.verifiers });
      await unreachable.end();

      expect(report.status).toBe('error');
      expect(exitCodeFor(report)).toBe(2);
      expect(formatVerifyReport(report)).toMatch(/^ERROR: could not verify the audit ledger: /);
    });

    it('verifies what it can when the export directory is not there, and says no outside copy was compared', async () => {
      const missing = path.join(exportDir, 'missing');
      const report = await verify({ exportDir: missing });

      expect(report.status).toBe('intact');
      expect(report.exportDir).toEqual({ path: missing, found: false });
      expect(report.checkpointsVerified).toBe(3);
      expect(formatVerifyReport(report)).toContain(
        `outside copies: ${missing} does not exist, so no outside copy was compared; pass --export-dir <dir>`,
      );
    });

    it('reports error when the export directory cannot be read', async () => {
      const notADirectory = path.join(exportDir, readdirSync(exportDir)[0]!);
      const report = await verify({ exportDir: notADirectory });

      expect(report.status).toBe('error');
      expect(report.error).toMatch(/ENOTDIR/);
    });
  });
});
