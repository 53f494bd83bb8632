import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import {
  grantflowCacheDir,
  noTemporalMessage,
  parseGoVersion,
  resolveTemporalBinary,
  TemporalBinaryError,
} from '../../temporal/binary.js';

const log = pino({ level: 'silent' });

function fakeExecutable(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, '#!/bin/sh\nexit 0\n');
  chmodSync(file, 0o755);
  return file;
}

describe('resolveTemporalBinary', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gf-bin-'));
  const emptyEnv = { PATH: path.join(root, 'empty-path'), XDG_CACHE_HOME: path.join(root, 'empty-cache') };

  it('prefers TEMPORAL_CLI_PATH', async () => {
    const explicit = fakeExecutable(path.join(root, 'explicit'), 'temporal');
    fakeExecutable(path.join(root, 'onpath'), 'temporal');

    const found = await resolveTemporalBinary({ cliPath: explicit }, log, {
      PATH: path.join(root, 'onpath'),
    });

    expect(found).toEqual({ kind: 'path', path: explicit, source: 'TEMPORAL_CLI_PATH' });
  });

  it('refuses a TEMPORAL_CLI_PATH that is not executable', async () => {
    await expect(resolveTemporalBinary({ cliPath: path.join(root, 'nope') }, log, emptyEnv)).rejects.toThrow(
      /TEMPORAL_CLI_PATH=.*not an executable/,
    );
  });

  it('then takes temporal from PATH', async () => {
    const onPath = fakeExecutable(path.join(root, 'onpath'), 'temporal');

    const found = await resolveTemporalBinary({}, log, { ...emptyEnv, PATH: path.join(root, 'onpath') });

    expect(found).toEqual({ kind: 'path', path: onPath, source: 'PATH' });
  });

  it('then the shared cache directory', async () => {
    const cacheHome = path.join(root, 'cache');
    const cached = fakeExecutable(path.join(cacheHome, 'grantflow'), 'temporal');

    const found = await resolveTemporalBinary({}, log, { ...emptyEnv, XDG_CACHE_HOME: cacheHome });

    expect(found).toEqual({ kind: 'path', path: cached, source: 'cache' });
  });

  it('falls back to the SDK download when there is no Go toolchain', async () => {
    const found = await resolveTemporalBinary({}, log, emptyEnv);

    expect(found).toEqual({
      kind: 'sdk-download',
      downloadDir: path.join(emptyEnv.XDG_CACHE_HOME, 'grantflow'),
    });
  });

  it('names every option when nothing is left', async () => {
    const attempt = resolveTemporalBinary({ allowDownload: false }, log, emptyEnv);

    await expect(attempt).rejects.toBeInstanceOf(TemporalBinaryError);
    await expect(attempt).rejects.toThrow(/TEMPORAL_CLI_PATH[\s\S]*Go >= 1\.25[\s\S]*TEMPORAL_ADDRESS/);
  });
});

describe('helpers', () => {
  it('parses go version output', () => {
    expect(parseGoVersion('go version go1.26.8 linux/amd64')).toEqual([1, 26]);
    expect(parseGoVersion('go version devel')).toBeUndefined();
  });

  it('uses XDG_CACHE_HOME, else ~/.cache', () => {
    expect(grantflowCacheDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/grantflow');
    expect(grantflowCacheDir({})).toBe(path.join(os.homedir(), '.cache', 'grantflow'));
  });

  it('explains an old Go', () => {
    expect(noTemporalMessage([1, 21])).toContain('Go 1.21 is older than 1.25');
  });
});
