import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { ValidationError } from '../../core/errors.js';
import { parseDuration } from '../../directory/file-fields.js';
import { type ApiOptions, connectApi, withApiOptions } from '../api-client.js';
import { formatFields, formatTime, printJson, printList } from '../format.js';

/** A campaign's summary as the API returns it. */
type CampaignSummary = {
  campaignId: string;
  name: string;
  status: string;
  launchedAt: string | null;
  dueAt: string;
  population: { count: number | null; sha256: string | null };
  items: Record<string, number> & { total: number; decided: number };
  completionPercent: number;
  exceptions: Record<string, number>;
  signedOff: { by: string | null; at: string | null };
};

/** Launch flags, as commander hands them over. */
type LaunchFlags = ApiOptions & {
  name: string;
  resource?: string[];
  entitlement?: string[];
  risk?: string[];
  department?: string[];
  holder?: string[];
  sodFindings?: boolean;
  reviewer: string;
  reviewerPerson?: string;
  due?: string;
  dueIn?: string;
  remindEvery?: string;
  escalateAfter?: string;
  defaultAction: string;
  allowChanges?: boolean;
  period?: string;
  json?: boolean;
};

/** API fields to the flags people typed, for 400s. */
const LAUNCH_FLAGS = {
  name: '--name',
  'scope.resources': '--resource',
  'scope.entitlements': '--entitlement',
  'scope.riskLevels': '--risk',
  'scope.departments': '--department',
  'scope.holders': '--holder',
  'scope.sodFindings': '--sod-findings',
  'reviewer.rule': '--reviewer',
  'reviewer.person': '--reviewer-person',
  dueAt: '--due',
  dueInSeconds: '--due-in',
  reminderEverySeconds: '--remind-every',
  escalateAfterSeconds: '--escalate-after',
  defaultAction: '--default-action',
  period: '--period',
};

const collect = (value: string, previous: string[] = []) => [...previous, value];

function seconds(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseDuration(text);
  } catch (error) {
    throw new ValidationError(`${flag}: ${(error as Error).message}`);
  }
}

/** The launch request body from the flags. */
function launchBody(flags: LaunchFlags): Record<string, unknown> {
  const scope = {
    ...(flags.resource ? { resources: flags.resource } : {}),
    ...(flags.entitlement ? { entitlements: flags.entitlement } : {}),
    ...(flags.risk ? { riskLevels: flags.risk } : {}),
    ...(flags.department ? { departments: flags.department } : {}),
    ...(flags.holder ? { holders: flags.holder } : {}),
    ...(flags.sodFindings ? { sodFindings: true } : {}),
  };
  const dueInSeconds = seconds('--due-in', flags.dueIn);
  const reminderEverySeconds = seconds('--remind-every', flags.remindEvery);
  const escalateAfterSeconds = seconds('--escalate-after', flags.escalateAfter);
  return {
    name: flags.name,
    scope,
    reviewer: { rule: flags.reviewer, ...(flags.reviewerPerson ? { person: flags.reviewerPerson } : {}) },
    ...(flags.due ? { dueAt: flags.due } : {}),
    ...(dueInSeconds !== undefined ? { dueInSeconds } : {}),
    ...(reminderEverySeconds !== undefined ? { reminderEverySeconds } : {}),
    ...(escalateAfterSeconds !== undefined ? { escalateAfterSeconds } : {}),
    defaultAction: flags.defaultAction,
    allowChanges: flags.allowChanges === true,
    ...(flags.period ? { period: flags.period } : {}),
  };
}

/** The campaign in a few aligned lines. */
function describe(summary: CampaignSummary): string {
  const { items } = summary;
  return `${formatFields([
    ['Campaign', `${summary.name} (${summary.campaignId})`],
    ['Status', summary.status],
    ['Due', formatTime(summary.dueAt)],
    [
      'Population',
      summary.population.count === null
        ? 'being snapshotted'
        : `${summary.population.count} grants, sha256 ${summary.population.sha256}`,
    ],
    ['Progress', `${items.decided} of ${items.total} decided (${summary.completionPercent}%)`],
    ['Decisions', `${items.kept ?? 0} kept, ${items.revoked ?? 0} revoked`],
    [
      'Revocations',
      `${items.revocationVerified ?? 0} verified, ${items.revocationPending ?? 0} pending, ${items.revocationFailed ?? 0} failed, ${items.revocationUnverified ?? 0} not verifiable`,
    ],
    [
      'Exceptions',
      Object.entries(summary.exceptions)
        .map(([key, value]) => `${key} ${value}`)
        .join(', '),
    ],
    [
      'Signed off',
      summary.signedOff.by ? `${summary.signedOff.by} at ${formatTime(summary.signedOff.at)}` : null,
    ],
  ])}\n`;
}

