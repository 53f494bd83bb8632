// An admin signs a campaign off once every item is settled; the workflow refuses anything earlier
// and closes the campaign.
import type { Client } from '@temporalio/client';
import { NotFoundError } from '../core/errors.js';
import type { Executor } from '../db/client.js';
import { getCampaign } from '../db/queries/campaigns.js';
import { sendUpdate } from '../temporal/updates.js';
import { campaignWorkflowId } from '../workflows/ids.js';
import { type ActorInput, type CampaignState, signOffCampaignUpdate } from '../workflows/messages.js';

/** Signs `campaignId` off as `actor`; 404 for no such campaign, the workflow's refusal otherwise. */
export async function signOffCampaign(
  deps: { db: Executor; temporal: Client },
  input: { campaignId: string; updateId?: string },
  actor: ActorInput,
): Promise<CampaignState> {
  const campaign = await getCampaign(deps.db, input.campaignId);
  if (!campaign) throw new NotFoundError('campaign', input.campaignId);
  return sendUpdate(
    deps.temporal,
    campaign.workflowId ?? campaignWorkflowId(campaign.id),
    signOffCampaignUpdate,
    actor,
    'campaign',
    input.updateId ? { updateId: input.updateId } : {},
  );
}
