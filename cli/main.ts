import { Command } from 'commander';
import { ConfigError, GrantflowError } from '../core/errors.js';
import { registerApiCommand } from './commands/api.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerCampaignCommands } from './commands/campaign.js';
import { registerDevCommand } from './commands/dev.js';
import { registerDirectoryCommands } from './commands/directory.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerEvidenceCommands } from './commands/evidence.js';
import { registerFindingCommands } from './commands/findings.js';
import { registerGrantsCommands } from './commands/grants.js';
import { registerLogReviewCommands } from './commands/log-review.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerPeopleCommands } from './commands/people.js';
import { registerRequestCommands } from './commands/request.js';
import { registerScimCommands } from './commands/scim.js';
import { registerTemporalCommands } from './commands/temporal.js';
import { registerTokenCommands } from './commands/token.js';
import { registerWitnessCommands } from './commands/witness.js';
import { registerWorkerCommand } from './commands/worker.js';

const program = new Command()
  .name('grantflow')
  .description('Workflow-driven access governance: requests, approvals, provisioning, reviews, audit.')
  .showHelpAfterError();

registerDevCommand(program);
registerWorkerCommand(program);
registerApiCommand(program);
registerMigrateCommand(program);
registerDirectoryCommands(program);
registerTokenCommands(program);
registerRequestCommands(program);
registerGrantsCommands(program);
registerPeopleCommands(program);
registerCampaignCommands(program);
registerAuditCommands(program);
registerScimCommands(program);
registerFindingCommands(program);
registerEvidenceCommands(program);
registerLogReviewCommands(program);
registerTemporalCommands(program);
registerDoctorCommand(program);
registerWitnessCommands(program);

async function main(): Promise<void> {
  await program.parseAsync(process.argv);
}

main().catch((error: unknown) => {
  // Expected failures print one clear message; only the unexpected get a stack trace.
  if (error instanceof ConfigError) {
    process.stderr.write(`grantflow: ${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof GrantflowError) {
    process.stderr.write(`grantflow: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`grantflow: unexpected error\n${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
