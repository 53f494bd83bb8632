// The campaign's query, signal and updates. Decisions never pass through here: the API and Slack
// write them straight to PostgreSQL, then nudge the workflow to recount. Sign-off is an update
// with a validator, so a refused one leaves no trace in history.
import { condition, setHandler } from '@temporalio/workflow';
import { type CampaignRun, refresh } from './campaign-context.js';
import {
  campaignStateQuery,
  decisionsRecordedSignal,
  refreshCampaignUpdate,
  signOffCampaignUpdate,
} from './messages.js';
import { refuse } from './refusal.js';

/** Registers every handler of one run. */
export function registerCampaignHandlers(run: CampaignRun): void {
  // Queries cannot do I/O: they answer with the counts of the last recount.
  setHandler(campaignStateQuery, () => run.state);

  setHandler(decisionsRecordedSignal, () => refresh(run));

  setHandler(refreshCampaignUpdate, async () => {
    await refresh(run);
    return run.state;
  });

  setHandler(
    signOffCampaignUpdate,
    async (actor) => {
      run.signOff = actor;
      await condition(() => run.state.status === 'closed');
      return run.state;
    },
    {
      validator: (actor) => {
        if (!actor.asAdmin) refuse({ code: 'not_allowed', message: 'only an admin may sign off a campaign' });
        if (run.state.status !== 'awaiting_signoff') {
          refuse({
            code: 'conflict',
            message: `the campaign is not awaiting sign-off (it is ${run.state.status})`,
          });
        }
        if (run.signOff) refuse({ code: 'conflict', message: 'the campaign is already being signed off' });
      },
    },
  );
}
