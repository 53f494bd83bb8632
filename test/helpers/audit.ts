import { randomUUID } from 'node:crypto';
import type { AuditEventInput } from '../../audit/events.js';

/** A valid audit event with overridable fields. */
export function sampleEvent(overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    event_id: randomUUID(),
    occurred_at: new Date().toISOString(),
    event_type: 'access.request.created',
    actor: { type: 'person', id: 'bob@acme.test', email: 'bob@acme.test' },
    source: { service: 'grantflow-test' },
    target: { type: 'entitlement', id: 'payments-db/read' },
    action: 'request',
    result: 'success',
    ...overrides,
  };
}
