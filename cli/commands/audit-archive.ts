// `grantflow audit archive [--dry-run]`: retention (audit/retention/archive.ts). Connects as the
// database owner (DATABASE_URL, or the local stack's owner): pruning is refused to the runtime
// role the services use. Schedule it outside the services, e.g. a daily cron or Kubernetes
// CronJob running this command with the owner's DATABASE_URL.
import os from 'node:os';
import type { Command } from 'commander';
import { loadLedgerKeys } from '../../audit/keys.js';
import { archiveAndPrune } from '../../audit/retention/archive.js';
import { ValidationError } from '../../core/errors.js';
import { connectDatabase } from '../../db/client.js';
import { migrateDatabase } from '../../db/migrate.js';
import { openDatabase } from '../../dev/database.js';
import { readStackState } from '../../dev/state.js';
import { formatDuration } from '../../domain/durations.js';
import { auditExportDir } from '../../worker/main.js';
import { cliContext } from '../context.js';

/** Registers `audit archive` on the `audit` command. */
export function registerAuditArchiveCommand(audit: Command): void {
  audit
    .command('archive')
    .description(
      'Archive ledger entries older than GRANTFLOW_AUDIT_RETENTION to <export dir>/archive, verify the archive, then prune them (as the database owner)',
    )
    .option('--dry-run', 'print what would be archived and pruned, change nothing')
    .action(async (options: { dryRun?: boolean }) => {
      const context = cliContext();
      const retentionSeconds = context.config.GRANTFLOW_AUDIT_RETENTION;
      if (retentionSeconds === undefined) {
        throw new ValidationError(
          'GRANTFLOW_AUDIT_RETENTION is not set, so the ledger is kept forever and nothing is archived (set it, e.g. 400d)',
        );
      }
      const keys = loadLedgerKeys(context.config, context.log);
      const exportDir = auditExportDir(context.config);
      const say = (message: string) => process.stderr.write(`${message}\n`);
      say(`retention ${formatDuration(retentionSeconds, { weeks: false })}; archive under ${exportDir}`);
      const joining = !context.config.DATABASE_URL && readStackState(context.config.dataDir) !== undefined;
      const endpoint = await openDatabase(context.config, context.log, { startEmbedded: true });
      try {
        if (!context.config.DATABASE_URL && !joining)
          await migrateDatabase(endpoint.ownerUrl, endpoint.runtimeRole);
        const owner = connectDatabase(endpoint.ownerUrl, { max: 2, applicationName: 'grantflow-archive' });
        try {
          const result = await archiveAndPrune(owner.sql, keys, {
            retentionSeconds,
            exportDir,
            origin: context.config.GRANTFLOW_AUDIT_ORIGIN,
            actor: { type: 'system', id: `cli:${os.userInfo().username}@${os.hostname()}` },
            dryRun: options.dryRun,
            onProgress: say,
          });
          process.stdout.write(`${JSON.stringify(result, replacer, 2)}\n`);
        } finally {
          await owner.close();
        }
      } finally {
        await endpoint.stop();
      }
    });
}

// Plans hold buffers and frontiers: print what an operator reads.
function replacer(key: string, value: unknown): unknown {
  if (key === 'previousChain' || key === 'chainHead') return undefined;
  if (key === 'startFrontier' || key === 'note') return undefined;
  return value;
}
