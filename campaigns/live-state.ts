import type { Client } from '@temporalio/client';
import { campaignWorkflowId } from '../workflows/ids.js';
import { type CampaignState, campaignStateQuery } from '../workflows/messages.js';

/** What an open campaign's workflow holds now; null when it cannot answer. */
export async function liveCampaignState(
  deps: { temporal: Client },
  campaignId: string,
): Promise<CampaignState | null> {
  return deps.temporal.workflow
    .getHandle(campaignWorkflowId(campaignId))
    .query(campaignStateQuery)
    .catch(() => null);
}
