// The notification port, for real: DMs in Slack. New cards are remembered (channel + ts) so that
// later news about the same request or grant rewrites them in place: an approver's buttons give
// way to the outcome, whoever decided and through whichever door (Slack, API, CLI). The deliverer
// calls it from the outbox; a failure is thrown in the port's words (delivery-errors.ts) so the
// outbox retries it, and a rewrite that failed in an outage is redone from the rows as they are
// when Slack is back: cards end in their final state.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../core/logger.js';
import type { Executor } from '../db/client.js';
import { listReviewerProgress } from '../db/queries/campaign-items.js';
import { getCampaign } from '../db/queries/campaigns.js';
import { getGrant } from '../db/queries/grants.js';
import { getPersonByEmail } from '../db/queries/people.js';
import {
  type NewSlackMessage,
  rememberSlackMessage,
  slackMessagesForGrant,
  slackMessagesForRequest,
} from '../db/queries/slack-messages.js';
import type { Notification, Notifier } from '../notifications/port.js';
import type { AlertPoster } from './alerts.js';
import { noticeMessage } from './blocks/alerts.js';
import { grantExpiringMessage } from './blocks/grant.js';
import type { SlackPayload } from './blocks/kit.js';
import { approvalMessage, fulfilmentTaskMessage, requestStatusMessage } from './blocks/request.js';
import { reviewDigestMessage, signOffNeededMessage } from './blocks/review-digest.js';
import { grantCard, isDecidable, loadRequestFacts, type RequestFacts } from './cards.js';
import { asDeliveryError, isSlackRefusal } from './delivery-errors.js';
import type { SlackDirectory } from './identity.js';

/** What the Slack notifier needs. */
export type SlackNotifierDeps = {
  db: Executor;
  client: WebClient;
  directory: SlackDirectory;
  alert: AlertPoster;
  log: Logger;
  /** The console's public URL: Approve on a request that needs a passkey links there. */
  config: { publicUrl: string };
};

/** What a remembered message is, so it can be rendered again. */
type Purpose = 'approval' | 'fulfilment' | 'request_status' | 'grant_expiring';

/** Notifications that ask a reviewer to review: a digest DM with a Review button. */
const REVIEW_NOTICES = new Set<Notification['kind']>([
  'review_assigned',
  'review_reminder',
  'review_escalated',
]);

/** The campaign a notification is about: its own field, else the `campaign` fact workflows attach. */
function campaignIdOf(notification: Notification): string | undefined {
  if (notification.campaignId) return notification.campaignId;
  const fromFacts = notification.facts?.campaign;
  return fromFacts &&
    (REVIEW_NOTICES.has(notification.kind) || notification.kind === 'campaign_signoff_needed')
    ? fromFacts
    : undefined;
}

const REQUEST_OUTCOMES = new Set<Notification['kind']>([
  'request_decided',
  'request_cancelled',
  'request_expired',
  'access_provisioned',
  'provisioning_failed',
]);

