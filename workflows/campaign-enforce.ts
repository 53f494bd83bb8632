// Enforcement after the due date: the default action decides every open item, revoke decisions
// become final (queued), and each queued grant is revoked through its own lifetime workflow, which
// deprovisions and reads the target back. Passes repeat, backing off, until no revocation is
// pending, so a slow target or a manual removal is waited for rather than given up on.
import { sleep, workflowInfo } from '@temporalio/workflow';
import { WORKFLOW_ACTOR } from './audit-write.js';
import {
  activities,
  type CampaignRun,
  campaignAudit,
  longActivities,
  refresh,
  setStatus,
} from './campaign-context.js';

/** How this run's enforcement ended: done (every item settled), or continue-as-new. */
export type EnforceOutcome = 'done' | 'continue';

/** The first wait between passes over pending revocations, and the longest. */
const FIRST_POLL_MS = 1_000;
const MAX_POLL_MS = 10 * 60_000;

/**
 * Why the default action decided an item, as the report and the grant's ledger show it. The
 * `escalate` default fails closed: an item still open after its escalation and the extra cadence
 * is uncertified access, which least privilege removes, and the admin chose escalation over keep.
 */
function defaultReason(run: CampaignRun): string {
  switch (run.input.defaultAction) {
    case 'keep':
      return 'not reviewed by the due date; kept by the campaign default';
    case 'revoke':
      return 'not reviewed by the due date; revoked by the campaign default';
    case 'escalate':
      return 'not reviewed by the due date nor after escalation; revoked (unreviewed access is not kept)';
  }
}

async function applyDefault(run: CampaignRun): Promise<void> {
  const { campaignId, defaultAction } = run.input;
  const decision = defaultAction === 'keep' ? 'keep' : 'revoke';
  const reason = defaultReason(run);
  let items = 0;
  for (;;) {
    const batch = await activities.applyCampaignDefault({
      campaignId,
      decision,
      reason,
      limit: run.batches.items,
    });
    if (batch.applied === 0) {
      items = batch.decidedByDefault ?? 0;
      break;
    }
  }
  run.state.defaultApplied = { decision, items };
  await activities.recordAudit([
    campaignAudit(run, 'default_applied', {
      event_type: 'campaign.default_applied',
      actor: WORKFLOW_ACTOR,
      action: 'apply_default',
      result: 'success',
      reason,
      details: { defaultAction, decision, items },
    }),
  ]);
}

/** One pass over every pending revocation; returns how many are still pending. */
async function revocationPass(run: CampaignRun): Promise<number> {
  let pending = 0;
  let afterId: number | undefined;
  for (;;) {
    const pass = await longActivities.enforceCampaignRevocations({
      campaignId: run.input.campaignId,
      name: run.input.name,
      launchedBy: run.input.launchedBy.email,
      limit: run.batches.revocations,
      ...(afterId !== undefined ? { afterId } : {}),
    });
    pending += pass.pending;
    afterId = pass.next;
    if (!pass.more) return pending;
  }
}

/** Applies the default action and revokes what was denied, until every item is settled. */
export async function enforce(run: CampaignRun): Promise<EnforceOutcome> {
  const { campaignId } = run.input;
  if (run.state.status !== 'enforcing') await setStatus(run, 'enforcing');
  if (!run.state.defaultApplied) await applyDefault(run);
  while ((await activities.queueCampaignRevocations({ campaignId, limit: run.batches.items })) > 0) {
    // Each call makes up to a batch final; repeat until none is left.
  }
  await refresh(run);
  for (let wait = FIRST_POLL_MS; ; wait = Math.min(wait * 2, MAX_POLL_MS)) {
    const pending = await revocationPass(run);
    await refresh(run);
    if (pending === 0) return 'done';
    await sleep(wait);
    if (workflowInfo().continueAsNewSuggested) return 'continue';
  }
}
