// The notification port: every message a person should get about a request or a grant goes
// through one `Notifier`. Workflows reach it through the `notify` activity; the log and recording
// implementations live beside this file, Slack implements it for real.

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
  | 'campaign_signoff_needed';

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

/** Delivers notifications. Must be idempotent enough to survive an activity retry (a duplicate at worst). */
export interface Notifier {
  send(notification: Notification): Promise<void>;
}
