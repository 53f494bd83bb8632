import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sequenceAll } from '../../audit/sequencer.js';
import { findFreePort, waitUntil } from '../../core/net.js';
import { bin, grantflow, root } from '../helpers/cli.js';
import { signIn } from '../helpers/dev-idp.js';
import { ocsfSchema } from '../helpers/ocsf-schema.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

describe('the grantflow command', () => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    database = await createTestDatabase();
    const services = inject('services');
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      GRANTFLOW_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'gf-cli-')),
      DATABASE_URL: database.ownerUrl,
      DATABASE_RUNTIME_URL: database.runtimeUrl,
      TEMPORAL_ADDRESS: services.temporalAddress,
      TEMPORAL_NAMESPACE: services.temporalNamespace,
    };
  });
  afterAll(() => database.drop());

  it('imports the example directory, then reports no changes on the second run', async () => {
    const first = await grantflow(['directory', 'import', 'examples/acme.yaml'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/people: 31 added/);

    const second = await grantflow(['directory', 'import', 'examples/acme.yaml'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('No changes');
  });

  it('refuses a file with one broken field, naming line and field, and changes nothing', async () => {
    const before = await database.owner.sql`select count(*)::int as n, max(updated_at) as t from people`;
    const broken = path.join(env.GRANTFLOW_DATA_DIR ?? '', 'broken.yaml');
    const source = (await import('node:fs')).readFileSync(path.join(root, 'examples/acme.yaml'), 'utf8');
    writeFileSync(broken, source.replace(/(\n\s+- email: )[^\n]+/, '$1not-an-email'));

    const result = await grantflow(['directory', 'import', broken], env);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/broken\.yaml:\d+:\d+ people\[0\]\.email: /);
    const after = await database.owner.sql`select count(*)::int as n, max(updated_at) as t from people`;
    expect(after).toEqual(before);
  });

  it('creates a token for a person and refuses an unknown one', async () => {
    const created = await grantflow(
      ['token', 'create', '--user', 'dana.whitfield@acme.test', '--role', 'auditor'],
      env,
    );
    expect(created.code).toBe(0);
    expect(created.stdout.trim()).toMatch(/^gf_[A-Za-z0-9_-]{43}$/);

    const unknown = await grantflow(
      ['token', 'create', '--user', 'nobody@acme.test', '--role', 'admin'],
      env,
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('person nobody@acme.test does not exist');
  });

  it('verifies the ledger: exit 0 when intact, 1 naming the case when protection is disabled', async () => {
    const sealed = await grantflow(['audit', 'checkpoint'], env);
    expect(sealed.code).toBe(0);

    const intact = await grantflow(['audit', 'verify'], env);
    expect(intact.stdout).toMatch(/^INTACT: /);
    expect(intact.code).toBe(0);

    await database.owner.sql`alter table audit_ledger disable trigger audit_ledger_no_truncate`;
    try {
      const tampered = await grantflow(['audit', 'verify', '--json'], env);
      expect(tampered.code).toBe(1);
      expect(JSON.parse(tampered.stdout).findings.map((f: { code: string }) => f.code)).toContain(
        'protection_disabled',
      );
    } finally {
      await database.owner.sql`alter table audit_ledger enable always trigger audit_ledger_no_truncate`;
    }
  });

  it('verifies from another machine with only DATABASE_URL and the public key, naming the outside copies it lacks', async () => {
    const publicKey = (await grantflow(['audit', 'public-key'], env)).stdout.trim();
    expect(publicKey).toMatch(/^grantflow\.local\/audit\+[0-9a-f]{8}\+/);
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'gf-auditor-'));
    const auditor = { PATH: env.PATH, HOME: env.HOME, LOG_LEVEL: 'warn', GRANTFLOW_DATA_DIR: elsewhere };
    // The auditor's login reads the ledger; it is not a superuser (verify checks the role it connects as).
    const withUrl = { ...auditor, DATABASE_URL: database.runtimeUrl };

    const keyless = await grantflow(['audit', 'verify'], withUrl);
    expect(keyless.code).not.toBe(0);
    expect(keyless.stderr).toContain('no verifier key to check the checkpoints with: pass --key');
    expect(existsSync(path.join(elsewhere, 'audit-signing.key'))).toBe(false);

    const alone = await grantflow(['audit', 'verify', '--key', publicKey], withUrl);
    expect(alone.stderr).not.toContain('ENOENT');
    expect(alone.stdout).toMatch(/^INTACT: /);
    expect(alone.stdout).toContain(
      `outside copies: ${path.join(elsewhere, 'audit-checkpoints')} does not exist, so no outside copy was compared`,
    );
    expect(alone.code).toBe(0);

    const exportDir = path.join(env.GRANTFLOW_DATA_DIR ?? '', 'audit-checkpoints');
    const given = await grantflow(
      ['audit', 'verify', '--key', publicKey, '--export-dir', exportDir],
      withUrl,
    );
    expect(given.stdout).toMatch(/^INTACT: /);
    expect(given.stdout).toMatch(
      new RegExp(`outside copies: compared with [1-9]\\d* exported checkpoints? in ${exportDir}`),
    );
    expect(given.code).toBe(0);

    const byEnv = await grantflow(['audit', 'verify', '--json'], {
      ...withUrl,
      GRANTFLOW_AUDIT_VERIFIER_KEYS: publicKey,
      GRANTFLOW_AUDIT_EXPORT_DIR: exportDir,
    });
    expect(JSON.parse(byEnv.stdout)).toMatchObject({
      status: 'intact',
      exportDir: { path: exportDir, found: true },
    });
    expect(existsSync(path.join(elsewhere, 'audit-signing.key'))).toBe(false);
  });

  it('reads the ledger: tail, search and a CSV export, each read itself recorded', async () => {
    await sequenceAll(database.runtime.sql);

    const tail = await grantflow(['audit', 'tail', '-n', '3'], env);
    expect(tail.code).toBe(0);
    expect(tail.stdout.trim().split('\n')).toHaveLength(3);

    const search = await grantflow(['audit', 'search', '--type', 'config.directory.imported', '--json'], env);
    expect(search.code).toBe(0);
    const [imported] = search.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(imported.event.target).toEqual({ type: 'directory', id: 'examples/acme.yaml' });
    expect(imported.recorded_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const exported = await grantflow(
      [
        'audit',
        'export',
        '--from',
        '2000-01-01T00:00:00Z',
        '--to',
        '2100-01-01T00:00:00Z',
        '--format',
        'csv',
      ],
      env,
    );
    expect(exported.code).toBe(0);
    expect(exported.stdout.split('\n')[0]).toMatch(/^seq,recorded_at,occurred_at,event_id,event_type/);
    expect(exported.stderr).toMatch(/exported \d+ entries \(csv, sha256 [0-9a-f]{64}\)/);

    const reads = await database.owner.sql`
      select event->>'event_type' as type from audit_intake
      where event->>'event_type' in ('audit.search.performed', 'audit.export.created')`;
    expect(reads.map((r) => r.type).sort()).toEqual([
      'audit.export.created',
      'audit.search.performed',
      'audit.search.performed',
    ]);
  });

  it('exports the ledger as OCSF 1.2.0 events the schema accepts, one a line', async () => {
    await sequenceAll(database.runtime.sql);
    const schema = ocsfSchema();

    const exported = await grantflow(
      [
        'audit',
        'export',
        '--from',
        '2000-01-01T00:00:00Z',
        '--to',
        '2100-01-01T00:00:00Z',
        '--format',
        'ocsf',
      ],
      env,
    );

    expect(exported.code).toBe(0);
    const records = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records.length).toBeGreaterThan(0);
    expect(records.flatMap((record) => schema.validate(record))).toEqual([]);
    const classes = new Set(records.map((record) => record.class_uid));
    expect(classes).toEqual(new Set([3004, 3005, 6003]));
  });

  it('stops a bad configuration with one line naming the variable', async () => {
    const result = await grantflow(['dev'], { ...env, PORT: 'eighty' });

    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'grantflow: Invalid configuration:\n  PORT: must be a port number (got "eighty")',
    );
  });

  it('runs dev against given services without Slack: ready, says Slack is off, signs in through the dev IdP, stops cleanly on SIGTERM', async () => {
    const port = await findFreePort();
    const idpPort = await findFreePort();
    await database.runtime.sql`insert into people (email, name) values ('dev.signin@acme.test', 'Dev Sign-in')
      on conflict (email) do nothing`;
    const child: ChildProcess = spawn(process.execPath, [bin, 'dev', '--no-seed'], {
      cwd: root,
      env: {
        ...env,
        PORT: String(port),
        GRANTFLOW_DEV_IDP_PORT: String(idpPort),
        SLACK_BOT_TOKEN: '',
        SLACK_SIGNING_SECRET: '',
        SLACK_APP_TOKEN: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    try {
      await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, {
        timeoutMs: 45_000,
        intervalMs: 300,
      });
      await waitUntil(async () => output.includes('Slack        off: set SLACK_BOT_TOKEN'), {
        timeoutMs: 5_000,
        intervalMs: 100,
      });
      expect(output).toContain(`Console      http://localhost:${port}  (sign in as any example person`);
      expect(output).toContain(`Sign-in      the dev IdP at http://127.0.0.1:${idpPort}`);
      // The browser's path: the public URL (localhost), the dev IdP's form, back with a session.
      const session = await signIn(`http://localhost:${port}`, 'dev.signin@acme.test');
      expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
