import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { ConfigError } from '../../core/errors.js';

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({}, '/srv/app');

    expect(config.PORT).toBe(3000);
    expect(config.dataDir).toBe(path.resolve('/srv/app', '.grantflow'));
    expect(config.TEMPORAL_NAMESPACE).toBe('default');
    expect(config.TEMPORAL_TASK_QUEUE).toBe('grantflow');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
  });

  it('limits refused requests and sign-ins per source, and refuses a limit of nothing', () => {
    const config = loadConfig({});
    expect(config.GRANTFLOW_REFUSALS_PER_MINUTE).toBe(60);
    expect(config.GRANTFLOW_REFUSAL_WINDOW_SECONDS).toBe(60);
    expect(config.GRANTFLOW_SIGN_IN_PER_MINUTE).toBe(20);
    expect(loadConfig({ GRANTFLOW_REFUSALS_PER_MINUTE: '500' }).GRANTFLOW_REFUSALS_PER_MINUTE).toBe(500);
    try {
      loadConfig({ GRANTFLOW_REFUSALS_PER_MINUTE: '0', GRANTFLOW_REFUSAL_WINDOW_SECONDS: 'soon' });
      expect.unreachable('a limit of 0 and a window of "soon" were accepted');
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
        'GRANTFLOW_REFUSALS_PER_MINUTE',
        'GRANTFLOW_REFUSAL_WINDOW_SECONDS',
      ]);
    }
  });

  it('treats empty values as unset, as .env files write them', () => {
    const config = loadConfig({ DATABASE_URL: '', TEMPORAL_ADDRESS: '  ' });

    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
  });

  it('names every bad variable in one error', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });

    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigError).problems.map((p) => p.variable).sort();
      expect(problems).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
      expect((error as ConfigError).message).toContain('PORT');
    }
  });

  it('never echoes a secret value back', () => {
    try {
      loadConfig({ DATABASE_URL: 'mysql://user:hunter2@db' });
      expect.unreachable('a mysql URL must be refused');
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
      expect((error as Error).message).toContain('DATABASE_URL');
    }
  });

  it('refuses a port out of range', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
  });

  it('opens the log review monthly for the security group unless told otherwise, and refuses a bad cron', () => {
    expect(loadConfig({})).toMatchObject({
      GRANTFLOW_LOG_REVIEW_CRON: '0 9 1 * *',
      GRANTFLOW_LOG_REVIEW_GROUP: 'security',
      GRANTFLOW_LOG_REVIEW_DUE_DAYS: 10,
    });
    expect(loadConfig({ GRANTFLOW_LOG_REVIEW_CRON: 'off' }).GRANTFLOW_LOG_REVIEW_CRON).toBe('off');
    expect(() => loadConfig({ GRANTFLOW_LOG_REVIEW_CRON: 'monthly' })).toThrow(
      /GRANTFLOW_LOG_REVIEW_CRON: must be a five-field cron expression/,
    );
  });

  it('requires the owner URL when a runtime URL is given', () => {
    expect(() => loadConfig({ DATABASE_RUNTIME_URL: 'postgres://app@db/grantflow' })).toThrow(/DATABASE_URL/);
  });

  it('reads GRANTFLOW_AUDIT_WITNESSES as url=vkey pairs and names a bad one', () => {
    const vkey = 'witness.example/w1+ccf9428c+BBCYN1MOe96tC9LlYmcR34S03Xzlv5TgJtzbGt55KrOl';
    const config = loadConfig({ GRANTFLOW_AUDIT_WITNESSES: ` http://w1.test:7380/=${vkey} ` });
    expect(config.GRANTFLOW_AUDIT_WITNESSES.map((w) => [w.url, w.verifier.name])).toEqual([
      ['http://w1.test:7380', 'witness.example/w1'],
    ]);
    expect(loadConfig({}).GRANTFLOW_AUDIT_WITNESSES).toEqual([]);
    for (const bad of [vkey, `ftp://w1=${vkey}`, `http://w1=${vkey.replace('ccf9428c', '00000000')}`]) {
      expect(() => loadConfig({ GRANTFLOW_AUDIT_WITNESSES: bad })).toThrow(/GRANTFLOW_AUDIT_WITNESSES/);
    }
  });

  it('reads the audit retention as a duration, unset keeping the ledger forever', () => {
    expect(loadConfig({}).GRANTFLOW_AUDIT_RETENTION).toBeUndefined();
    expect(loadConfig({ GRANTFLOW_AUDIT_RETENTION: '' }).GRANTFLOW_AUDIT_RETENTION).toBeUndefined();
    expect(loadConfig({ GRANTFLOW_AUDIT_RETENTION: '400d' }).GRANTFLOW_AUDIT_RETENTION).toBe(400 * 86_400);
    expect(() => loadConfig({ GRANTFLOW_AUDIT_RETENTION: 'a year' })).toThrow(
      /GRANTFLOW_AUDIT_RETENTION: must be a duration/,
    );
    expect(() => loadConfig({ GRANTFLOW_AUDIT_RETENTION: '0d' })).toThrow(
      /GRANTFLOW_AUDIT_RETENTION: must be longer than zero/,
    );
  });
});
