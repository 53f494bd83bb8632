// `grantflow reconcile <resource>` and `grantflow findings list|show|resolve`: compare a target with
// the grants, and work through what it found. Over the REST API, like the other commands.
import type { Command } from 'commander';
import { type ApiOptions, connectApi, withApiOptions } from '../api-client.js';
import { formatFields, formatTime, printJson, printList } from '../format.js';

type FindingBody = {
  id: string;
  kind: string;
  status: string;
  resource: string | null;
  entitlement: string | null;
  person: string | null;
  account: string | null;
  grantId: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  resolution: string | null;
  resolvedBy: string | null;
};

type Reconciled = {
  runId: string;
  resource: string;
  outcome?: string;
  counts?: Record<string, number>;
  error?: string;
};

const where = (f: FindingBody) => `${f.resource ?? '-'}/${f.entitlement ?? '-'}`;

function describeRun(run: Reconciled): string {
  if (!run.outcome)
    return `Reconciling ${run.resource} (run ${run.runId}); see \`grantflow findings list --resource ${run.resource}\` when it is done.\n`;
  if (run.outcome !== 'completed')
    return `Reconciliation of ${run.resource} did not compare anything: ${run.outcome} (${run.error ?? 'no detail'}).\n`;
  const c = run.counts ?? {};
  return (
    `Reconciled ${run.resource}: ${c.holdings ?? 0} holdings at the target, ${c.grants ?? 0} active grants, ${c.matched ?? 0} matched.\n` +
    `  ${c.opened ?? 0} new findings, ${c.open ?? 0} open, ${c.resolved ?? 0} resolved (${c.acted ?? 0} by the resource's policy).\n`
  );
}

/** Registers `reconcile` and `findings`. */
export function registerFindingCommands(program: Command): void {
  withApiOptions(
    program
      .command('reconcile')
      .description("Compare what a resource's target really holds with its grants (admin)")
      .argument('[resource]', 'resource key')
      .option('--sod', 'check separation-of-duties rules against what people hold now instead')
      .option('--no-wait', 'start it and return at once')
      .option('--json', 'the outcome as JSON'),
  ).action(
    async (
      resource: string | undefined,
      options: ApiOptions & { sod?: boolean; wait: boolean; json?: boolean },
    ) => {
      const api = connectApi(options);
      if (options.sod) {
        const check = await api.post<{ breaches: number; opened: number; resolved: number }>(
          '/reconciliations/sod',
          {},
        );
        if (options.json) return printJson(check);
        process.stdout.write(
          `Separation of duties on current access: ${check.breaches} breaches (${check.opened} new), ${check.resolved} mended.\n`,
        );
        return;
      }
      if (!resource) throw new Error('name the resource to reconcile (or --sod)');
      const run = await api.post<Reconciled>('/reconciliations', { body: { resource, wait: options.wait } });
      if (options.json) return printJson(run);
      process.stdout.write(describeRun(run));
      if (run.outcome && run.outcome !== 'completed') process.exitCode = 1;
    },
  );

  const findings = program.command('findings').description('What reconciliation found (admin, auditor)');

  withApiOptions(
    findings
      .command('list')
      .description('Findings, newest first')
      .option('--status <status>', 'open | resolved')
      .option('--resource <key>', "only this resource's")
      .option('--kind <kind>', 'orphan | missing | unknown_account | sod_violation')
      .option('--limit <n>', 'most findings to list (1 to 500)', '50')
      .option('--json', 'as JSON'),
  ).action(
    async (
      options: ApiOptions & {
        status?: string;
        resource?: string;
        kind?: string;
        limit: string;
        json?: boolean;
      },
    ) => {
      const { items } = await connectApi(options).get<{ items: FindingBody[] }>('/findings', {
        query: {
          status: options.status,
          resource: options.resource,
          kind: options.kind,
          limit: options.limit,
        },
        flags: { status: '--status', resource: '--resource', kind: '--kind', limit: '--limit' },
      });
      printList(items, {
        json: options.json,
        empty: 'No findings. Run `grantflow reconcile <resource>` to compare a target with its grants.',
        columns: [
          ['ID', (f) => f.id],
          ['KIND', (f) => f.kind],
          ['STATUS', (f) => f.status],
          ['ENTITLEMENT', where],
          ['WHO', (f) => f.person ?? f.account ?? '-'],
          ['SEEN', (f) => formatTime(f.firstSeenAt)],
        ],
      });
    },
  );

  withApiOptions(
    findings
      .command('show')
      .description('One finding')
      .argument('<id>', 'finding id')
      .option('--json', 'as JSON'),
  ).action(async (id: string, options: ApiOptions & { json?: boolean }) => {
    const f = await connectApi(options).get<FindingBody>(`/findings/${encodeURIComponent(id)}`);
    if (options.json) return printJson(f);
    process.stdout.write(`Finding ${f.id}  ${f.kind}  ${f.status}\n`);
    process.stdout.write(
      formatFields([
        ['entitlement', where(f)],
        ['person', f.person],
        ['account', f.account],
        ['grant', f.grantId],
        ['first seen', formatTime(f.firstSeenAt)],
        ['last seen', formatTime(f.lastSeenAt)],
        ['resolved', f.resolvedAt && formatTime(f.resolvedAt)],
        ['resolution', f.resolution],
        ['by', f.resolvedBy],
      ]),
    );
  });

  withApiOptions(
    findings
      .command('resolve')
      .description('Close an open finding by hand (admin); the reason is recorded')
      .argument('<id>', 'finding id')
      .requiredOption('--reason <text>', 'why: fixed at the target, or accepted')
      .option('--json', 'as JSON'),
  ).action(async (id: string, options: ApiOptions & { reason: string; json?: boolean }) => {
    const f = await connectApi(options).post<FindingBody>(`/findings/${encodeURIComponent(id)}/resolution`, {
      body: { reason: options.reason },
      flags: { reason: '--reason' },
    });
    if (options.json) return printJson(f);
    process.stdout.write(`Finding ${f.id} resolved: ${f.resolution}\n`);
  });
}
