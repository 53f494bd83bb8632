// The notify side of the outbox: what workflows and activities call instead of Slack. It writes
// one row per recipient (plus one for a notification's security alerts) to PostgreSQL and returns,
// so a Slack outage never holds up a decision, a provisioning, an expiry or a campaign. The
// deliverer sends the rows later, in order per recipient.
import { createHash, randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { canonicalize } from '../audit/canonical.js';
import type { Executor } from '../db/client.js';
import { enqueueOutboxRows, type NewOutboxRow } from '../db/queries/notification-outbox.js';
import { ALERTING_KINDS, type Notification, type Notifier } from './port.js';

/** The recipient key of a notification's once-only security alerts. */
const ALERTS_RECIPIENT = '#alerts';

/**
 * Who is sending: the activity execution (workflow, run and activity id, the same on every retry
 * of it), so a retried activity enqueues nothing twice. Outside an activity, a fresh id.
 */
function senderIdentity(): string {
  let info: ReturnType<typeof Context.current>['info'] | undefined;
  try {
    info = Context.current().info;
  } catch {
    // Not in an activity.
  }
  const run = info?.workflowExecution;
  return run ? `${run.workflowId}/${run.runId}/${info?.activityId}` : randomUUID();
}

/** The rows one notification becomes; `sender` makes their keys stable across retries. */
export function outboxRowsFor(notification: Notification, sender: string): NewOutboxRow[] {
  // The content is part of the key: one activity may send several notifications to one person.
  const digest = createHash('sha256')
    .update(canonicalize(JSON.parse(JSON.stringify(notification))))
    .digest('hex')
    .slice(0, 32);
  const key = (recipient: string) => `${sender}/${digest}/${recipient}`;
  const rows: NewOutboxRow[] = [...new Set(notification.to)].map((email) => ({
    idempotencyKey: key(email),
    recipient: email,
    notification: { ...notification, to: [email] },
    part: 'messages',
  }));
  if (ALERTING_KINDS.has(notification.kind)) {
    rows.push({
      idempotencyKey: key(ALERTS_RECIPIENT),
      recipient: ALERTS_RECIPIENT,
      notification,
      part: 'alerts',
    });
  }
  return rows;
}

/** A Notifier that only enqueues; `onEnqueued` tells an in-process deliverer there is work. */
export function createOutboxNotifier(db: Executor, onEnqueued: () => void = () => {}): Notifier {
  return {
    async send(notification) {
      if (notification.to.length === 0) return;
      const added = await enqueueOutboxRows(db, outboxRowsFor(notification, senderIdentity()));
      if (added > 0) onEnqueued();
    },
  };
}
