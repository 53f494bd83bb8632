import type { Command } from 'commander';
import { startApi } from '../../api/main.js';
import { openDatabase } from '../../dev/database.js';
import { openTemporal } from '../../dev/temporal.js';
import { cliContext } from '../context.js';

/** `grantflow api`: run the HTTP API (stateless; run as many replicas as you like). */
export function registerApiCommand(program: Command): void {
  program
    .command('api')
    .description('Run the HTTP API (needs DATABASE_URL and TEMPORAL_ADDRESS, or a running grantflow dev)')
    .action(async () => {
      const { config, log } = cliContext('stdout');
      const database = await openDatabase(config, log, { startEmbedded: false });
      const temporal = await openTemporal(config, log, { startDevServer: false });
      const api = await startApi(config, log, {
        runtimeUrl: database.runtimeUrl,
        temporalAddress: temporal.address,
      });
      log.info(`API listening on ${api.url}`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await api.close();
    });
}
