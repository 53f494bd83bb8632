// Witnessed checkpoints end to end: two real `grantflow witness serve` processes, the sealing
// side asking them after each checkpoint, and `audit verify --witnesses` counting what they
// signed. The attacks are the ones witnesses exist for: a deleted tail re-signed with the
// operator's own key, and a fork of the log under the same key and origin.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealCheckpoint } from '../../audit/checkpoint.js';
import {
  type CosignatureVerifier,
  cosignaturesOn,
  parseCosignatureVerifier,
} from '../../audit/cosignature.js';
import { cosignedNoteColumn } from '../../audit/cosigned-note.js';
import { appendToIntake } from '../../audit/intake.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { verifyLedger } from '../../audit/verify/index.js';
import { parseWitnessList } from '../../audit/witness/endpoints.js';
import { initWitnessState, readRefusals } from '../../audit/witness/state.js';
import { findFreePort, waitUntil } from '../../core/net.js';
import type { SecurityAlert } from '../../slack/blocks/alerts.js';
import { sampleEvent, tamperAsSuperuser, testLedgerKeys } from '../helpers/audit.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

const ORIGIN = 'grantflow.test/witnessed';
const keys = testLedgerKeys(ORIGIN);
const log = pino({ level: 'silent' });

type Witness = { dir: string; vkey: string; port: number; child?: ChildProcess };

async function startWitness(witness: Witness): Promise<void> {
  const child = spawn(
    process.execPath,
    ['bin/grantflow.js', 'witness', 'serve', '--state', witness.dir, '--port', String(witness.port)],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LOG_FORMAT: 'json', LOG_LEVEL: 'warn' } },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  witness.child = child;
  await waitUntil(
    async () => (await fetch(`http://127.0.0.1:${witness.port}/add-checkpoint`)).status === 405,
    {
      timeoutMs: 30_000,
      abort: () => (child.exitCode !== null ? new Error(`witness exited: ${stderr}`) : undefined),
    },
  );
}

