import type { Command } from 'commander';
import { formatDoctorReport } from '../../doctor/report.js';
import { runDoctor } from '../../doctor/run.js';
import { cliContext } from '../context.js';
import { printJson } from '../format.js';

/** `grantflow doctor`: check a deployment's configuration; exit 1 when anything is wrong. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      "Check this deployment's configuration (database role, ledger triggers, signing key, Temporal, Slack, clocks, export directory); exit 1 when a check fails",
    )
    .option('--json', 'the report as JSON')
    .action(async (options: { json?: boolean }) => {
      const { config } = cliContext();
      const report = await runDoctor(config);
      if (options.json) printJson(report);
      else process.stdout.write(formatDoctorReport(report));
      process.exitCode = report.ok ? 0 : 1;
    });
}
