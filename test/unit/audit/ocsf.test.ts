import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type AuditEventType, auditEventTypeNames, parseAuditEvent } from '../../../audit/events.js';
import { formatExportLine } from '../../../audit/export-format.js';
import { OCSF_VERSION, type OcsfEvent, toOcsf } from '../../../audit/ocsf.js';
import type { LedgerEntryView } from '../../../audit/read.js';
import { ocsfSchema } from '../../helpers/ocsf-schema.js';
import { EXAMPLES, type ExampleEvent } from './ocsf-examples.js';

const schema = ocsfSchema();

function entryOf(type: string, example: ExampleEvent, seq = 42): LedgerEntryView {
  const event = {
    event_id: randomUUID(),
    occurred_at: '2025-03-01T10:00:00.000Z',
    event_type: type,
    ...example,
  };
  // Catalogued types go through the intake's own validation, so the example is an event a writer could record.
  const recorded = auditEventTypeNames.includes(type as AuditEventType) ? parseAuditEvent(event) : event;
  return { seq, recorded_at: '2025-03-01T10:00:00.250Z', event: recorded as Record<string, unknown> };
}

const exported = (type: AuditEventType, change: Partial<ExampleEvent> = {}) =>
  toOcsf(entryOf(type, { ...EXAMPLES[type], ...change }));

describe('the OCSF schema copy', () => {
  it('resolves a class through base_event, its category and their includes', () => {
    const required = (classUid: number) =>
      Object.entries(schema.classOf(classUid)?.attributes ?? {})
        .filter(([, attribute]) => attribute.requirement === 'required' && !attribute.profile)
        .map(([name]) => name)
        .sort();

    expect(schema.version).toBe(OCSF_VERSION);
    expect(required(3005)).toEqual([
      'activity_id',
      'category_uid',
      'class_uid',
      'metadata',
      'privileges',
      'severity_id',
      'time',
      'type_uid',
      'user',
    ]);
    expect(required(6003)).toEqual(
      expect.arrayContaining(['actor', 'api', 'src_endpoint', 'time', 'type_uid']),
    );
  });

  it('refuses what a SIEM would refuse', () => {
    const good = exported('access.grant.revoked');
    const without = (key: string) => Object.fromEntries(Object.entries(good).filter(([k]) => k !== key));

    expect(schema.validate(good)).toEqual([]);
    expect(schema.validate(without('activity_id'))).toContain('activity_id: required by user_access');
    expect(schema.validate(without('user'))).toContain('user: required by user_access');
    expect(schema.validate({ ...good, type_uid: 300501 })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^type_uid: 300501 is not class_uid \* 100/)]),
    );
    expect(schema.validate({ ...good, activity_id: 7, type_uid: 300507 })).toContain(
      'activity_id: 7 is not one of its enum',
    );
    expect(schema.validate({ ...good, category_uid: 6 })).toContain('category_uid: 6 is not one of its enum');
    expect(schema.validate({ ...good, class_name: 'API Activity' })).toContain(
      'class_name: "API Activity", the caption of class_uid 3005 is "User Access Management"',
    );
    expect(schema.validate({ ...good, api: { operation: 'x' } })).toContain(
      'api: not an attribute of user_access',
    );
    expect(schema.validate({ ...good, time: '2025-03-01' })).toContain(
      'time: "2025-03-01" is not a timestamp_t',
    );
    expect(schema.validate({ ...good, user: { email_addr: 'tom@acme.test' } })).toContain(
      'user.: user needs at least one of account, name, uid',
    );
    expect(schema.validate({ ...good, metadata: { ...good.metadata, profiles: [] } })).toContain(
      'actor: not an attribute of user_access',
    );
    expect(schema.validate({ ...good, metadata: { ...good.metadata, version: '1.1.0' } })).toContain(
      'metadata.version: "1.1.0", this schema is 1.2.0',
    );
  });
});

