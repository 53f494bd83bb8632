// The population snapshot of a campaign: page through the grants in scope inside one REPEATABLE
// READ transaction (one consistent population however long it takes), assign each a reviewer,
// write the items, hash the pages as they pass, then attest count and digest in the ledger. Only
// one page (5,000 grants) and the directory are in memory at a time.
import { ApplicationFailure } from '@temporalio/activity';
import { type AuditWrite, appendToIntake } from '../audit/intake.js';
import { assignReviewer, type ReviewerDirectory, type ReviewerRule } from '../campaigns/reviewers.js';
import { createPopulationHasher } from '../campaigns/snapshot.js';
import type { Database } from '../db/client.js';
import { insertCampaignItems, type NewCampaignItem } from '../db/queries/campaign-items.js';
import {
  getCampaign,
  listPopulationPage,
  POPULATION_PAGE_SIZE,
  type PopulationGrant,
  recordPopulation,
  updateCampaign,
} from '../db/queries/campaigns.js';
import { listAllPeople } from '../db/queries/people.js';
import type { Campaign } from '../db/schema.js';
import { campaignEvent, WORKER_ACTOR } from './campaign-events.js';
import { heartbeat } from './heartbeat.js';

/** The byte format of `population_sha256` (campaigns/snapshot.ts), recorded beside the digest. */
const POPULATION_FORMAT_VERSION = 1;

/** See `snapshotCampaign` in campaigns.ts. */
export async function snapshotPopulation(db: Database, campaignId: string) {
  const campaign = await getCampaign(db, campaignId);
  if (!campaign) throw ApplicationFailure.nonRetryable(`no campaign ${campaignId}`, 'unknown_campaign');
  if (campaign.populationCount !== null && campaign.populationSha256 !== null) {
    return { count: campaign.populationCount, sha256: campaign.populationSha256 };
  }
  const everyone = await listAllPeople(db);
  const directory: ReviewerDirectory = new Map(
    everyone.map((p) => [p.id, { id: p.id, managerId: p.managerId, status: p.status }]),
  );
  const emails = new Map(everyone.map((p) => [p.id, p.email]));
  const rule: ReviewerRule =
    campaign.reviewerRule === 'person'
      ? { rule: 'person', personId: campaign.reviewerPersonId ?? '' }
      : { rule: campaign.reviewerRule };
  const reasons: Record<string, number> = {};

  // Nobody left in the chain: the launcher answers for it (or, for their own access, their manager).
  const lastResort = (holderId: string) => {
    const manager = directory.get(campaign.launchedById)?.managerId;
    return holderId === campaign.launchedById && manager ? manager : campaign.launchedById;
  };
  const itemOf = (grant: PopulationGrant): NewCampaignItem => {
    const assigned = assignReviewer(grant, rule, directory);
    const reason = assigned.reviewerId === undefined ? 'no_eligible_reviewer:launcher' : assigned.reason;
    reasons[reason] = (reasons[reason] ?? 0) + 1;
    return {
      grantId: grant.grantId,
      holderId: grant.holderId,
      entitlementId: grant.entitlementId,
      reviewerId: assigned.reviewerId ?? lastResort(grant.holderId),
      assignmentReason: reason,
    };
  };

  return db.transaction(
    async (tx) => {
      const hasher = createPopulationHasher();
      for (;;) {
        const page = await listPopulationPage(tx, campaign.scope, { afterGrantId: hasher.lastGrantId });
        hasher.add(page);
        await insertCampaignItems(tx, campaign.id, page.map(itemOf));
        heartbeat({ snapshotted: hasher.count });
        if (page.length < POPULATION_PAGE_SIZE) break;
      }
      const population = { count: hasher.count, sha256: hasher.digest() };
      if (!(await recordPopulation(tx, campaign.id, population))) {
        throw ApplicationFailure.nonRetryable(
          `campaign ${campaign.id} already attests a different population`,
          'population_mismatch',
        );
      }
      await updateCampaign(tx, campaign.id, { status: 'reviewing' });
      const launcher = emails.get(campaign.launchedById) ?? campaign.launchedById;
      await appendToIntake(tx, launchEvents(campaign, launcher, population, reasons));
      return population;
    },
    { isolationLevel: 'repeatable read' },
  );
}

function launchEvents(
  campaign: Campaign,
  launcher: string,
  population: { count: number; sha256: string },
  assignments: Record<string, number>,
): AuditWrite[] {
  return [
    campaignEvent(campaign, 'launched', {
      event_type: 'campaign.launched',
      actor: { type: 'person', id: launcher, email: launcher },
      action: 'launch',
      details: {
        scope: campaign.scope,
        reviewerRule: campaign.reviewerRule,
        dueAt: campaign.dueAt.toISOString(),
        reminderEverySeconds: campaign.reminderEverySeconds,
        escalateAfterSeconds: campaign.escalateAfterSeconds,
        defaultAction: campaign.defaultAction,
        allowChanges: campaign.allowChanges,
        ...(campaign.periodKey ? { period: campaign.periodKey } : {}),
      },
    }),
    campaignEvent(campaign, 'population.snapshot', {
      event_type: 'campaign.population.snapshot',
      actor: WORKER_ACTOR,
      action: 'snapshot',
      details: {
        count: population.count,
        sha256: population.sha256,
        scope: campaign.scope,
        formatVersion: POPULATION_FORMAT_VERSION,
        assignments,
      },
    }),
  ];
}
