import type { Executor } from '../db/client.js';
import type { AuditActor, AuditSource } from './events.js';
import { recordAudit } from './intake.js';

/** The event types a read of the ledger is recorded under. */
export type LedgerReadEvent =
  | 'audit.search.performed'
  | 'audit.export.created'
  | 'audit.verify.performed'
  | 'audit.proof.created';

/**
 * Records that someone read the ledger (ISO 27001 A.8.15: access to logs is itself logged), from
 * the CLI and the HTTP API alike. `action` names the read (`search`, `tail`, `export`, `verify`,
 * `prove-consistency`).
 */
export function recordLedgerRead(
  db: Executor,
  read: {
    eventType: LedgerReadEvent;
    actor: AuditActor;
    action: string;
    details: Record<string, unknown>;
    result?: 'success' | 'failure';
    source?: Partial<AuditSource>;
  },
) {
  return recordAudit(
    db,
    {
      event_type: read.eventType,
      actor: read.actor,
      target: { type: 'audit_ledger', id: read.action },
      action: read.action,
      result: read.result ?? 'success',
      details: read.details,
    },
    { source: read.source ?? {} },
  );
}
