import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const workflowsDir = path.resolve(import.meta.dirname, '../../workflows');

/**
 * Workflow code runs in Temporal's deterministic sandbox: it may import only the workflow SDK,
 * other workflow files, and *types* from elsewhere. Biome forbids Node built-ins and I/O
 * libraries there; this test also catches value imports from the rest of the codebase.
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
      "import 'pino';",
    ].join('\n');

    expect(impureImports(source)).toEqual(['node:fs', 'postgres', '../db/client.js', 'pino']);
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
});
