// The shared state of one campaign run: what handlers and the phases read and write, the activity
// proxies, and the helpers that move the status, recount the items and write audit events. Only
// counts, timestamps and cursors live here; the items stay in PostgreSQL.
import { condition, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { CampaignCounts } from '../domain/index.js';
import { auditWrite, type WorkflowAuditDraft } from './audit-write.js';
import type {
  ActorInput,
  CampaignBatchSizes,
  CampaignInput,
  CampaignState,
  CampaignStatus,
} from './messages.js';

const retry = { initialInterval: '1 second', maximumInterval: '30 seconds' } as const;

/** Short database and notification calls. */
export const activities = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', retry });

/**
 * Calls that page through many rows (the snapshot of 100,000 grants, a batch of revocations): they
 * heartbeat per page or per grant, so a dead worker is noticed in a minute, not at the timeout.
 */
export const longActivities = proxyActivities<Activities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '1 minute',
  retry,
});

/** Default batch sizes: one statement per 5,000 items, 100 DMs or 50 revocations per call. */
const DEFAULT_BATCHES: CampaignBatchSizes = { items: 5_000, reviewers: 100, revocations: 50 };

/** Counts before the first recount. */
const NO_COUNTS: CampaignCounts = {
  total: 0,
  decided: 0,
  undecided: 0,
  kept: 0,
  revoked: 0,
  revocationPending: 0,
  revocationVerified: 0,
  revocationUnverified: 0,
  revocationFailed: 0,
  revocationNotNeeded: 0,
};

/** Everything one run shares between its handlers and its phases. */
export type CampaignRun = {
  input: CampaignInput;
  state: CampaignState;
  batches: CampaignBatchSizes;
  /** Epoch milliseconds of the next reminder round and the next overdue check. */
  timers: { nextReminderAt: number; nextEscalationAt: number };
  /** Set by the sign-off update; the main flow closes the campaign on it. */
  signOff?: ActorInput;
  refreshing: boolean;
  refreshWanted: boolean;
};

/** Starts a run's shared state, or takes it over from the previous run on continue-as-new. */
export function newRun(input: CampaignInput): CampaignRun {
  const now = Date.now();
  const state: CampaignState = input.resume?.state ?? {
    campaignId: input.campaignId,
    name: input.name,
    status: 'launching',
    launchedAt: now,
    dueAt: input.dueAt,
    counts: NO_COUNTS,
    reminderRounds: 0,
    escalatedItems: 0,
  };
  return {
    input,
    state,
    batches: { ...DEFAULT_BATCHES, ...input.batches },
    timers: {
      nextReminderAt: input.resume?.nextReminderAt ?? now + input.reminderEverySeconds * 1000,
      nextEscalationAt: input.resume?.nextEscalationAt ?? now + input.escalateAfterSeconds * 1000,
    },
    refreshing: false,
    refreshWanted: false,
  };
}

/** What every campaign activity call names: the campaign and how reviewers see it. */
export function about(run: CampaignRun) {
  return { campaignId: run.input.campaignId, name: run.input.name, dueAt: run.input.dueAt };
}

/** An audit event about this campaign (key `campaign:<id>:<name>`). */
export function campaignAudit(run: CampaignRun, name: string, draft: Omit<WorkflowAuditDraft, 'target'>) {
  const { campaignId } = run.input;
  return auditWrite(name, {
    target: { type: 'campaign', id: campaignId, name: run.input.name },
    ...draft,
    correlation: { campaign_id: campaignId, ...draft.correlation },
  });
}

/** Moves the campaign to `status`: the state at once (validators see it), then the row. */
export async function setStatus(run: CampaignRun, status: CampaignStatus): Promise<void> {
  run.state.status = status;
  await activities.setCampaignStatus({ campaignId: run.input.campaignId, status });
}

/**
 * Recounts the items. Calls that arrive while a recount runs ask for one more, and all of them
 * return once a recount that started after their call has finished: a burst of signals costs two.
 */
export async function refresh(run: CampaignRun): Promise<void> {
  run.refreshWanted = true;
  if (run.refreshing) {
    await condition(() => !run.refreshing);
    return;
  }
  run.refreshing = true;
  try {
    while (run.refreshWanted) {
      run.refreshWanted = false;
      run.state.counts = await activities.countCampaign({ campaignId: run.input.campaignId });
      run.state.countedAt = Date.now();
    }
  } finally {
    run.refreshing = false;
  }
}
