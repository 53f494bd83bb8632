import { describe, expect, it } from 'vitest';
import {
  type AuditEventInput,
  auditEventTypeNames,
  auditEventTypes,
  InvalidAuditEventError,
  parseAuditEvent,
} from '../../../audit/events.js';

function validEvent(): AuditEventInput {
  return {
    event_id: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
    occurred_at: '2024-05-06T07:08:09.123Z',
    event_type: 'access.request.approved',
    actor: { type: 'person', id: 'p-42', email: 'ada@example.com', slack_id: 'U042', on_behalf_of: 'p-7' },
    source: {
      service: 'grantflow-api',
      version: '0.1.0',
      host: 'api-1',
      ip: '10.0.0.7',
      user_agent: 'curl/8',
    },
    target: { type: 'access_request', id: 'req-1', name: 'GitHub admin for Ada' },
    action: 'approve',
    result: 'success',
    reason: 'on call this week',
    correlation: {
      request_id: 'req-1',
      workflow_id: 'access-request:req-1',
      run_id: 'r-1',
      slack_action_id: 'a1',
    },
    details: { step: 1, before: { status: 'pending' }, after: { status: 'approved' } },
    risk: 'high',
    business_context: 'incident INC-7',
  };
}

function invalid(input: unknown): InvalidAuditEventError {
  try {
    parseAuditEvent(input);
  } catch (err) {
    if (err instanceof InvalidAuditEventError) return err;
    throw err;
  }
  throw new Error('expected an InvalidAuditEventError');
}

describe('audit event catalogue', () => {
  it('holds every required type, each with a one-line description', () => {
    const required = [
      'access.request.created',
      'access.request.planned',
      'access.request.approved',
      'access.request.denied',
      'access.request.cancelled',
      'access.request.expired',
      'access.request.escalated',
      'access.request.reminded',
      'access.request.handed_over',
      'access.decision.refused',
      'access.action.refused',
      'access.grant.provisioned',
      'access.grant.provisioning_failed',
      'access.grant.provisioning_retried',
      'access.fulfilment.requested',
      'access.fulfilment.completed',
      'access.grant.reminded',
      'access.grant.extended',
      'access.grant.imported',
      'access.grant.birthright',
      'access.grant.released',
      'access.grant.revoked',
      'access.grant.expired',
      'access.grant.deprovisioned',
      'access.grant.verified',
      'campaign.launched',
      'campaign.population.snapshot',
      'campaign.item.kept',
      'campaign.item.revoked',
      'campaign.item.delegated',
      'campaign.decision.refused',
      'campaign.reminded',
      'campaign.escalated',
      'campaign.default_applied',
      'campaign.signed_off',
      'campaign.closed',
      'config.directory.imported',
      'config.policy.changed',
      'config.token.created',
      'config.token.revoked',
      'config.scim_connection.created',
      'config.scim_connection.revoked',
      'auth.passkey.registered',
      'identity.person.created',
      'identity.person.updated',
      'identity.person.deactivated',
      'identity.person.reactivated',
      'identity.person.deleted',
      'identity.group.created',
      'identity.group.updated',
      'identity.group.deleted',
      'identity.group.members_changed',
      'identity.change.refused',
      'identity.leaver.started',
      'identity.leaver.completed',
      'identity.leaver.sla_breached',
      'identity.mover.handled',
      'reconciliation.run.completed',
      'reconciliation.run.target_unavailable',
      'reconciliation.run.failed',
      'reconciliation.finding.opened',
      'reconciliation.finding.resolved',
      'audit.search.performed',
      'audit.export.created',
      'audit.verify.performed',
      'audit.proof.created',
      'audit.checkpoint.sealed',
      'audit.checkpoint.witness_refused',
      'audit.ledger.pruned',
      'audit.evidence.requested',
      'audit.evidence.generated',
      'audit.evidence.annotated',
      'audit.log_review.opened',
      'audit.log_review.item_reviewed',
      'audit.log_review.signed_off',
      'notification.delivery.degraded',
      'notification.delivery.recovered',
      'security.slack.signature_rejected',
      'security.auth.denied',
      'security.requests.refused',
      'auth.session.started',
      'auth.session.refused',
      'auth.session.ended',
      'auth.csrf.refused',
    ];
    expect([...auditEventTypeNames].sort()).toEqual([...required].sort());
    for (const [type, description] of Object.entries(auditEventTypes)) {
      expect(type).toMatch(/^[a-z]+(\.[a-z_]+)+$/);
      expect(description, type).toMatch(/^[A-Z][^\n]{10,}\.$/);
    }
  });
});

