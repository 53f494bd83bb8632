// Activities of the campaign workflow that touch only PostgreSQL: the population snapshot, status
// changes, counts, the default action, the revocation queue and the sign-off. Items are read and
// written here in bounded pages; what goes back to the workflow is counts and cursors.

import { ApplicationFailure } from '@temporalio/activity';
import { type AuditWrite, appendToIntake } from '../audit/intake.js';
import type { Database } from '../db/client.js';
import { applyDefaultDecision, queueRevocations } from '../db/queries/campaign-enforcement.js';
import { countCampaignItems } from '../db/queries/campaign-items.js';
import { countReportExceptions } from '../db/queries/campaign-report.js';
import { getCampaign, signOffCampaign, updateCampaign } from '../db/queries/campaigns.js';
import type { CampaignCounts } from '../domain/index.js';
import type { CampaignStatus } from '../workflows/messages.js';
import { snapshotPopulation } from './campaign-snapshot.js';
import { personIdOf } from './person-id.js';

/** What the campaign activities need. */
export type CampaignActivityDeps = { db: Database };

/** The attested population: how many grants, and the SHA-256 of their canonical snapshot. */
export type PopulationAttestation = { count: number; sha256: string };

/** Campaign activities that only read and write the database (see also campaign-revocations.ts). */
export function createCampaignActivities(deps: CampaignActivityDeps) {
  return {
    /**
     * Freezes the population in one REPEATABLE READ transaction: items with their reviewers, the
     * count and digest on the campaign, and the `campaign.launched` and
     * `campaign.population.snapshot` events. A retry after a commit returns the recorded attestation.
     */
    async snapshotCampaign(input: { campaignId: string }): Promise<PopulationAttestation> {
      return snapshotPopulation(deps.db, input.campaignId);
    },

    /** Decision and revocation counts, for the workflow's query. */
    async countCampaign(input: { campaignId: string }): Promise<CampaignCounts> {
      return countCampaignItems(deps.db, input.campaignId);
    },

    /** Moves the campaign row to `status` (the workflow's own state moved first). */
    async setCampaignStatus(input: { campaignId: string; status: CampaignStatus }): Promise<void> {
      await updateCampaign(deps.db, input.campaignId, { status: input.status });
    },

    /** Decides the next `limit` open items with the default action; returns how many it decided. */
    async applyCampaignDefault(input: {
      campaignId: string;
      decision: 'keep' | 'revoke';
      reason: string;
      limit: number;
    }): Promise<{ applied: number; decidedByDefault?: number }> {
      const applied = (await applyDefaultDecision(deps.db, input)).length;
      if (applied > 0) return { applied };
      // The total comes from the rows, not from adding up batches: a batch committed just before
      // a worker died is skipped by the retry and would otherwise never be counted.
      return {
        applied,
        decidedByDefault: (await countReportExceptions(deps.db, input.campaignId)).decidedByDefault,
      };
    },

    /** Marks the next `limit` revoked items `pending` (final from then on); returns how many. */
    async queueCampaignRevocations(input: { campaignId: string; limit: number }): Promise<number> {
      return (await queueRevocations(deps.db, input)).length;
    },

    /**
     * Signs the campaign off and closes it, with its `campaign.signed_off` and `campaign.closed`
     * events, in one transaction. A retry after the commit finds it closed and changes nothing.
     */
    async recordCampaignSignOff(input: {
      campaignId: string;
      by: string;
      audit: AuditWrite[];
    }): Promise<void> {
      const personId = await personIdOf(deps.db, input.by);
      await deps.db.transaction(async (tx) => {
        const closed = await signOffCampaign(tx, input.campaignId, personId);
        if (!closed) {
          const campaign = await getCampaign(tx, input.campaignId);
          if (campaign?.status !== 'closed' || campaign.signedOffById !== personId) {
            throw ApplicationFailure.nonRetryable(
              `campaign ${input.campaignId} is ${campaign?.status ?? 'missing'}, not awaiting sign-off`,
              'conflict',
            );
          }
        }
        await appendToIntake(tx, input.audit);
      });
    },
  };
}