/** A notifier that talks to people in Slack DMs. */
export function createSlackNotifier(deps: SlackNotifierDeps): Notifier {
  const { db, client, directory, log } = deps;

  /** DMs one person; remembers the message when it may change later. Unknown in Slack: logged, skipped. */
  async function dm(
    email: string,
    message: SlackPayload,
    remember?: Omit<NewSlackMessage, 'channel' | 'ts' | 'recipientEmail'>,
  ): Promise<void> {
    const user = await directory.slackIdFor(email);
    if (!user) {
      log.warn({ email }, 'not in Slack: message not delivered');
      return;
    }
    const posted = await client.chat.postMessage({ channel: user, ...message });
    if (remember && posted.channel && posted.ts) {
      await rememberSlackMessage(db, {
        ...remember,
        recipientEmail: email,
        channel: posted.channel,
        ts: posted.ts,
      });
    }
  }

  /** A card Slack will not rewrite (deleted, too old) is left as it is; Slack being down is thrown. */
  function cannotUpdate(error: unknown, about: Record<string, string>): void {
    if (!isSlackRefusal(error)) throw error;
    log.warn({ err: error, ...about }, 'could not update a Slack message in place');
  }

  function renderRequest(
    purpose: Purpose,
    facts: RequestFacts,
    reader: string,
    heading?: string,
  ): SlackPayload {
    if (purpose === 'approval') {
      const decidable = isDecidable(facts.request) && facts.deciders.includes(reader);
      return approvalMessage(facts.card, {
        decidable,
        consoleUrl: deps.config.publicUrl,
        ...(heading ? { heading } : {}),
      });
    }
    if (purpose === 'fulfilment') {
      return fulfilmentTaskMessage(facts.card, {
        open: facts.request.status === 'awaiting_fulfilment',
        ...(heading ? { heading } : {}),
      });
    }
    return requestStatusMessage(facts.card, heading ?? undefined);
  }

  /** Rewrites every remembered card of a request from the row as it is now. */
  async function refreshRequest(requestId: string): Promise<void> {
    for (const message of await slackMessagesForRequest(db, requestId)) {
      const facts = await loadRequestFacts(db, requestId, message.recipientEmail);
      if (!facts) return;
      const rendered = renderRequest(
        message.purpose as Purpose,
        facts,
        message.recipientEmail,
        message.heading ?? undefined,
      );
      await client.chat
        .update({ channel: message.channel, ts: message.ts, ...rendered })
        .catch((error) => cannotUpdate(error, { requestId }));
    }
  }

  async function refreshGrant(grantId: string): Promise<void> {
    const grant = await getGrant(db, grantId);
    if (!grant) return;
    for (const message of await slackMessagesForGrant(db, grantId, 'grant_expiring')) {
      await client.chat
        .update({
          channel: message.channel,
          ts: message.ts,
          ...grantExpiringMessage(grantCard(grant), { open: grant.status === 'active' }),
        })
        .catch((error) => cannotUpdate(error, { grantId }));
    }
  }

  async function aboutRequest(notification: Notification, requestId: string): Promise<void> {
    const { kind, text, to } = notification;
    if (kind !== 'request_submitted') await refreshRequest(requestId);
    if (kind === 'approval_recorded') return;

    const purpose: Purpose | undefined = notification.actions?.includes('approve')
      ? 'approval'
      : notification.actions?.includes('fulfil_done') ||
          kind === 'fulfilment_needed' ||
          kind === 'fulfilment_reminder'
        ? 'fulfilment'
        : kind === 'request_submitted' || REQUEST_OUTCOMES.has(kind)
          ? 'request_status'
          : undefined;
    for (const email of to) {
      const facts = await loadRequestFacts(db, requestId, email);
      if (!facts) return;
      const message = purpose ? renderRequest(purpose, facts, email, text) : noticeMessage(text);
      // A status card's first heading ("…is waiting for approval") would be wrong once it moves on.
      const heading = purpose === 'request_status' ? null : text;
      await dm(email, message, purpose ? { purpose, requestId, heading } : undefined);
    }
  }

  async function alertOn(kind: Notification['kind'], requestId: string): Promise<void> {
    const facts = await loadRequestFacts(db, requestId, '');
    if (!facts) return;
    const { card } = facts;
    const what = {
      requester: card.requester.email,
      access: `${card.resourceName} / ${card.entitlementName}`,
    };
    if (kind === 'provisioning_failed') {
      await deps.alert({
        title: 'Provisioning failed',
        severity: 'warning',
        text: card.outcome ?? 'provisioning failed for good; an admin can retry it',
        facts: { ...what, request: requestId },
      });
    }
    if (kind !== 'access_provisioned') return;
    if (card.risk === 'high' || card.risk === 'critical') {
      await deps.alert({
        title: `${card.risk === 'critical' ? 'Critical' : 'High'}-risk access granted`,
        severity: card.risk === 'critical' ? 'critical' : 'high',
        text: `${card.requester.name} now has ${what.access} for ${card.durationText}`,
        facts: { ...what, request: requestId },
      });
    }
    if (card.sodNote) {
      await deps.alert({
        title: 'Separation-of-duties exception granted',
        severity: 'high',
        text: card.sodNote,
        facts: { ...what, request: requestId },
      });
    }
  }

  async function aboutGrant(notification: Notification, grantId: string): Promise<void> {
    const grant = await getGrant(db, grantId);
    if (!grant) return;
    await refreshGrant(grantId);
    for (const email of notification.to) {
      if (notification.kind === 'grant_expiring') {
        await dm(email, grantExpiringMessage(grantCard(grant), { open: grant.status === 'active' }), {
          purpose: 'grant_expiring',
          grantId,
        });
      } else {
        await dm(email, noticeMessage(notification.text, notification.facts));
      }
    }
  }

  /**
   * A reviewer's digest, reminder or escalation (counts read now, per reader, with a Review
   * button), or the launcher's sign-off notice. Anything else about a campaign is a plain notice.
   */
  async function aboutCampaign(notification: Notification, campaignId: string): Promise<void> {
    const campaign = await getCampaign(db, campaignId);
    for (const email of notification.to) {
      if (campaign && REVIEW_NOTICES.has(notification.kind)) {
        const reader = await getPersonByEmail(db, email);
        const [progress] = reader
          ? await listReviewerProgress(db, campaign.id, { reviewerId: reader.id })
          : [];
        await dm(
          email,
          reviewDigestMessage({
            heading: notification.text,
            campaignId: campaign.id,
            campaignName: campaign.name,
            dueAt: new Date(campaign.dueAt).toISOString(),
            total: progress?.total ?? 0,
            decided: progress?.decided ?? 0,
            defaultAction: campaign.defaultAction,
          }),
        );
      } else if (campaign && notification.kind === 'campaign_signoff_needed') {
        await dm(
          email,
          signOffNeededMessage({ campaignId: campaign.id, name: campaign.name, text: notification.text }),
        );
      } else {
        await dm(email, noticeMessage(notification.text, notification.facts));
      }
    }
  }

  async function messages(notification: Notification): Promise<void> {
    if (notification.requestId) return aboutRequest(notification, notification.requestId);
    if (notification.grantId) return aboutGrant(notification, notification.grantId);
    const campaignId = campaignIdOf(notification);
    if (campaignId) return aboutCampaign(notification, campaignId);
    for (const email of notification.to)
      await dm(email, noticeMessage(notification.text, notification.facts));
  }

  return {
    async send(notification, part) {
      try {
        if (part !== 'alerts') await messages(notification);
        if (part !== 'messages' && notification.requestId && REQUEST_OUTCOMES.has(notification.kind)) {
          await alertOn(notification.kind, notification.requestId);
        }
      } catch (error) {
        throw asDeliveryError(error);
      }
    },
  };
}
