// `grantflow people show <email>`: one person as an admin or auditor sees them: identity source,
// status, manager, what they hold now, and what reconciliation found open about them.
import type { Command } from 'commander';
import { type ApiOptions, connectApi, withApiOptions } from '../api-client.js';
import { formatFields, formatTable, formatTime, printJson } from '../format.js';

type Overview = {
  person: {
    email: string;
    name: string;
    status: string;
    source: string;
    department: string | null;
    deactivatedAt: string | null;
  };
  manager: string | null;
  grants: {
    id: string;
    resource: string;
    entitlement: string;
    source: string;
    grantedAt: string;
    expiresAt: string | null;
  }[];
  openFindings: { id: string; kind: string; resource: string | null; entitlement: string | null }[];
};

/** Registers `people show`. */
export function registerPeopleCommands(program: Command): void {
  const people = program.command('people').description('The directory (admin, auditor)');
  withApiOptions(
    people
      .command('show')
      .description('One person: identity source, status, access held now, open findings')
      .argument('<email>', "the person's email")
      .option('--json', 'as JSON'),
  ).action(async (email: string, options: ApiOptions & { json?: boolean }) => {
    const o = await connectApi(options).get<Overview>('/people/overview', { query: { email } });
    if (options.json) return printJson(o);
    const { person } = o;
    process.stdout.write(`${person.name} <${person.email}>  ${person.status}\n`);
    process.stdout.write(
      formatFields([
        ['managed by', person.source],
        ['manager', o.manager],
        ['department', person.department],
        ['left', person.deactivatedAt && formatTime(person.deactivatedAt)],
      ]),
    );
    process.stdout.write(
      o.grants.length === 0
        ? 'Holds nothing.\n'
        : `Holds:\n${formatTable(
            ['GRANT', 'ENTITLEMENT', 'SOURCE', 'SINCE', 'UNTIL'],
            o.grants.map((g) => [
              g.id,
              `${g.resource}/${g.entitlement}`,
              g.source,
              formatTime(g.grantedAt),
              g.expiresAt ? formatTime(g.expiresAt) : 'standing',
            ]),
          )}`,
    );
    if (o.openFindings.length > 0) {
      process.stdout.write(
        `Open findings:\n${formatTable(
          ['FINDING', 'KIND', 'ENTITLEMENT'],
          o.openFindings.map((f) => [f.id, f.kind, `${f.resource ?? '-'}/${f.entitlement ?? '-'}`]),
        )}`,
      );
    }
  });
}
