import { describe, expectTypeOf, it } from 'vitest';
import { accessRequest } from '../../../workflows/access-request.js';
import { campaign } from '../../../workflows/campaign.js';
import type { AccessRequestWorkflow, CampaignWorkflow } from '../../../workflows/messages.js';

// `npm run typecheck` checks these: a workflow whose input or result drifts from the signature its
// use case starts it by fails to compile here, not at run time in Temporal.
describe('workflow signatures', () => {
  it('accessRequest is started as an AccessRequestWorkflow', () => {
    expectTypeOf(accessRequest).toEqualTypeOf<AccessRequestWorkflow>();
  });
  it('campaign is started as a CampaignWorkflow', () => {
    expectTypeOf(campaign).toEqualTypeOf<CampaignWorkflow>();
  });
});
