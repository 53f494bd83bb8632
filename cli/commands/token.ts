import os from 'node:os';
import type { Command } from 'commander';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { getPersonByEmail } from '../../db/queries/people.js';
import { issueApiToken } from '../../directory/tokens.js';
import { cliContext, withRuntimeDatabase } from '../context.js';

const tokenInput = z.object({
  user: z.email('must be an email address'),
  role: z.enum(['employee', 'admin', 'auditor']),
});

/** `grantflow token create`: an API bearer token, printed once and stored hashed. */
export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('API tokens');
  token
    .command('create')
    .description('Create an API token for a person; it is printed once and only its hash is stored')
    .requiredOption('--user <email>', 'the person the token acts as')
    .requiredOption('--role <role>', 'employee | admin | auditor')
    .option('--description <text>', 'what the token is for')
    .action(async (options: { user: string; role: string; description?: string }) => {
      const parsed = tokenInput.safeParse(options);
      if (!parsed.success) {
        throw new ValidationError(
          parsed.error.issues.map((issue) => `--${String(issue.path[0])}: ${issue.message}`).join('; '),
        );
      }
      const context = cliContext();
      const created = await withRuntimeDatabase(context, async ({ db }) => {
        const person = await getPersonByEmail(db, parsed.data.user.toLowerCase());
        if (!person) throw new NotFoundError('person', parsed.data.user);
        if (person.status !== 'active') throw new ValidationError(`${person.email} is inactive`);
        return issueApiToken(db, {
          personId: person.id,
          email: person.email,
          role: parsed.data.role,
          description: options.description,
          issuedBy: `cli:${os.userInfo().username}@${os.hostname()}`,
        });
      });
      process.stderr.write(
        `Token for ${parsed.data.user} (${parsed.data.role}); it is shown only this once:\n`,
      );
      process.stdout.write(`${created}\n`);
    });
}
