import type { Command } from 'commander';
import { formatImportReport, importDirectory } from '../../directory/import.js';
import { parseDirectoryFile } from '../../directory/parse.js';
import { cliContext, withRuntimeDatabase } from '../context.js';

/** `grantflow directory import <file>`: load people, groups, catalog and policies from YAML. */
export function registerDirectoryCommands(program: Command): void {
  const directory = program.command('directory').description('The directory and catalog');
  directory
    .command('import')
    .description('Import people, groups, resources, entitlements and policies from one YAML file')
    .argument('<file>', 'directory YAML (see examples/acme.yaml)')
    .option('--dry-run', 'report what would change without changing anything')
    .action(async (file: string, options: { dryRun?: boolean }) => {
      // Validate before touching any service: a broken file fails fast and changes nothing.
      const parsed = await parseDirectoryFile(file);
      const context = cliContext();
      const report = await withRuntimeDatabase(context, (database) =>
        importDirectory(database.db, parsed, {
          actor: `cli:${process.env.USER ?? 'unknown'}`,
          dryRun: options.dryRun,
        }),
      );
      process.stdout.write(`${formatImportReport(report)}\n`);
    });
}
