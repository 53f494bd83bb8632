import type { Command } from 'commander';
import { createLogger } from '../../core/logger.js';
import { resolveTemporalBinary } from '../../temporal/binary.js';
import { cliContext } from '../context.js';

/** `grantflow temporal binary`: find (or build once) the Temporal CLI and print its path. */
export function registerTemporalCommands(program: Command): void {
  const temporal = program.command('temporal').description('The local Temporal dev server');
  temporal
    .command('binary')
    .description('Print the Temporal CLI grantflow dev would run, building it with Go once if needed')
    .action(async () => {
      const { config } = cliContext();
      // stdout is the answer (scripts capture it): the build's progress goes to stderr.
      const binary = await resolveTemporalBinary(
        { cliPath: config.TEMPORAL_CLI_PATH, allowDownload: false },
        createLogger(config, 'grantflow', 'stderr'),
      );
      if (binary.kind !== 'path') throw new Error('unreachable: downloads are not allowed here');
      process.stdout.write(`${binary.path}\n`);
      process.stderr.write(`(found via ${binary.source})\n`);
    });
}
