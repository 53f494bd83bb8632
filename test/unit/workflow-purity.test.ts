import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const workflowsDir = path.resolve(import.meta.dirname, '../../workflows');
const domainDir = path.resolve(import.meta.dirname, '../../domain');

/**
 * Workflow code runs in Temporal's deterministic sandbox: it may import only the workflow SDK,
 * other workflow files, the dependency-free `domain/` vocabulary, and *types* from elsewhere.
 * Biome forbids Node built-ins and I/O libraries there; this test also catches value imports
 * from the rest of the codebase.
 */
function impureImports(source: string): string[] {
  const problems: string[] = [];
  const importPattern = /^\s*(import|export)\s+(type\s+)?([^'"]*?)\s*from\s*['"]([^'"]+)['"]/gm;
  const bareImport = /^\s*import\s+['"]([^'"]+)['"]/gm;
  for (const match of source.matchAll(importPattern)) {
    const [, , typeOnly, , specifier = ''] = match;
    if (typeOnly) continue;
    if (specifier === '@temporalio/workflow' || specifier === '@temporalio/common') continue;
    if (specifier.startsWith('./') && !specifier.includes('..')) continue;
    if (/^\.\.\/domain\/[\w-]+\.js$/.test(specifier)) continue;
    problems.push(specifier);
  }
  for (const match of source.matchAll(bareImport)) problems.push(match[1] ?? '');
  return problems;
}

describe('workflows/ purity', () => {
  it('detects the imports it must refuse', () => {
    const source = [
      "import { readFile } from 'node:fs';",
      "import postgres from 'postgres';",
      "import { db } from '../db/client.js';",
      "import type { Person } from '../db/schema.js';",
      "import { proxyActivities } from '@temporalio/workflow';",
      "import { ids } from './ids.js';",
      "import { RISK_LEVELS } from '../domain/index.js';",
      "import { x } from '../domain/../db/client.js';",
      "import 'pino';",
    ].join('\n');

    expect(impureImports(source)).toEqual([
      'node:fs',
      'postgres',
      '../db/client.js',
      '../domain/../db/client.js',
      'pino',
    ]);
  });

  it('every workflow file imports only the workflow SDK, sibling workflow files and types', () => {
    const files = readdirSync(workflowsDir).filter((file) => file.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    const offenders = files.flatMap((file) =>
      impureImports(readFileSync(path.join(workflowsDir, file), 'utf8')).map(
        (specifier) => `${file}: ${specifier}`,
      ),
    );

    expect(offenders).toEqual([]);
  });

  it('domain/ imports nothing but its own files, so workflows and the database layer may use it', () => {
    const files = readdirSync(domainDir).filter((file) => file.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    const outside = files.flatMap((file) =>
      [...readFileSync(path.join(domainDir, file), 'utf8').matchAll(/from\s*['"]([^'"]+)['"]/g)]
        .map((match) => match[1] ?? '')
        .filter((specifier) => !/^\.\/[\w-]+\.js$/.test(specifier))
        .map((specifier) => `${file}: ${specifier}`),
    );
    expect(outside).toEqual([]);
  });
});
