// Launching a certification campaign, shared by the API, the CLI, Slack and the quarterly
// Schedule: refuse bad input naming the field, record the campaign (once per period), and start
// its workflow (once per campaign). Calling it again for a period returns the campaign it made and
// starts nothing new, so a retried or caught-up scheduled run never makes two.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { ValidationError } from '../core/errors.js';
import type { Database } from '../db/client.js';
import { insertCampaign } from '../db/queries/campaigns.js';
import { getEntitlement } from '../db/queries/entitlements.js';
import { getPersonByEmail, getPersonById } from '../db/queries/people.js';
import { getResourceByKey } from '../db/queries/resources.js';
import type { Campaign } from '../db/schema.js';
import { startOnce } from '../temporal/start-once.js';
import { campaignWorkflowId } from '../workflows/ids.js';
import type { CampaignInput, CampaignWorkflow, PersonRef } from '../workflows/messages.js';
import { type CampaignLaunchInput, type LaunchInputProblem, resolveLaunchInput } from './launch-input.js';

/** What launching needs from its caller. */
export type LaunchDeps = {
  db: Database;
  temporal: Client;
  taskQueue: string;
  /** The clock the due date is checked against (tests pin it). */
  now?: () => Date;
  /** Batch sizes and hand-over frequency for the workflow (tests, benchmarks); defaults suit production. */
  tuning?: Pick<CampaignInput, 'batches' | 'continueAsNewAfterWakes'>;
};

/** The admin launching, as the caller knows them (from a token, a Slack user or the schedule). */
export type Launcher = PersonRef & { id: string };

/** The campaign, whether this call made it, and its workflow. */
export type LaunchResult = { campaign: Campaign; created: boolean; workflowId: string };

/** Validates, records and starts a campaign; see the file comment for repeated periods. */
export async function launchCampaign(
  deps: LaunchDeps,
  raw: unknown,
  launchedBy: Launcher,
  options: {
    /** Makes the launch happen once for this key (a mover's move), as `period` does for a quarter. */
    onceKey?: string;
  } = {},
): Promise<LaunchResult> {
  const input = resolveLaunchInput(raw, (deps.now ?? (() => new Date()))());
  const reviewerPersonId = await checkAgainstDirectory(deps.db, input);
  const id = randomUUID();
  const { campaign, created } = await insertCampaign(deps.db, {
    id,
    name: input.name,
    scope: input.scope,
    reviewerRule: input.reviewer.rule,
    reviewerPersonId: reviewerPersonId ?? null,
    dueAt: input.dueAt,
    reminderEverySeconds: input.reminderEverySeconds,
    escalateAfterSeconds: input.escalateAfterSeconds,
    defaultAction: input.defaultAction,
    allowChanges: input.allowChanges,
    periodKey: options.onceKey ?? input.period ?? null,
    launchedById: launchedBy.id,
    workflowId: campaignWorkflowId(id),
  });
  const workflowId = campaign.workflowId ?? campaignWorkflowId(campaign.id);
  // A closed campaign's workflow may be gone from Temporal already: starting it again would
  // reopen a campaign that was signed off.
  if (campaign.status !== 'closed') {
    const owner = created ? launchedBy : await personRefOf(deps.db, campaign.launchedById);
    await startWorkflow(deps, campaign, owner, workflowId);
  }
  return { campaign, created, workflowId };
}

async function startWorkflow(
  deps: LaunchDeps,
  campaign: Campaign,
  launchedBy: PersonRef,
  workflowId: string,
) {
  const input: CampaignInput = {
    campaignId: campaign.id,
    name: campaign.name,
    launchedBy: { email: launchedBy.email, name: launchedBy.name },
    dueAt: campaign.dueAt.getTime(),
    reminderEverySeconds: campaign.reminderEverySeconds,
    escalateAfterSeconds: campaign.escalateAfterSeconds,
    defaultAction: campaign.defaultAction,
    allowChanges: campaign.allowChanges,
    ...deps.tuning,
  };
  // One workflow per campaign, ever: a repeated launch finds it running (or finished).
  await startOnce<CampaignWorkflow>(deps.temporal, 'campaign', {
    workflowId,
    taskQueue: deps.taskQueue,
    args: [input],
  });
}

async function personRefOf(db: Database, id: string): Promise<PersonRef> {
  const person = await getPersonById(db, id);
  if (!person) throw new Error(`the launcher ${id} of an existing campaign is not in the directory`);
  return { email: person.email, name: person.name };
}

/**
 * Refuses a scope naming resources or entitlements the catalog lacks, or a named reviewer who is
 * not an active person; returns that reviewer's id.
 */
export async function checkAgainstDirectory(
  db: Database,
  input: CampaignLaunchInput,
): Promise<string | undefined> {
  const problems: LaunchInputProblem[] = [];
  for (const [index, key] of (input.scope.resources ?? []).entries()) {
    if (!(await getResourceByKey(db, key))) {
      problems.push({
        field: `scope.resources[${index}]`,
        message: `names no resource in the catalog (${key})`,
      });
    }
  }
  for (const [index, ref] of (input.scope.entitlements ?? []).entries()) {
    const [resourceKey = '', entitlementKey = ''] = ref.split('/');
    if (!(await getEntitlement(db, resourceKey, entitlementKey))) {
      problems.push({
        field: `scope.entitlements[${index}]`,
        message: `names no entitlement in the catalog (${ref})`,
      });
    }
  }
  for (const [index, email] of (input.scope.holders ?? []).entries()) {
    if (!(await getPersonByEmail(db, email))) {
      problems.push({ field: `scope.holders[${index}]`, message: `is not in the directory (${email})` });
    }
  }
  let reviewerId: string | undefined;
  if (input.reviewer.rule === 'person') {
    const person = await getPersonByEmail(db, input.reviewer.person);
    if (!person) problems.push({ field: 'reviewer.person', message: 'is not in the directory' });
    else if (person.status !== 'active')
      problems.push({ field: 'reviewer.person', message: 'is not active' });
    else reviewerId = person.id;
  }
  if (problems.length > 0) {
    const text = problems.map((p) => `${p.field} ${p.message}`).join('; ');
    throw new ValidationError(`Invalid campaign: ${text}`, { fields: problems });
  }
  return reviewerId;
}
