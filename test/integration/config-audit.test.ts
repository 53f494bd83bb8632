import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPersonByEmail } from '../../db/queries/people.js';
import { importDirectory } from '../../directory/import.js';
import { parseDirectorySource } from '../../directory/parse.js';
import { issueApiToken } from '../../directory/tokens.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

const ACME = readFileSync(new URL('../../examples/acme.yaml', import.meta.url), 'utf8');

type IntakeEvent = { event_type: string; target: { id: string }; details: Record<string, unknown> };

describe('configuration changes are recorded in the audit ledger', () => {
  let database: TestDatabase;
  const intake = async () =>
    (await database.owner.sql<{ event: IntakeEvent }[]>`select event from audit_intake order by id`).map(
      (r) => r.event,
    );

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('records an import with what changed, and one policy event per policy created', async () => {
    await importDirectory(database.runtime.db, parseDirectorySource(ACME, 'acme.yaml'), {
      actor: 'cli:test',
    });

    const events = await intake();
    expect(events.map((e) => e.event_type).filter((t) => t === 'config.directory.imported')).toHaveLength(1);
    const policyEvents = events.filter((e) => e.event_type === 'config.policy.changed');
    expect(policyEvents.map((e) => e.target.id).sort()).toEqual([
      'finance-systems',
      'hr-data',
      'privileged',
      'production',
      'self-service',
      'standard',
    ]);
    const imported = events.find((e) => e.event_type === 'config.directory.imported');
    if (!imported) throw new Error('no config.directory.imported event');
    expect((imported.details.changes as { people: { added: string[] } }).people.added).toHaveLength(31);
  });

  it('records nothing when a re-import changes nothing', async () => {
    const before = (await intake()).length;

    await importDirectory(database.runtime.db, parseDirectorySource(ACME, 'acme.yaml'), {
      actor: 'cli:test',
    });

    expect((await intake()).length).toBe(before);
  });

  it('records a policy change with before and after', async () => {
    const changed = ACME.replace(
      '    remindAfter: 8h\n    escalateAfter: 1d',
      '    remindAfter: 4h\n    escalateAfter: 1d',
    );
    expect(changed).not.toBe(ACME);

    await importDirectory(database.runtime.db, parseDirectorySource(changed, 'acme.yaml'), {
      actor: 'cli:test',
    });

    const last = (await intake()).filter((e) => e.event_type === 'config.policy.changed').at(-1);
    expect(last?.target.id).toBe('standard');
    expect(last?.details.before).toMatchObject({ remindAfter: 8 * 3600 });
    expect(last?.details.after).toMatchObject({ remindAfter: 4 * 3600 });
  });

  it('records a token issue, never the secret', async () => {
    const person = await getPersonByEmail(database.runtime.db, 'dana.whitfield@acme.test');
    if (!person) throw new Error('fixture missing');

    const token = await issueApiToken(database.runtime.db, {
      personId: person.id,
      email: person.email,
      role: 'auditor',
      issuedBy: 'cli:test',
    });

    const events = await intake();
    const created = events.filter((e) => e.event_type === 'config.token.created');
    expect(created).toHaveLength(1);
    expect(created[0]?.details.after).toEqual({
      person: person.email,
      role: 'auditor',
      prefix: token.slice(0, 10),
    });
    expect(JSON.stringify(events)).not.toContain(token);
  });
});
