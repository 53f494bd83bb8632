import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SealedCheckpoint, sealCheckpoint } from '../../audit/checkpoint.js';
import { appendToIntake } from '../../audit/intake.js';
import type { LedgerKeys } from '../../audit/keys.js';
import { checkProofBundle } from '../../audit/proof-verify.js';
import { proveEvent } from '../../audit/prove.js';
import { archiveAndPrune, archiveDirOf } from '../../audit/retention/archive.js';
import { writeSegment } from '../../audit/retention/archive-write.js';
import { disposalEvent } from '../../audit/retention/prune.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { verifyLedger } from '../../audit/verify/index.js';
import { sampleEvent, tamperAsSuperuser, testLedgerKeys } from '../helpers/audit.js';
import { createTestDatabase, TEST_RUNTIME_ROLE, type TestDatabase } from '../helpers/services.js';

const ORIGIN = 'grantflow.test/audit';
const RETENTION = 400 * 86_400;
const OPERATOR = { type: 'system' as const, id: 'cli:ops@db-admin' };

describe('audit retention with proofs intact', () => {
  let keys: LedgerKeys;
  let database: TestDatabase;
  let exportDir: string;
  let sealed: SealedCheckpoint[];
  let eventIds: string[];

  // 80 events: checkpoints at 30, 60 and 80, each phase recorded a few milliseconds after the last.
  beforeEach(async () => {
    keys = testLedgerKeys('grantflow-test');
    database = await createTestDatabase();
    exportDir = mkdtempSync(path.join(os.tmpdir(), 'grantflow-retention-'));
    sealed = [];
    eventIds = [];
    for (const size of [30, 60, 80]) {
      const writes = [];
      for (let n = eventIds.length; n < size; n++) {
        const event = sampleEvent({ action: `action ${n + 1}` });
        eventIds.push(event.event_id);
        writes.push({ idempotencyKey: `event-${n + 1}`, event });
      }
      await appendToIntake(database.runtime.db, writes);
      await sequenceAll(database.runtime.sql, 10);
      sealed.push(await sealCheckpoint(database.runtime.sql, keys, { origin: ORIGIN, exportDir }));
      await sleep(5);
    }
  });

  afterEach(async () => {
    await database.drop();
    rmSync(exportDir, { recursive: true, force: true });
  });

  /** "Now" such that entries recorded before entry `seq` are past the retention period. */
  async function nowKeeping(seq: number): Promise<Date> {
    const [row] = await database.owner.sql<{ ms: number }[]>`
      select (extract(epoch from recorded_at) * 1000)::float8 as ms from audit_ledger where seq = ${seq}`;
    return new Date(row!.ms + RETENTION * 1000);
  }

  const archive = (now: Date, dryRun = false) =>
    archiveAndPrune(database.owner.sql, keys, {
      retentionSeconds: RETENTION,
      exportDir,
      origin: ORIGIN,
      actor: OPERATOR,
      dryRun,
      now,
    });

  const verify = (archiveDir?: string) =>
    verifyLedger(database.owner.sql, {
      verifiers: keys.verifiers,
      exportDir,
      ...(archiveDir ? { archiveDir } : {}),
    });

  const ledgerRange = async () => {
    const [row] = await database.owner.sql<{ oldest: string; newest: string; count: string }[]>`
      select min(seq) as oldest, max(seq) as newest, count(*) as count from audit_ledger`;
    return { oldest: Number(row!.oldest), newest: Number(row!.newest), count: Number(row!.count) };
  };

  it('archives, verifies and prunes old segments; the ledger verifies from the boundary, the archive with --archive, and proofs still check', async () => {
    // A dry run plans the segment up to checkpoint 60 and changes nothing.
    const now = await nowKeeping(61);
    const planned = await archive(now, true);
    expect(planned).toMatchObject({
      status: 'planned',
      plan: { from: 1, to: 60, boundary: { id: sealed[1]!.id } },
    });
    expect(await ledgerRange()).toEqual({ oldest: 1, newest: 80, count: 80 });

    const pruned = await archive(now);
    expect(pruned).toMatchObject({
      status: 'pruned',
      pruned: { from: 1, to: 60, entriesDeleted: 60, intakeDeleted: 60 },
    });
    const dir = archiveDirOf(exportDir);
    const segment = path.join(dir, 'segment-1-60');
    expect(readdirSync(segment).sort()).toEqual(
      [
        'entries.jsonl',
        'manifest.json',
        'manifest.sig',
        'start.json',
        path.basename(sealed[0]!.file!),
        path.basename(sealed[1]!.file!),
      ].sort(),
    );
    expect(readFileSync(path.join(segment, 'entries.jsonl'), 'utf8').trim().split('\n')).toHaveLength(60);
    await sequenceAll(database.runtime.sql);
    expect(await ledgerRange()).toEqual({ oldest: 61, newest: 81, count: 21 });
    const [disposal] = await database.owner.sql<
      { event: { actor: { id: string }; details: Record<string, unknown> } }[]
    >`
      select event from audit_ledger where event_type = 'audit.ledger.pruned'`;
    expect(disposal!.event.actor.id).toBe(OPERATOR.id);
    expect(disposal!.event.details).toMatchObject({
      from_seq: 1,
      to_seq: 60,
      checkpoint_id: sealed[1]!.id,
      manifest_sha256: pruned.status === 'pruned' ? pruned.manifestSha256 : '',
      archive: segment,
    });

    // The retained ledger verifies from checkpoint 60, the archive on top of it.
    const retained = await verify();
    expect(retained.findings).toEqual([]);
    expect(retained).toMatchObject({
      status: 'intact',
      entries: 21,
      retained: { fromSeq: 61, checkpointId: sealed[1]!.id },
    });
    const withArchive = await verify(dir);
    expect(withArchive.findings).toEqual([]);
    expect(withArchive).toMatchObject({ status: 'intact', archive: { segments: 1, entries: 60, ok: true } });

    // Proofs: an archived event from the archive, a retained one from the database alone.
    await sealCheckpoint(database.runtime.sql, keys, { origin: ORIGIN, exportDir });
    const fromArchive = await proveEvent(database.runtime.sql, eventIds[4]!, {
      dir,
      verifiers: keys.verifiers,
    });
    expect(fromArchive).toMatchObject({ leafIndex: 4, treeSize: 81 });
    expect(checkProofBundle(JSON.parse(JSON.stringify(fromArchive)), [keys.verifierKey])).toMatchObject({
      ok: true,
    });
    await expect(proveEvent(database.runtime.sql, eventIds[4]!)).rejects.toMatchObject({
      code: 'ledger_pruned',
    });
    const retainedProof = await proveEvent(database.runtime.sql, eventIds[69]!);
    expect(checkProofBundle(JSON.parse(JSON.stringify(retainedProof)), [keys.verifierKey])).toMatchObject({
      ok: true,
    });
    const retainedFromArchive = await proveEvent(database.runtime.sql, eventIds[69]!, {
      dir,
      verifiers: keys.verifiers,
    });
    expect(retainedFromArchive.auditPath).toEqual(retainedProof.auditPath);

    // A second segment continues the first; sealing goes on after its boundary entry is pruned.
    const second = await archive(await nowKeeping(81));
    expect(second).toMatchObject({ status: 'pruned', pruned: { from: 61, to: 80 } });
    await sequenceAll(database.runtime.sql);
    const after = await sealCheckpoint(database.runtime.sql, keys, { origin: ORIGIN, exportDir });
    expect(after.treeSize).toBe(82);
    const both = await verify(dir);
    expect(both.findings).toEqual([]);
    expect(both).toMatchObject({
      status: 'intact',
      retained: { fromSeq: 81 },
      archive: { segments: 2, entries: 80 },
    });
    const oldest = await proveEvent(database.runtime.sql, eventIds[0]!, { dir, verifiers: keys.verifiers });
    expect(checkProofBundle(JSON.parse(JSON.stringify(oldest)), [keys.verifierKey])).toMatchObject({
      ok: true,
    });
  });

  it('reuses a finished archive a stopped run left behind, and refuses to prune over a damaged one', async () => {
    const now = await nowKeeping(61);
    const planned = await archive(now, true);
    if (planned.status !== 'planned') throw new Error('expected a plan');
    const written = await writeSegment(database.owner.sql, planned.plan, {
      archiveRoot: archiveDirOf(exportDir),
      origin: ORIGIN,
      signer: keys.signer,
    });
    const start = path.join(written.dir, 'start.json');
    const original = readFileSync(start, 'utf8');
    writeFileSync(start, original.replace('"seq": 1', '"seq": 2'));
    await expect(archive(now)).rejects.toThrow(/does not verify, so nothing was pruned: .*start\.json/);
    expect(await ledgerRange()).toEqual({ oldest: 1, newest: 80, count: 80 });

    writeFileSync(start, original);
    expect(await archive(now)).toMatchObject({ status: 'pruned', manifestSha256: written.manifestSha256 });
    expect(await ledgerRange()).toMatchObject({ oldest: 61 });
  });

  it('detects a tampered archive file, and refuses to prove from it', async () => {
    await archive(await nowKeeping(61));
    const dir = archiveDirOf(exportDir);
    const entries = path.join(dir, 'segment-1-60', 'entries.jsonl');
    writeFileSync(entries, readFileSync(entries, 'utf8').replace('"action 7"', '"action 7 (edited)"'));

    const report = await verify(dir);
    expect(report.status).toBe('tampered');
    const messages = report.findings
      .filter((finding) => finding.code === 'archive_invalid')
      .map((f) => f.message);
    expect(messages.join('\n')).toMatch(/entries\.jsonl: SHA-256 or size differs/);
    expect(messages.join('\n')).toMatch(/entry 7's content no longer hashes to its leaf/);
    expect(messages.join('\n')).toMatch(/checkpoint-0*1\.note: its signed root for size 30 is not the root/);
    expect(messages.join('\n')).not.toMatch(/chain breaks/);
    await expect(
      proveEvent(database.runtime.sql, eventIds[4]!, { dir, verifiers: keys.verifiers }),
    ).rejects.toMatchObject({ code: 'archive_invalid' });
    // The database ledger itself is intact.
    expect((await verify()).status).toBe('intact');
  });

  it('refuses pruning to the runtime role, and a plain DELETE to the owner; a deletion with no disposal is tampering', async () => {
    const now = await nowKeeping(61);
    const plan = (await archive(now, true)) as Extract<
      Awaited<ReturnType<typeof archive>>,
      { status: 'planned' }
    >;
    const event = disposalEvent(plan.plan, { dir: '/nowhere', manifestSha256: 'ab'.repeat(32) }, OPERATOR);
    await expect(
      database.runtime
        .sql`select * from audit_prune_below(${sealed[1]!.id}, ${'ab'.repeat(32)}, ${OPERATOR.id}, ${JSON.stringify(event)}::jsonb)`,
    ).rejects.toThrow(/permission denied for function audit_prune_below/);
    await expect(database.owner.sql`delete from audit_ledger where seq <= 60`).rejects.toThrow(/append-only/);
    await expect(database.owner.sql`delete from audit_intake where seq <= 60`).rejects.toThrow(/append-only/);
    // The owner's function refuses a disposal event that describes something else.
    const wrong = { ...event, details: { ...event.details, to_seq: 30 } };
    await expect(
      database.owner
        .sql`select * from audit_prune_below(${sealed[1]!.id}, ${'ab'.repeat(32)}, ${OPERATOR.id}, ${JSON.stringify(wrong)}::jsonb)`,
    ).rejects.toThrow(/does not describe pruning 1 to 60/);
    expect(await ledgerRange()).toEqual({ oldest: 1, newest: 80, count: 80 });

    // Granting the runtime role the function is reported.
    await database.owner.sql.unsafe(
      `grant execute on function audit_prune_below(bigint, text, text, jsonb) to ${TEST_RUNTIME_ROLE.name}`,
    );
    const widened = await verify();
    expect(widened.findings.map((finding) => finding.code)).toContain('privileges_widened');

    // The marker set by hand lets a DELETE through, but no disposal covers it: deleted rows.
    await database.owner.sql.begin(async (tx) => {
      await tx`select set_config('grantflow.prune_through', '60', true)`;
      await tx`delete from audit_ledger where seq <= 60`;
    });
    const report = await verify();
    expect(report.status).toBe('tampered');
    expect(report.findings).toContainEqual(
      expect.objectContaining({ code: 'row_deleted', seq: 1, lastSeq: 60 }),
    );
    expect(report.retained).toBeUndefined();
  });

  it('a deletion below no checkpoint boundary is still reported, even beside a recorded disposal', async () => {
    await archive(await nowKeeping(61));
    await sequenceAll(database.runtime.sql);
    await tamperAsSuperuser(database.owner.sql, (tx) => tx`delete from audit_ledger where seq <= 65`);
    const report = await verify();
    expect(report.status).toBe('tampered');
    expect(report.findings).toContainEqual(
      expect.objectContaining({ code: 'row_deleted', seq: 1, lastSeq: 65 }),
    );
  });
});
