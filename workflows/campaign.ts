// One certification campaign from launch to sign-off: snapshot the population (attested by count
// and SHA-256), notify reviewers, remind and escalate through the review period, apply the default
// action at the due date, revoke what was denied through each grant's lifetime, then wait for an
// admin to sign off. Items live in PostgreSQL; this workflow only carries counts and timestamps,
// and hands them to a fresh run when Temporal suggests continue-as-new.
import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import { personActor, WORKFLOW_ACTOR } from './audit-write.js';
import {
  activities,
  type CampaignRun,
  campaignAudit,
  longActivities,
  newRun,
  refresh,
  setStatus,
} from './campaign-context.js';
import { enforce } from './campaign-enforce.js';
import { registerCampaignHandlers } from './campaign-handlers.js';
import { notifyReviewers, review } from './campaign-review.js';
import type { CampaignInput, CampaignState } from './messages.js';

/** Runs one campaign to its close and returns its final state. */
export async function campaign(input: CampaignInput): Promise<CampaignState> {
  const run = newRun(input);
  registerCampaignHandlers(run);
  const { state } = run;

  if (state.status === 'launching') {
    state.population = await longActivities.snapshotCampaign({ campaignId: input.campaignId });
    // The snapshot moved the row to `reviewing`; timers count from the items' existence.
    state.status = 'reviewing';
    const now = Date.now();
    run.timers = {
      nextReminderAt: now + input.reminderEverySeconds * 1000,
      nextEscalationAt: now + input.escalateAfterSeconds * 1000,
    };
    await refresh(run);
    await notifyReviewers(run, 'review_assigned');
  }
  if (state.status === 'reviewing' && (await review(run)) === 'continue') return continueWith(run);
  if (state.status === 'reviewing' || state.status === 'enforcing') {
    if ((await enforce(run)) === 'continue') return continueWith(run);
    await setStatus(run, 'awaiting_signoff');
    await activities.notify({
      kind: 'campaign_signoff_needed',
      campaignId: input.campaignId,
      to: [input.launchedBy.email],
      text: signOffText(run),
      facts: { campaign: input.campaignId },
    });
  }

  // Waiting may take weeks; signals meanwhile still grow the history. A sign-off arriving while
  // the hand-over waits for handlers wins: its handler only finishes once the campaign is closed.
  const signedOff = () => run.signOff !== undefined;
  await condition(() => signedOff() || workflowInfo().continueAsNewSuggested);
  if (!signedOff()) await condition(() => signedOff() || allHandlersFinished());
  if (!signedOff()) return continueWith(run);
  await close(run);
  return state;
}

/** "Q4 review is ready for sign-off: 120/120 decided, 7 revoked (6 verified, 1 failed)". */
function signOffText(run: CampaignRun): string {
  const { counts } = run.state;
  return (
    `"${run.input.name}" is ready for sign-off: ${counts.decided}/${counts.total} decided, ` +
    `${counts.revoked} revoked (${counts.revocationVerified} verified, ${counts.revocationUnverified} unverified, ` +
    `${counts.revocationFailed} failed, ${counts.revocationNotNeeded} already ended)`
  );
}

/** Signs off and closes, both in the ledger, then lets the sign-off update answer. */
async function close(run: CampaignRun): Promise<void> {
  const { state } = run;
  const actor = run.signOff ?? { by: run.input.launchedBy.email };
  await refresh(run);
  await activities.recordCampaignSignOff({
    campaignId: run.input.campaignId,
    by: actor.by,
    audit: [
      campaignAudit(run, 'signed_off', {
        event_type: 'campaign.signed_off',
        actor: personActor(actor.by, undefined, actor.slackId),
        action: 'sign_off',
        result: 'success',
        ...(actor.reason ? { reason: actor.reason } : {}),
        details: { counts: state.counts },
      }),
      campaignAudit(run, 'closed', {
        event_type: 'campaign.closed',
        actor: WORKFLOW_ACTOR,
        action: 'close',
        result: 'success',
        details: {
          ...(state.population ? { population: state.population } : {}),
          counts: state.counts,
          ...(state.defaultApplied ? { defaultApplied: state.defaultApplied } : {}),
          reminderRounds: state.reminderRounds,
          escalatedItems: state.escalatedItems,
        },
      }),
    ],
  });
  state.signedOffBy = actor.by;
  state.status = 'closed';
  await condition(allHandlersFinished);
}

/** Hands the small state and the timers to a fresh run once every handler has answered. */
async function continueWith(run: CampaignRun): Promise<never> {
  await condition(allHandlersFinished);
  return continueAsNew<typeof campaign>({
    ...run.input,
    resume: { state: run.state, ...run.timers },
  });
}
