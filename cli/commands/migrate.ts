import type { Command } from 'commander';
import { migrateDatabase } from '../../db/migrate.js';
import { openDatabase, redact } from '../../dev/database.js';
import { cliContext } from '../context.js';

/** `grantflow migrate`: apply migrations as the owner role and re-grant the runtime role. */
export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('Apply database migrations (as the owner role) and grant the runtime role its privileges')
    .action(async () => {
      const { config, log } = cliContext();
      const endpoint = await openDatabase(config, log, { startEmbedded: true });
      try {
        await migrateDatabase(endpoint.ownerUrl, endpoint.runtimeRole);
        log.info(`migrated ${redact(endpoint.ownerUrl)}`);
      } finally {
        await endpoint.stop();
      }
    });
}
