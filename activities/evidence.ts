// The evidence pack workflow's side effects: find the request in the ledger, seal the seed
// checkpoint when none covers the request yet, build the pack (heartbeating its progress into the
// pack's row, so the CLI can show it), and record the outcome.
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { eq } from 'drizzle-orm';
import type postgres from 'postgres';
import { sealCheckpoint } from '../audit/checkpoint.js';
import { isoTimestamp } from '../audit/entry.js';
import { appendToIntake } from '../audit/intake.js';
import type { Database } from '../db/client.js';
import { evidencePacks } from '../db/schema.js';
import type { Framework } from '../domain/evidence.js';
import { buildPack } from '../evidence/build.js';
import { loadControls, selectControls } from '../evidence/controls.js';
import { firstCheckpointCovering } from '../evidence/ledger-proofs.js';
import { zipPack } from '../evidence/zip.js';
import { type LedgerSettings, sealOptions } from './audit.js';

/** What evidence activities need: the database, the ledger's key and where packs are kept. */
export type EvidenceActivityDeps = {
  db: Database;
  sql: postgres.Sql;
  ledger: LedgerSettings;
  /** Where built packs are kept (GRANTFLOW_EVIDENCE_DIR); the API serves them from there. */
  evidenceDir?: string;
};

/** The pack request as the ledger holds it. */
export type EvidenceRequest = {
  seq: number;
  eventId: string;
  recordedAt: string;
  requestedBy: string;
  framework: Framework;
  period: string;
  controls: string[];
  rubberStamp: { items: number; seconds: number };
};

type RequestRow = {
  seq: string;
  recorded_at: string;
  event: { details: Record<string, unknown>; actor: { email?: string; id: string } };
};

/** Evidence activities. */
export function createEvidenceActivities(deps: EvidenceActivityDeps) {
  const packRow = async (packId: string) => {
    const [row] = await deps.db.select().from(evidencePacks).where(eq(evidencePacks.id, packId));
    if (!row) throw ApplicationFailure.nonRetryable(`no evidence pack ${packId}`, 'not_found');
    return row;
  };
  const setPack = (packId: string, values: Partial<typeof evidencePacks.$inferInsert>) =>
    deps.db
      .update(evidencePacks)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(evidencePacks.id, packId));

  return {
    /** The request's ledger entry; retried until the sequencer has placed it. */
    async locateEvidenceRequest(input: { packId: string }): Promise<EvidenceRequest> {
      const pack = await packRow(input.packId);
      const [row] = await deps.sql<RequestRow[]>`
        select seq, ${isoTimestamp(deps.sql)} as recorded_at, event
        from audit_ledger where event_id = ${pack.requestEventId}::uuid order by seq limit 1`;
      if (!row)
        throw ApplicationFailure.retryable('the pack request is not in the ledger yet', 'not_sequenced');
      const details = row.event.details;
      const stamp = details.rubber_stamp as { items: number; seconds: number };
      return {
        seq: Number(row.seq),
        eventId: pack.requestEventId,
        recordedAt: row.recorded_at,
        requestedBy: row.event.actor.email ?? row.event.actor.id,
        framework: details.framework as Framework,
        period: String(details.period),
        controls: details.controls as string[],
        rubberStamp: stamp,
      };
    },

    /** Seals a checkpoint over the request unless one already covers it: the samples' seed. */
    async sealEvidenceSeed(input: { seq: number }): Promise<{ treeSize: number }> {
      const covering = await firstCheckpointCovering(deps.sql, input.seq);
      if (covering) return { treeSize: covering.treeSize };
      const sealed = await sealCheckpoint(deps.sql, deps.ledger.keys, sealOptions(deps.db, deps.ledger));
      return { treeSize: sealed.treeSize };
    },

    /** Builds and zips the pack; progress goes to the pack's row and the heartbeat. */
    async buildEvidencePack(input: { packId: string; request: EvidenceRequest }) {
      if (!deps.evidenceDir)
        throw ApplicationFailure.nonRetryable('this worker has no evidence folder', 'no_evidence_dir');
      const { request } = input;
      const all = loadControls();
      const controls = request.controls.flatMap((id) => selectControls(all, request.framework, id));
      const dir = path.join(deps.evidenceDir, `${input.packId}.building`);
      mkdirSync(deps.evidenceDir, { recursive: true });
      await setPack(input.packId, { status: 'building', progress: { step: 'starting' } });
      let shown = 0;
      const built = await buildPack(
        { sql: deps.sql, keys: deps.ledger.keys },
        {
          packId: input.packId,
          framework: request.framework,
          period: request.period,
          controls,
          request: {
            seq: request.seq,
            eventId: request.eventId,
            recordedAt: request.recordedAt,
            requestedBy: request.requestedBy,
          },
          rubberStamp: request.rubberStamp,
        },
        dir,
        async (step, done, total) => {
          Context.current().heartbeat({ step, done, total });
          // The row is for people watching: once a second is enough, the heartbeat is for Temporal.
          if (Date.now() - shown < 1_000) return;
          shown = Date.now();
          await setPack(input.packId, { progress: { step, ...(done === undefined ? {} : { done, total }) } });
        },
      );
      const file = path.join(deps.evidenceDir, `${input.packId}.zip`);
      const partial = `${file}.partial`;
      const zipped = await zipPack(
        dir,
        built.files.map((entry) => entry.path),
        partial,
        new Date(request.recordedAt),
      );
      renameSync(partial, file);
      rmSync(dir, { recursive: true, force: true });
      return {
        file,
        sha256: zipped.sha256,
        bytes: zipped.bytes,
        endTreeSize: built.model.ledger.end.treeSize,
        exceptions: built.model.controls.reduce(
          (sum, control) => sum + control.tests.reduce((n, test) => n + test.exceptions.length, 0),
          0,
        ),
      };
    },

    /** Marks the pack ready and records `audit.evidence.generated`. */
    async finishEvidencePack(input: {
      packId: string;
      file: string;
      sha256: string;
      bytes: number;
      endTreeSize: number;
      exceptions: number;
    }) {
      const pack = await packRow(input.packId);
      await deps.db.transaction(async (tx) => {
        await tx
          .update(evidencePacks)
          .set({
            status: 'ready',
            file: input.file,
            sha256: input.sha256,
            bytes: input.bytes,
            progress: { step: 'ready' },
            updatedAt: new Date(),
          })
          .where(eq(evidencePacks.id, input.packId));
        await appendToIntake(tx, [
          {
            idempotencyKey: `evidence:${input.packId}:generated`,
            event: {
              event_id: crypto.randomUUID(),
              occurred_at: new Date().toISOString(),
              event_type: 'audit.evidence.generated',
              actor: { type: 'system', id: 'evidence' },
              source: { service: 'grantflow-worker' },
              target: { type: 'evidence_pack', id: input.packId },
              action: 'generate',
              result: 'success',
              details: {
                requested_by: pack.requestedBy,
                framework: pack.framework,
                period: pack.period,
                controls: pack.controls,
                sha256: input.sha256,
                bytes: input.bytes,
                end_tree_size: input.endTreeSize,
                exceptions: input.exceptions,
              },
            },
          },
        ]);
      });
    },

    /** Marks the pack failed, with why. */
    async failEvidencePack(input: { packId: string; error: string }) {
      await setPack(input.packId, { status: 'failed', error: input.error.slice(0, 2000) });
    },
  };
}