/** Adds the launch flags (shared by `launch` and `schedule`). */
function withLaunchFlags(command: Command, options: { due: boolean }): Command {
  command
    .requiredOption('--name <name>', 'what reviewers see, e.g. "Q4 production access review"')
    .option('--resource <key>', 'a resource in scope (repeatable)', collect)
    .option('--entitlement <resource/entitlement>', 'an entitlement in scope (repeatable)', collect)
    .option('--risk <level>', 'only this risk level: low | medium | high | critical (repeatable)', collect)
    .option('--department <name>', 'only holders in this department (repeatable)', collect)
    .option('--holder <email>', 'only the access this person holds (repeatable)', collect)
    .option('--sod-findings', 'only grants that make up an open separation-of-duties finding')
    .addOption(
      new Option('--reviewer <rule>', 'who reviews each grant')
        .choices(['manager', 'resource_owner', 'person'])
        .default('manager'),
    )
    .option('--reviewer-person <email>', 'the reviewer, with --reviewer person')
    .option('--due-in <duration>', 'due this long after launch, e.g. 14d')
    .option('--remind-every <duration>', 'reminder cadence (default 2d)')
    .option(
      '--escalate-after <duration>',
      "send an overdue reviewer's items to their manager after (default 5d)",
    )
    .addOption(
      new Option('--default-action <action>', 'what happens to unanswered items at the due date')
        .choices(['revoke', 'keep', 'escalate'])
        .makeOptionMandatory(),
    )
    .option('--allow-changes', 'reviewers may change a decision until revocation starts')
    .option('--json', 'the answer as JSON');
  if (options.due)
    command
      .option('--due <iso>', 'the due date, e.g. 2026-12-31T17:00:00Z')
      .option('--period <quarter>', 'once per period, e.g. 2026-Q4');
  return withApiOptions(command);
}

/** `grantflow campaign launch|list|status|signoff|report`: access reviews. */
export function registerCampaignCommands(program: Command): void {
  const campaign = program
    .command('campaign')
    .description('Certification campaigns: periodic access reviews');

  withLaunchFlags(campaign.command('launch').description('Launch a campaign now (admin)'), {
    due: true,
  }).action(async (flags: LaunchFlags) => {
    const launched = await connectApi(flags).post<CampaignSummary & { created: boolean }>('/campaigns', {
      body: launchBody(flags),
      flags: LAUNCH_FLAGS,
    });
    if (flags.json) return printJson(launched);
    process.stdout.write(
      `${launched.created ? 'Launched' : `Already launched for ${flags.period}`}:\n${describe(launched)}`,
    );
  });

  withLaunchFlags(
    campaign
      .command('schedule')
      .description('Launch a campaign every quarter from these flags, once per quarter (admin)')
      .requiredOption('--quarterly', 'every quarter: 09:00 UTC on the 1st of Jan, Apr, Jul and Oct'),
    { due: false },
  ).action(async (flags: LaunchFlags & { quarterly: boolean }) => {
    if (!flags.dueIn)
      throw new ValidationError('--due-in: required: how long each quarterly review runs, e.g. 21d');
    const scheduled = await connectApi(flags).post<{ scheduleId: string; nextRuns: string[] }>(
      '/campaigns/schedules',
      { body: launchBody(flags), flags: LAUNCH_FLAGS },
    );
    if (flags.json) return printJson(scheduled);
    process.stdout.write(
      `Scheduled ${scheduled.scheduleId}; next runs:\n${scheduled.nextRuns.map((at) => `  ${formatTime(at)}`).join('\n')}\n`,
    );
  });

  withApiOptions(
    campaign
      .command('list')
      .description('Campaigns, newest first (admin, auditor)')
      .option('--json', 'as JSON'),
  ).action(async (options: ApiOptions & { json?: boolean }) => {
    const { items } = await connectApi(options).get<{ items: CampaignSummary[] }>('/campaigns');
    printList(items, {
      json: options.json,
      empty: 'No campaigns yet.',
      columns: [
        ['id', (c) => c.campaignId],
        ['name', (c) => c.name],
        ['status', (c) => c.status],
        ['due', (c) => formatTime(c.dueAt)],
        ['done', (c) => `${c.completionPercent}%`],
      ],
    });
  });

  withApiOptions(
    campaign
      .command('status')
      .description('Where a campaign stands: population, progress, revocations, exceptions')
      .argument('<id>', 'campaign id')
      .option('--json', 'as JSON, with the live workflow state'),
  ).action(async (id: string, options: ApiOptions & { json?: boolean }) => {
    const summary = await connectApi(options).get<CampaignSummary>(`/campaigns/${encodeURIComponent(id)}`);
    if (options.json) return printJson(summary);
    process.stdout.write(describe(summary));
  });

  withApiOptions(
    campaign
      .command('signoff')
      .description('Sign off the results once every item is settled; the campaign closes (admin)')
      .argument('<id>', 'campaign id')
      .option('--reason <text>', 'a note for the record'),
  ).action(async (id: string, options: ApiOptions & { reason?: string }) => {
    const signed = await connectApi(options).post<CampaignSummary>(
      `/campaigns/${encodeURIComponent(id)}/signoff`,
      {
        body: options.reason ? { reason: options.reason } : {},
      },
    );
    process.stdout.write(`Signed off:\n${describe(signed)}`);
  });

  withApiOptions(
    campaign
      .command('report')
      .description('Every item with reviewer, decision, reason, times and revocation status (admin, auditor)')
      .argument('<id>', 'campaign id')
      .addOption(new Option('--format <format>', 'csv or json').choices(['csv', 'json']).default('csv'))
      .option('--out <file>', 'write to this file (default: standard output)'),
  ).action(async (id: string, options: ApiOptions & { format: string; out?: string }) => {
    const report = await connectApi(options).get<string>(`/campaigns/${encodeURIComponent(id)}/report`, {
      query: { format: options.format },
      raw: true,
    });
    if (!options.out) return void process.stdout.write(report);
    writeFileSync(options.out, report);
    const lines = report.split('\n').filter(Boolean).length;
    process.stderr.write(
      `Wrote ${options.out} (${options.format}, ${options.format === 'csv' ? `${lines - 1} items` : `${report.length} bytes`}).\n`,
    );
  });
}