describe('parseAuditEvent', () => {
  it('accepts a complete event and returns it unchanged', () => {
    expect(parseAuditEvent(validEvent())).toEqual(validEvent());
  });

  it('accepts a minimal event', () => {
    const { event_id, event_type, actor, source, target, action, result } = validEvent();
    const minimal = {
      event_id,
      occurred_at: '2024-05-06T07:08:09Z',
      event_type,
      actor: { type: actor.type, id: actor.id },
      source: { service: source.service },
      target: { type: target.type, id: target.id },
      action,
      result,
    };
    expect(parseAuditEvent(minimal)).toEqual(minimal);
  });

  it('names every missing field', () => {
    const err = invalid({});
    expect(err.code).toBe('invalid_audit_event');
    expect(err.issues.map((issue) => issue.path).sort()).toEqual(
      ['action', 'actor', 'event_id', 'event_type', 'occurred_at', 'result', 'source', 'target'].sort(),
    );
    expect(err.message).toMatch(/^invalid audit event: /);
    expect(err.message).toContain('event_type: is required');
  });

  it('names each bad field path with what is wrong', () => {
    const event = validEvent() as Record<string, unknown>;
    const err = invalid({
      ...event,
      event_id: 'not-a-uuid',
      occurred_at: '2024-05-06T09:08:09+02:00',
      event_type: 'access.request.exploded',
      actor: { type: 'robot', id: 'x', email: 'nope' },
      source: { service: 'api', ip: '999.1.1.1' },
      result: 'ok',
      risk: 'extreme',
      correlation: { request_id: '' },
    });
    const byPath = Object.fromEntries(err.issues.map((issue) => [issue.path, issue.message]));
    expect(Object.keys(byPath).sort()).toEqual(
      [
        'actor.email',
        'actor.type',
        'correlation.request_id',
        'event_id',
        'event_type',
        'occurred_at',
        'result',
        'risk',
        'source.ip',
      ].sort(),
    );
    expect(byPath.event_type).toBe('unknown event type "access.request.exploded"');
    expect(byPath.occurred_at).toBe('must be an ISO-8601 UTC timestamp ending in Z');
    expect(byPath['source.ip']).toBe('must be an IPv4 or IPv6 address');
    for (const path of Object.keys(byPath)) expect(err.message).toContain(`${path}: `);
  });

  it('refuses unknown fields by name, at any depth', () => {
    const err = invalid({
      ...validEvent(),
      recorded_at: '2024-05-06T07:08:09Z',
      actor: { type: 'system', id: 's', nick: 'x' },
    });
    expect(err.issues).toEqual([
      { path: 'actor.nick', message: 'unknown field' },
      { path: 'recorded_at', message: 'unknown field' },
    ]);
  });

  it('refuses details that have no canonical JSON form, naming where', () => {
    const err = invalid({ ...validEvent(), details: { before: { limits: [1, Number.NaN] } } });
    expect(err.issues).toEqual([{ path: 'details.before.limits[1]', message: 'NaN is not a finite number' }]);
    expect(invalid({ ...validEvent(), details: { at: 1n } }).issues[0]?.path).toBe('details.at');
  });

  it('refuses a non-object', () => {
    expect(invalid('event').issues).toEqual([{ path: '(event)', message: expect.stringMatching(/object/) }]);
  });
});
