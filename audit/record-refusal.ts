import type { Executor } from '../db/client.js';
import type { AuditActor, AuditEventInput, AuditSource } from './events.js';
import { recordAudit } from './intake.js';

/**
 * Records that someone was refused for lack of a role (`security.auth.denied`): a refusal is a
 * security event like any other, so it reaches the ledger before the caller hears no.
 */
export function recordAuthRefusal(
  db: Executor,
  refusal: {
    actor: AuditActor;
    target: AuditEventInput['target'];
    action: string;
    reason: string;
    correlation?: AuditEventInput['correlation'];
    source?: Partial<AuditSource>;
  },
) {
  return recordAudit(
    db,
    {
      event_type: 'security.auth.denied',
      actor: refusal.actor,
      target: refusal.target,
      action: refusal.action,
      result: 'denied',
      reason: refusal.reason,
      ...(refusal.correlation ? { correlation: refusal.correlation } : {}),
    },
    { source: refusal.source ?? {} },
  );
}
