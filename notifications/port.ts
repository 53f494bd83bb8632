// The notification port: every message a person should get about a request or a grant goes
// through one `Notifier`. Workflows reach it through the `notify` activity, which only writes the
// message to the durable outbox (outbox.ts); the deliverer (deliverer.ts) hands it to a Notifier
// later, so no workflow ever waits for Slack. The log implementation lives beside this file, tests
// record with test/helpers/recording-notifier.ts, and Slack implements it for real.

/** What happened, from the reader's point of view. */
export type NotificationKind =
  | 'request_submitted'
  | 'approval_needed'
  | 'approval_reminder'
  | 'approval_escalated'
  | 'approval_recorded'
  | 'request_decided'
  | 'request_cancelled'
  | 'request_expired'
  | 'access_provisioned'
  | 'provisioning_failed'
  | 'fulfilment_needed'
  | 'fulfilment_reminder'
  | 'grant_expiring'
  | 'grant_ended'
  | 'review_assigned'
  | 'review_reminder'
  | 'review_escalated'
  | 'campaign_signoff_needed'
  /** Reconciliation left findings open, or could not read a target (to the resource's owners). */
  | 'findings_opened';

/** One message to one or more people. */
export type Notification = {
  kind: NotificationKind;
  /** Emails of everyone who should get it. */
  to: string[];
  /** One line a person understands without context ("Sam asks for payments-db / read for 8h"). */
  text: string;
  requestId?: string;
  grantId?: string;
  /** The certification campaign a `review_*` or `campaign_*` notification is about. */
  campaignId?: string;
  /** Facts a rich client lays out (entitlement, risk, duration, reason, plan, ...). */
  facts?: Record<string, string>;
  /** Buttons a rich client offers; the Slack implementation maps these to its actions. */
  actions?: ('approve' | 'deny' | 'fulfil_done' | 'fulfil_refused' | 'extend' | 'release')[];
};

/** Kinds that may raise a security alert once (high-risk access granted, provisioning failed). */
export const ALERTING_KINDS: ReadonlySet<NotificationKind> = new Set([
  'access_provisioned',
  'provisioning_failed',
]);

/**
 * Which part of a notification to deliver: the messages to its `to` list, or its once-only
 * security alerts. The outbox delivers them as separate rows, so a retried alert never repeats a
 * DM and a retried DM never repeats an alert. Omitted: both.
 */
export type DeliveryPart = 'messages' | 'alerts';

/**
 * Delivers notifications. Throws DeliveryRefused when the far side refused this message for good
 * (it is not retried); any other error means "try again later", with DeliveryDeferred when the far
 * side said when.
 */
export interface Notifier {
  send(notification: Notification, part?: DeliveryPart): Promise<void>;
}

/** The far side refused the message for good (a bad channel, a revoked token): retrying cannot help. */
export class DeliveryRefused extends Error {
  override name = 'DeliveryRefused';
}

/** The far side is unreachable or asked us to wait (`Retry-After`): retry, not before `retryAfterMs`. */
export class DeliveryDeferred extends Error {
  override name = 'DeliveryDeferred';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