describe('toOcsf', () => {
  it('covers every catalogued event type with an example', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual([...auditEventTypeNames].sort());
  });

  it.each(auditEventTypeNames)('exports %s as an event OCSF 1.2.0 accepts', (type) => {
    const record = exported(type);

    expect(schema.validate(record)).toEqual([]);
    expect(record.metadata).toMatchObject({ version: '1.2.0', product: { name: 'grantflow' } });
    expect(record.type_uid).toBe(record.class_uid * 100 + record.activity_id);
  });

  it.each([
    ['access.grant.provisioned', 300501],
    ['access.grant.imported', 300501],
    ['access.grant.birthright', 300501],
    ['access.grant.provisioning_failed', 300501],
    ['access.grant.revoked', 300502],
    ['access.grant.released', 300502],
    ['access.grant.expired', 300502],
    ['access.grant.deprovisioned', 300502],
    ['access.grant.extended', 300599],
    ['identity.person.created', 300101],
    ['identity.person.deactivated', 300105],
    ['identity.person.updated', 300403],
    ['identity.group.members_changed', 300603],
    ['config.token.created', 300401],
    ['security.auth.denied', 300201],
    ['security.slack.signature_rejected', 300201],
    ['security.requests.refused', 300201],
    ['audit.search.performed', 600302],
    ['access.request.created', 600301],
  ] as const)('files %s under type_uid %i', (type, typeUid) => {
    expect(exported(type).type_uid).toBe(typeUid);
  });

  it('gives a grant the holder and the entitlement as user and privileges', () => {
    const record = exported('access.grant.revoked');

    expect(record).toMatchObject({
      class_uid: 3005,
      class_name: 'User Access Management',
      activity_name: 'Revoke Privileges',
      user: { name: 'tom@acme.test', email_addr: 'tom@acme.test' },
      privileges: ['payments-db/read'],
      actor: { user: { uid: 'ada@acme.test', email_addr: 'ada@acme.test', type_id: 1 } },
      severity_id: 3,
      status_id: 1,
      metadata: { profiles: ['host'], correlation_uid: expect.any(String) },
    });
  });

  it('says where a ledger search came from and through which API', () => {
    const record = exported('audit.search.performed');

    expect(record).toMatchObject({
      class_uid: 6003,
      activity_id: 2,
      src_endpoint: { ip: '203.0.113.7' },
      dst_endpoint: { svc_name: 'grantflow-api', hostname: 'api-1' },
      api: { operation: 'audit.search.performed', service: { name: 'grantflow-api' } },
      actor: { user: { uid: 'auditor@acme.test' } },
      http_request: { user_agent: 'grantflow-cli/0.9' },
    });
  });

  it("names the grantflow service as the source of a worker's event, not an address it never saw", () => {
    expect(exported('campaign.closed').src_endpoint).toEqual({ svc_name: 'grantflow-worker' });
    expect(exported('audit.export.created').src_endpoint).toEqual({
      svc_name: 'grantflow',
      hostname: 'laptop-7',
    });
  });

  it('keeps the refusal apart from the failure, and the reason', () => {
    const record = exported('security.slack.signature_rejected');

    expect(record).toMatchObject({
      status_id: 2,
      status: 'Failure',
      status_code: 'denied',
      status_detail: 'signature mismatch',
      user: { uid: 'unverified-slack-caller', type_id: 3 },
      service: { name: 'grantflow-slack' },
      src_endpoint: { ip: '192.0.2.44' },
    });
  });

  it('loses nothing: the entry rides along, and its ids are in metadata', () => {
    const entry = entryOf('access.grant.revoked', EXAMPLES['access.grant.revoked'], 7);
    const record = toOcsf(entry);
    const event = entry.event as { event_id: string; occurred_at: string };

    expect(record.unmapped.grantflow).toEqual(entry);
    expect(record.metadata).toMatchObject({
      uid: event.event_id,
      sequence: 7,
      event_code: 'access.grant.revoked',
      logged_time: Date.parse(entry.recorded_at),
    });
    expect(record.time).toBe(Date.parse(event.occurred_at));
  });

  it('is what `audit export --format ocsf` writes, one record a line', () => {
    const entry = entryOf('access.request.created', EXAMPLES['access.request.created']);
    const line = formatExportLine(entry, 'ocsf');

    expect(line.endsWith('\n')).toBe(true);
    expect(JSON.parse(line)).toEqual(toOcsf(entry));
  });

  it('exports a grant event that names no holder (recorded before they did) as API Activity', () => {
    const record = toOcsf(
      entryOf('access.grant.expired', { ...EXAMPLES['access.grant.expired'], details: {} }),
    );

    expect(schema.validate(record)).toEqual([]);
    expect(record).toMatchObject({ class_uid: 6003, activity_id: 99, activity_name: 'expire' });
  });

  it("exports a campaign's revoke decision as User Access Management once it names holder and entitlement", () => {
    const today = exported('campaign.item.revoked');
    const naming = exported('campaign.item.revoked', {
      details: { item: 12, holder: 'tom@acme.test', entitlement: 'payments-db/read' },
    });

    expect(today).toMatchObject({ class_uid: 6003, activity_id: 99, activity_name: 'revoke' });
    expect(schema.validate(naming)).toEqual([]);
    expect(naming).toMatchObject({
      type_uid: 300502,
      user: { name: 'tom@acme.test' },
      privileges: ['payments-db/read'],
    });
  });

  it('files a change of several members at once under Entity Management, as no one user can hold it', () => {
    const record = exported('identity.group.members_changed', {
      details: {
        added: [{ id: randomUUID(), email: 'a@acme.test' }],
        removed: [{ id: randomUUID(), email: 'b@acme.test' }],
      },
    });

    expect(schema.validate(record)).toEqual([]);
    expect(record).toMatchObject({ class_uid: 3004, activity_id: 3, entity: { type: 'group' } });
  });

  it('exports an event type this code does not know yet as API Activity "Other"', () => {
    const record: OcsfEvent = toOcsf(entryOf('access.request.snoozed', EXAMPLES['access.request.reminded']));

    expect(schema.validate(record)).toEqual([]);
    expect(record).toMatchObject({ class_uid: 6003, activity_id: 99, type_uid: 600399 });
  });
});