async function stopWitness(witness: Witness): Promise<void> {
  const child = witness.child;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('witnessed checkpoints', () => {
  let database: TestDatabase;
  let exportDir: string;
  let root: string;
  const witnesses: Witness[] = [];
  let verifiers: CosignatureVerifier[];
  const alerts: SecurityAlert[] = [];
  let written = 0;

  const witnessing = (db = database) => ({
    witnesses: parseWitnessList(witnesses.map((w) => `http://127.0.0.1:${w.port}=${w.vkey}`).join(',')),
    db: db.runtime.db,
    log,
    alert: async (alert: SecurityAlert) => {
      alerts.push(alert);
    },
    timeoutMs: 2_000,
  });
  async function write(db: TestDatabase, n: number, label = 'event') {
    const writes = Array.from({ length: n }, () => {
      written += 1;
      return { idempotencyKey: `${label}-${written}`, event: sampleEvent({ action: `${label} ${written}` }) };
    });
    await appendToIntake(db.runtime.db, writes);
    await sequenceAll(db.runtime.sql);
  }
  const seal = (db = database, dir?: string) =>
    sealCheckpoint(db.runtime.sql, keys, {
      origin: ORIGIN,
      witnessing: witnessing(db),
      ...(dir ? { exportDir: dir } : {}),
    });
  const verify = (required: number) =>
    verifyLedger(database.owner.sql, {
      verifiers: keys.verifiers,
      exportDir,
      witnesses: { verifiers, required },
    });
  const codes = (report: Awaited<ReturnType<typeof verify>>) => report.findings.map((f) => f.code);

  beforeAll(async () => {
    database = await createTestDatabase();
    root = mkdtempSync(path.join(os.tmpdir(), 'grantflow-witnessed-'));
    exportDir = path.join(root, 'export');
    for (const name of ['witness.test/w1', 'witness.test/w2']) {
      const dir = path.join(root, name.replace('/', '-'));
      const key = initWitnessState(dir, { name, logKeys: [keys.verifierKey] });
      witnesses.push({ dir, vkey: key.verifierKey, port: await findFreePort() });
    }
    verifiers = witnesses.map((w) => parseCosignatureVerifier(w.vkey));
    await Promise.all(witnesses.map(startWitness));
  });

  afterAll(async () => {
    await Promise.all(witnesses.map(stopWitness));
    await database?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it('both witnesses cosign each checkpoint; the exported note carries both lines; verify counts 2', async () => {
    await write(database, 30);
    const first = await seal(database, exportDir);
    await write(database, 20);
    const second = await seal(database, exportDir);

    expect(second.witnesses.map((w) => w.outcome)).toEqual(['cosigned', 'cosigned']);
    expect(first.witnesses.map((w) => w.outcome)).toEqual(['cosigned', 'cosigned']);
    const exported = readFileSync(second.file!, 'utf8');
    expect(cosignaturesOn(exported, verifiers).valid.map((c) => c.name)).toEqual([
      'witness.test/w1',
      'witness.test/w2',
    ]);
    // The witnesses' own state: the second request went from 30 with a consistency proof.
    expect(JSON.parse(readFileSync(path.join(witnesses[0]!.dir, 'heads.json'), 'utf8'))[ORIGIN].size).toBe(
      50,
    );
    const api = await database.runtime.sql<
      { note: string }[]
    >`select ${cosignedNoteColumn(database.runtime.sql)} from audit_checkpoint where id = ${second.id}`;
    expect(api[0]?.note).toBe(exported);
    const report = await verify(2);
    expect(report.findings).toEqual([]);
    expect(report.status).toBe('intact');
    expect(report.witnesses?.latestCosignedBy.sort()).toEqual(['witness.test/w1', 'witness.test/w2']);
  });

  it('a witness that is down does not stop sealing; verify reports the gap, and it catches up', async () => {
    await stopWitness(witnesses[1]!);
    await write(database, 5);
    const sealed = await seal();
    expect(sealed.witnesses.map((w) => w.outcome)).toEqual(['cosigned', 'unavailable']);
    const report = await verify(2);
    expect(report.status).toBe('tampered');
    expect(codes(report)).toEqual(expect.arrayContaining(['witnesses_insufficient', 'witness_gap']));
    expect(report.witnesses?.uncosigned).toContain(sealed.id);
    expect(report.findings.find((f) => f.code === 'witness_gap')?.severity).toBe('warning');

    await startWitness(witnesses[1]!);
    await write(database, 5);
    const after = await seal();
    // w2 is asked from 50 (its last cosignature in our table) to 60 and accepts the proof.
    expect(after.witnesses.map((w) => w.outcome)).toEqual(['cosigned', 'cosigned']);
    expect((await verify(2)).status).toBe('intact');
    expect(alerts).toEqual([]);
  });

  it('a fork under the same key and origin is refused: same size (409), larger (422)', async () => {
    const fork = await createTestDatabase();
    try {
      await write(fork, 60, 'forged');
      const sameSize = await seal(fork);
      expect(sameSize.witnesses.map((w) => [w.outcome, w.detail.slice(0, 3)])).toEqual([
        ['refused', '409'],
        ['refused', '409'],
      ]);
      await write(fork, 10, 'forged');
      const larger = await seal(fork);
      expect(larger.witnesses.map((w) => [w.outcome, w.detail.slice(0, 3)])).toEqual([
        ['refused', '422'],
        ['refused', '422'],
      ]);
      const refused = await fork.runtime.sql<{ n: number }[]>`
        select count(*)::int as n from audit_intake where event->>'event_type' = 'audit.checkpoint.witness_refused'`;
      expect(refused[0]?.n).toBe(4);
      expect(alerts).toHaveLength(4);
      expect(alerts[0]).toMatchObject({ severity: 'critical', facts: { witness: 'witness.test/w1' } });
      // Every refusal is on record, the sizes it told us first among them.
      expect(readRefusals(witnesses[0]!.dir).map((r) => r.status)).toEqual([409, 409, 409, 422]);
      expect(readRefusals(witnesses[0]!.dir)[1]?.reason).toMatch(/fork/);
    } finally {
      await fork.drop();
      alerts.length = 0;
    }
  });

  it('a deleted tail re-signed with the operator key is refused with the larger size, alerted, recorded, and fails verify', async () => {
    await tamperAsSuperuser(database.owner.sql, async (tx) => {
      await tx`delete from audit_cosignature where checkpoint_id in (select id from audit_checkpoint where tree_size > 40)`;
      await tx`delete from audit_checkpoint where tree_size > 40`;
      await tx`delete from audit_ledger where seq > 40`;
    });
    const resealed = await seal();

    expect(resealed.treeSize).toBe(40);
    expect(resealed.witnesses.map((w) => w.outcome)).toEqual(['refused', 'refused']);
    expect(resealed.witnesses[0]!.detail).toMatch(/cosigned size 60, larger than this checkpoint \(40\)/);
    expect(alerts.map((a) => a.facts?.witness).sort()).toEqual(['witness.test/w1', 'witness.test/w2']);
    await sequenceAll(database.runtime.sql);
    const events = await database.runtime.sql<{ reason: string }[]>`
      select event->>'reason' as reason from audit_ledger where event_type = 'audit.checkpoint.witness_refused'`;
    expect(events).toHaveLength(2);
    const report = await verify(2);
    expect(report.status).toBe('tampered');
    expect(report.findings.find((f) => f.code === 'witnesses_insufficient')?.checkpointId).toBe(resealed.id);
  });
});
