// Fuzzing the directory file: random YAML mutations of examples/acme.yaml (yaml-mutations.ts) go
// through the same parse and import as `grantflow directory import`. Whatever the file: it is
// imported, or refused with problems that each name file:line:col; never another exception, and a
// refused file leaves every directory table as it was.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fc, it } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, inject } from 'vitest';
import { importDirectory } from '../../directory/import.js';
import { DirectoryFileError, parseDirectorySource } from '../../directory/parse.js';
import { grantflow } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';
import { yamlMutationArbitrary } from '../helpers/yaml-mutations.js';

const FILE = 'acme.yaml';
const ACME = readFileSync(new URL('../../examples/acme.yaml', import.meta.url), 'utf8');
const TABLES = [
  'people',
  'groups',
  'group_members',
  'policies',
  'policy_versions',
  'resources',
  'entitlements',
  'sod_rules',
  'birthright_rules',
  'grants',
];
/** A refusal as the CLI prints it: every line starts with file:line:col. */
const PROBLEM_LINE = /^acme\.yaml:\d+:\d+ \S/;

describe('random mutations of the directory file', () => {
  let database: TestDatabase;
  let baseline: Record<string, string[]> = {};
  const outcomes = { imported: 0, refused: 0 };

  /** Every row of every directory table, as text, ordered: equal dumps mean an untouched database. */
  async function dump(): Promise<Record<string, string[]>> {
    const result: Record<string, string[]> = {};
    for (const table of TABLES) {
      const rows = await database.owner.sql.unsafe<{ row: string }[]>(
        `select to_jsonb(t)::text as row from "${table}" t order by 1`,
      );
      result[table] = rows.map((r) => r.row);
    }
    return result;
  }

  /** Imports the example as it is and takes what the database holds then as the baseline. */
  async function restore() {
    await importDirectory(database.runtime.db, parseDirectorySource(ACME, FILE), { actor: 'test:fuzz' });
    baseline = await dump();
  }

  function expectLocated(error: unknown, text: string) {
    if (!(error instanceof DirectoryFileError)) throw error;
    const lineCount = text.split(/\r\n|\n|\r/).length;
    expect(error.problems.length).toBeGreaterThan(0);
    for (const problem of error.problems) {
      expect(problem.file).toBe(FILE);
      expect(problem.line).toBeGreaterThanOrEqual(1);
      expect(problem.line).toBeLessThanOrEqual(lineCount + 1);
      expect(problem.column).toBeGreaterThanOrEqual(1);
      expect(problem.message.length).toBeGreaterThan(0);
    }
    for (const line of error.message.split('\n')) expect(line).toMatch(PROBLEM_LINE);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    await restore();
  });
  afterAll(async () => {
    // Both outcomes must have happened, or the mutations test only one side.
    expect(outcomes.imported).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
    await database?.drop();
  });

  it.prop([yamlMutationArbitrary(ACME)], { numRuns: 150 })(
    'imported, or refused at file:line:col with nothing changed',
    async ({ text }) => {
      let parsed: ReturnType<typeof parseDirectorySource>;
      try {
        parsed = parseDirectorySource(text, FILE);
      } catch (error) {
        expectLocated(error, text);
        outcomes.refused++;
        return;
      }
      try {
        await importDirectory(database.runtime.db, parsed, { actor: 'test:fuzz' });
      } catch (error) {
        expectLocated(error, text);
        outcomes.refused++;
        expect(await dump()).toEqual(baseline);
        return;
      }
      outcomes.imported++;
      await restore();
    },
  );

  it('through the CLI: a refused file exits 1 naming file:line:col, and changes nothing', async () => {
    const services = inject('services');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gf-dir-fuzz-'));
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      GRANTFLOW_DATA_DIR: dir,
      DATABASE_URL: database.ownerUrl,
      DATABASE_RUNTIME_URL: database.runtimeUrl,
      TEMPORAL_ADDRESS: services.temporalAddress,
      TEMPORAL_NAMESPACE: services.temporalNamespace,
    };
    try {
      // One refused mutation through the real command (a child process costs seconds): the exit code
      // and stderr are the interface.
      const refused = fc
        .sample(yamlMutationArbitrary(ACME), { numRuns: 20, seed: 15 })
        .filter(({ text }) => {
          try {
            parseDirectorySource(text, FILE);
            return false;
          } catch {
            return true;
          }
        })
        .slice(0, 1);
      expect(refused).toHaveLength(1);
      for (const { text } of refused) {
        const file = path.join(dir, FILE);
        writeFileSync(file, text);
        const result = await grantflow(['directory', 'import', file], env);
        expect(result.code, result.stderr).toBe(1);
        expect(result.stderr).toMatch(new RegExp(`${file.replaceAll('.', '\\.')}:\\d+:\\d+ `));
        expect(await dump()).toEqual(baseline);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
