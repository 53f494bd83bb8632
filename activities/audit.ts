import type postgres from 'postgres';
import { sealCheckpoint } from '../audit/checkpoint.js';
import { type AuditWrite, appendToIntake } from '../audit/intake.js';
import type { LedgerKeys } from '../audit/keys.js';
import type { WitnessingDeps } from '../audit/witness/collect.js';
import type { Database } from '../db/client.js';

/** How checkpoints are sealed: the key, the origin, the export folder and the witnesses to ask. */
export type LedgerSettings = {
  keys: LedgerKeys;
  origin: string;
  exportDir: string;
  /** GRANTFLOW_AUDIT_WITNESSES with the log and alert channel; none: no cosignatures are asked for. */
  witnessing?: Omit<WitnessingDeps, 'db'>;
};

/** What the audit activities need: the runtime connection and the checkpoint settings. */
export type AuditActivityDeps = {
  db: Database;
  sql: postgres.Sql;
  ledger: LedgerSettings;
};

/** sealCheckpoint's options for these settings; refusals are recorded through `db`. */
export function sealOptions(db: Database, ledger: LedgerSettings) {
  return {
    origin: ledger.origin,
    exportDir: ledger.exportDir,
    ...(ledger.witnessing ? { witnessing: { ...ledger.witnessing, db } } : {}),
  };
}

/** Result of one checkpoint seal, small enough for workflow history. */
export type CheckpointSealResult = { id: number; treeSize: number; rootHash: string };

/** Audit activities: intake writes for workflows, and checkpoint sealing for the schedule. */
export function createAuditActivities(deps: AuditActivityDeps) {
  return {
    /**
     * Appends events to the intake. Workflows derive each idempotency key deterministically, so a
     * retried activity or a replayed workflow writes nothing twice.
     */
    async recordAudit(writes: AuditWrite[]): Promise<number> {
      return appendToIntake(deps.db, writes);
    },

    /** Seals and signs a checkpoint over everything sequenced so far, and exports it. */
    async sealAuditCheckpoint(): Promise<CheckpointSealResult> {
      const sealed = await sealCheckpoint(deps.sql, deps.ledger.keys, sealOptions(deps.db, deps.ledger));
      return { id: sealed.id, treeSize: sealed.treeSize, rootHash: sealed.rootHash };
    },
  };
}
