import path from 'node:path';
import type { Command } from 'commander';
import { runDev } from '../../dev/run-dev.js';
import { cliContext } from '../context.js';

/** `grantflow dev`: the whole stack on embedded defaults (what `npm start` runs). */
export function registerDevCommand(program: Command): void {
  program
    .command('dev')
    .description(
      'Start PostgreSQL, Temporal, the worker and the API on this machine (data kept between runs)',
    )
    .option('--seed <file>', 'directory file imported on first run', 'examples/acme.yaml')
    .option('--no-seed', 'start with an empty directory')
    .action(async (options: { seed: string | false }) => {
      const context = cliContext('stdout');
      await runDev(context.config, context.log, {
        seedFile: options.seed ? path.resolve(options.seed) : undefined,
      });
    });
}
