import type { Command } from 'commander';
import { openDatabase } from '../../dev/database.js';
import { openTemporal } from '../../dev/temporal.js';
import { startWorker } from '../../worker/main.js';
import { cliContext } from '../context.js';

/** `grantflow worker`: run a Temporal worker (production: as many as you like). */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'Run the Temporal worker (needs DATABASE_URL and TEMPORAL_ADDRESS, or a running grantflow dev)',
    )
    .action(async () => {
      const { config, log } = cliContext('stdout');
      const database = await openDatabase(config, log, { startEmbedded: false });
      const temporal = await openTemporal(config, log, { startDevServer: false });
      const worker = await startWorker(config, log, {
        runtimeUrl: database.runtimeUrl,
        temporalAddress: temporal.address,
      });
      const stop = () => void worker.stop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await worker.done;
      log.info('worker stopped');
    });
}
