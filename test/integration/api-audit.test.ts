import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sealCheckpoint } from '../../audit/checkpoint.js';
import { appendToIntake } from '../../audit/intake.js';
import { searchLedger } from '../../audit/read.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { bearer, personWithToken, startTestApi, type TestApi } from '../helpers/api.js';
import { sampleEvent, tamperAsSuperuser } from '../helpers/audit.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

describe('audit API', () => {
  let database: TestDatabase;
  let api: TestApi;
  let auditor: { id: string; token: string };
  let admin: { id: string; token: string };
  let employee: { id: string; token: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApi(database);
  });
  beforeEach(async () => {
    auditor = await personWithToken(database.runtime.db, { email: 'aud@acme.test' }, 'auditor');
    admin = await personWithToken(database.runtime.db, { email: 'ada@acme.test' }, 'admin');
    employee = await personWithToken(database.runtime.db, { email: 'bob@acme.test' }, 'employee');
    await appendToIntake(database.runtime.db, [
      {
        idempotencyKey: 'a',
        event: sampleEvent({ event_type: 'access.request.created', correlation: { request_id: 'r-1' } }),
      },
      {
        idempotencyKey: 'b',
        event: sampleEvent({ event_type: 'access.request.approved', correlation: { request_id: 'r-1' } }),
      },
      {
        idempotencyKey: 'c',
        event: sampleEvent({ event_type: 'access.request.created', correlation: { request_id: 'r-2' } }),
      },
    ]);
    await sequenceAll(database.runtime.sql);
  });
  afterEach(() => database.truncate());
  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  /** Ledger reads recorded so far, once the sequencer has moved them in. */
  async function recordedReads(type: string) {
    await sequenceAll(database.runtime.sql);
    return searchLedger(database.runtime.sql, { type }, 100);
  }

  it('refuses callers without a token, and employees', async () => {
    const anonymous = await api.app.inject({ method: 'GET', url: '/api/v1/audit/events' });
    const asEmployee = await api.app.inject({
      method: 'GET',
      url: '/api/v1/audit/verify',
      headers: bearer(employee.token),
    });

    expect(anonymous.statusCode).toBe(401);
    expect(asEmployee.statusCode).toBe(403);
    expect(asEmployee.json().error).toMatchObject({
      code: 'forbidden',
      details: { required: ['admin', 'auditor'], actual: 'employee' },
    });
    expect(await recordedReads('audit.search.performed')).toEqual([]);
    expect(await recordedReads('audit.verify.performed')).toEqual([]);
  });

  it('searches by type and correlation id, pages with afterSeq, and records the search', async () => {
    const response = await api.app.inject({
      method: 'GET',
      url: '/api/v1/audit/events?correlation=r-1&limit=1',
      headers: { ...bearer(auditor.token), 'user-agent': 'audit-tool/1.0' },
    });
    const next = await api.app.inject({
      method: 'GET',
      url: `/api/v1/audit/events?correlation=r-1&limit=1&afterSeq=${response.json().nextAfterSeq}`,
      headers: bearer(admin.token),
    });
    const byType = await api.app.inject({
      method: 'GET',
      url: '/api/v1/audit/events?type=access.request.created',
      headers: bearer(auditor.token),
    });

    expect(response.statusCode).toBe(200);
    expect(response.json().items.map((e: { event: { event_type: string } }) => e.event.event_type)).toEqual([
      'access.request.created',
    ]);
    expect(next.json().items.map((e: { event: { event_type: string } }) => e.event.event_type)).toEqual([
      'access.request.approved',
    ]);
    expect(byType.json().items).toHaveLength(2);
    expect(byType.json().nextAfterSeq).toBeNull();
    const reads = await recordedReads('audit.search.performed');
    expect(reads).toHaveLength(3);
    expect(reads[0]?.event).toMatchObject({
      actor: { type: 'person', id: 'aud@acme.test' },
      source: { service: 'grantflow-api', user_agent: 'audit-tool/1.0' },
      details: { filter: { correlation: 'r-1' }, returned: 1 },
    });
  });

  it('answers bad filters with 400 naming the field, and records nothing', async () => {
    const response = await api.app.inject({
      method: 'GET',
      url: '/api/v1/audit/events?from=yesterday&limit=5000',
      headers: bearer(auditor.token),
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
    expect(response.json().error.message).toContain('querystring.from');
    expect(response.json().error.message).toContain('querystring.limit');
    expect(await recordedReads('audit.search.performed')).toEqual([]);
  });

  it('verifies the ledger against its signed checkpoints and records the verification', async () => {
    await sealCheckpoint(database.runtime.sql, api.ledger.keys, {
      origin: 'grantflow.test/audit',
      exportDir: api.ledger.exportDir,
    });

    const response = await api.app.inject({
      method: 'GET',
      url: '/api/v1/audit/verify',
      headers: bearer(auditor.token),
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'intact',
      entries: 3,
      checkpointsVerified: 1,
      findings: [],
    });
    const [recorded] = await recordedReads('audit.verify.performed');
    expect(recorded?.event).toMatchObject({
      actor: { id: 'aud@acme.test' },
      result: 'success',
      details: { status: 'intact', entries: 3, findings: 0 },
    });
  });

  it('reports tampering with the seq concerned', async () => {
    await sealCheckpoint(database.runtime.sql, api.ledger.keys, { origin: 'grantflow.test/audit' });
    await tamperAsSuperuser(
      database.owner.sql,
      (tx) => tx`update audit_ledger set event = jsonb_set(event, '{result}', '"failure"') where seq = 2`,
    );

    const response = await api.app.inject({
      method: 'GET',
      url: '/api/v1/audit/verify',
      headers: bearer(admin.token),
    });

    expect(response.statusCode).toBe(200);
    expect(response.json().status).toBe('tampered');
    expect(response.json().findings).toContainEqual(
      expect.objectContaining({ code: 'payload_edited', seq: 2, severity: 'error' }),
    );
    const [recorded] = await recordedReads('audit.verify.performed');
    expect(recorded?.event).toMatchObject({ result: 'failure', details: { status: 'tampered' } });
  });
});
