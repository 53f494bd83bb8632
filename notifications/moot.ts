// Whether a message still makes sense when it is finally delivered. After an outage a card asking
// for a decision that was made meanwhile (through the API, the CLI, or by a deadline) would only
// mislead: the deliverer drops it. News ("your request was approved") is never moot.
import type { Executor } from '../db/client.js';
import { getAccessRequest } from '../db/queries/access-requests.js';
import { listApprovalDecisions } from '../db/queries/approval-decisions.js';
import { getCampaign } from '../db/queries/campaigns.js';
import { getGrant } from '../db/queries/grants.js';
import type { Notification } from './port.js';

const ASKS_FOR_REVIEW = new Set<Notification['kind']>([
  'review_assigned',
  'review_reminder',
  'review_escalated',
]);

/** The step a card asks about, from its "2 of 3" fact; undefined when it does not say. */
function stepOf(notification: Notification): number | undefined {
  const match = /^(\d+) of \d+$/.exec(notification.facts?.step ?? '');
  return match ? Number(match[1]) - 1 : undefined;
}

/** Why `notification` (to exactly one recipient) is moot now, or undefined when it should go out. */
export async function whyMoot(db: Executor, notification: Notification): Promise<string | undefined> {
  const reader = notification.to[0];
  if (notification.requestId && notification.actions?.includes('approve')) {
    const request = await getAccessRequest(db, notification.requestId);
    if (!request) return 'the request no longer exists';
    if (request.status !== 'pending' && request.status !== 'pending_approval')
      return `the request is ${request.status} now`;
    const step = stepOf(notification);
    if (step !== undefined && step !== request.currentStep) return `step ${step + 1} is decided`;
    const decisions = await listApprovalDecisions(db, request.id);
    if (decisions.some((d) => d.stepIndex === request.currentStep && d.approverEmail === reader))
      return `${reader} decided this step already`;
    const current = request.currentStep ?? 0;
    if (
      decisions.some((d) => d.stepIndex < current && d.decision === 'approve' && d.approverEmail === reader)
    )
      return `${reader} approved an earlier step of this request`;
    return undefined;
  }
  if (
    notification.requestId &&
    (notification.kind === 'fulfilment_needed' || notification.kind === 'fulfilment_reminder')
  ) {
    const request = await getAccessRequest(db, notification.requestId);
    return request?.status === 'awaiting_fulfilment'
      ? undefined
      : `the request is ${request?.status ?? 'gone'}`;
  }
  if (notification.grantId && notification.kind === 'grant_expiring') {
    const grant = await getGrant(db, notification.grantId);
    return grant?.status === 'active' ? undefined : `the grant is ${grant?.status ?? 'gone'}`;
  }
  const campaignId = notification.campaignId ?? notification.facts?.campaign;
  if (
    campaignId &&
    (ASKS_FOR_REVIEW.has(notification.kind) || notification.kind === 'campaign_signoff_needed')
  ) {
    const campaign = await getCampaign(db, campaignId);
    const open = notification.kind === 'campaign_signoff_needed' ? 'awaiting_signoff' : 'reviewing';
    return campaign?.status === open ? undefined : `the campaign is ${campaign?.status ?? 'gone'}`;
  }
  return undefined;
}
