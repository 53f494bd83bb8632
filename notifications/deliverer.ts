// The other side of the outbox: takes due rows (each recipient's oldest first), drops the moot,
// hands the rest to the real Notifier (Slack, or the log), and keeps trying through an outage with
// backoff, honouring Retry-After. A failure pauses the whole pass: when Slack is down for one
// message it is down for all, and hammering it per recipient would only deepen a rate limit.
// An outage is one row in notification_outages; past the alert threshold it is announced once
// (log, ledger, and the alert channel as soon as it can be reached again), never per message.
import { recordAudit } from '../audit/intake.js';
import type { Logger } from '../core/logger.js';
import type { Executor } from '../db/client.js';
import {
  claimDueOutboxRows,
  countWaitingOutboxRows,
  currentOutage,
  endOutage,
  finishOutboxRow,
  markOutageAlerted,
  openOutage,
  releaseOutboxRows,
  retryOutboxRowLater,
} from '../db/queries/notification-outbox.js';
import type { NotificationOutage, NotificationOutboxRow } from '../db/schema.js';
import { whyMoot } from './moot.js';
import { DeliveryDeferred, DeliveryRefused, type Notification, type Notifier } from './port.js';

/** How the deliverer paces itself. */
export type DeliverySettings = {
  /** How often it looks for work when nobody wakes it (other processes enqueue too). */
  pollMs: number;
  /** The longest wait between attempts during an outage; backoff doubles from 1 s up to it. */
  retryMaxMs: number;
  /** How long delivery may keep failing before the outage is announced. */
  alertAfterMs: number;
  /** How long a claimed row is ours before another deliverer may take it (we died mid-send). */
  leaseMs?: number;
  /** Rows per claim. */
  batch?: number;
  /** Rows of one claim (each to another recipient) delivered side by side. */
  concurrency?: number;
};

/** What the deliverer needs. */
export type DelivererDeps = {
  db: Executor;
  /** The real channel. */
  notifier: Notifier;
  /** Its name in messages ("Slack"). */
  channel: string;
  /** Posts an operator alert through the channel's alert route; may throw while it is down. */
  alert?: (alert: { title: string; text: string }) => Promise<void>;
  /**
   * Asks the channel whether it answers, before an outage is declared over: a message that needed
   * no call to it (a card rewrite with no card to rewrite) proves nothing. None: any success does.
   */
  probe?: () => Promise<void>;
  log: Logger;
  settings: DeliverySettings;
};

/** The delivery state the health check shows. */
export type DeliveryHealth = { failingSince: string | null; waiting: number; lastError: string | null };

/** A running deliverer. */
export type Deliverer = {
  /** There is new work: look now rather than at the next poll. */
  wake(): void;
  /** Finishes the message in hand and stops. */
  stop(): Promise<void>;
};

const FIRST_RETRY_MS = 1_000;
const isLater = (a: Date, b: Date | undefined) => !b || a > b;
const FAILING_LOG_EVERY_MS = 60_000;

/** The channel's delivery state, for /readyz and `grantflow dev`'s log. */
export async function deliveryHealth(db: Executor): Promise<DeliveryHealth> {
  const [outage, waiting] = await Promise.all([currentOutage(db), countWaitingOutboxRows(db)]);
  return {
    failingSince: outage ? outage.startedAt.toISOString() : null,
    waiting,
    lastError: outage?.lastError ?? null,
  };
}

/** One line for people: "Slack delivery failing since …, N messages waiting". */
export function describeFailing(channel: string, since: Date, waiting: number): string {
  return `${channel} delivery failing since ${since.toISOString()}, ${waiting} message${waiting === 1 ? '' : 's'} waiting`;
}

/** Starts delivering; the first pass runs at once. */
export function startDeliverer(deps: DelivererDeps): Deliverer {
  const { db, log, settings } = deps;
  const leaseMs = settings.leaseMs ?? 60_000;
  const batch = settings.batch ?? 50;
  const concurrency = settings.concurrency ?? 8;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let woken = false;
  let failures = 0;
  let pausedUntil = 0;
  let lastFailingLog = 0;
  // Whether an outage may be open (set by every failure; one may also predate this process), so a
  // success must look whether it ended one.
  let outageMayBeOpen = true;
  let delivered = 0;

  const backoffMs = () => Math.min(settings.retryMaxMs, FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1));

  /**
   * Delivers one row; returns the retry time when the channel failed, else undefined. A failure
   * while another of the batch failed already does not count again toward the backoff.
   */
  async function deliver(row: NotificationOutboxRow, batchFailed: () => boolean): Promise<Date | undefined> {
    const notification = row.notification as Notification;
    const moot = row.part === 'messages' ? await whyMoot(db, notification) : undefined;
    if (moot) {
      await finishOutboxRow(db, row.id, 'moot', moot);
      log.info(
        { outboxId: row.id, kind: notification.kind, recipient: row.recipient, moot },
        'dropped a moot message',
      );
      return undefined;
    }
    try {
      await deps.notifier.send(notification, row.part);
    } catch (error) {
      if (error instanceof DeliveryRefused) {
        await finishOutboxRow(db, row.id, 'refused', error.message);
        log.warn(
          { outboxId: row.id, recipient: row.recipient, err: error },
          `${deps.channel} refused a message`,
        );
        return undefined;
      }
      if (!batchFailed()) failures += 1;
      const waitMs = Math.max(backoffMs(), error instanceof DeliveryDeferred ? (error.retryAfterMs ?? 0) : 0);
      const retryAt = new Date(Date.now() + waitMs);
      const message = (error as Error).message || String(error);
      await retryOutboxRowLater(db, row.id, retryAt, message);
      await noteFailure(message);
      return retryAt;
    }
    await finishOutboxRow(db, row.id, 'delivered');
    delivered += 1;
    return undefined;
  }

  async function noteFailure(error: string): Promise<void> {
    outageMayBeOpen = true;
    const outage = await openOutage(db, error);
    const now = Date.now();
    if (now - lastFailingLog >= FAILING_LOG_EVERY_MS) {
      lastFailingLog = now;
      log.warn({ error }, describeFailing(deps.channel, outage.startedAt, await countWaitingOutboxRows(db)));
    }
  }

  /** One of the two ledger events of an outage (announced, then over), keyed so it is written once. */
  async function recordOutageEvent(
    tx: Executor,
    outage: NotificationOutage,
    phase: 'degraded' | 'recovered',
    details: Record<string, unknown>,
  ): Promise<void> {
    await recordAudit(
      tx,
      {
        event_type: `notification.delivery.${phase}`,
        actor: { type: 'system', id: 'grantflow-notifications' },
        target: { type: 'notification_channel', id: deps.channel.toLowerCase() },
        action: 'deliver',
        result: phase === 'degraded' ? 'failure' : 'success',
        ...(phase === 'degraded' ? { reason: outage.lastError } : {}),
        details: { outage: outage.id, failingSince: outage.startedAt.toISOString(), ...details },
      },
      { idempotencyKey: `notification-outage:${outage.id}:${phase}` },
    );
  }

  /** The one alert and ledger event of an outage. */
  async function announce(outage: NotificationOutage): Promise<void> {
    const waiting = await countWaitingOutboxRows(db);
    // Marked and recorded together: a crash between the two must not leave an outage announced
    // (so never announced again) without its ledger event.
    const marked = await db.transaction(async (tx) => {
      if (!(await markOutageAlerted(tx, outage.id))) return false;
      await recordOutageEvent(tx, outage, 'degraded', { waiting });
      return true;
    });
    if (!marked) return;
    const text = describeFailing(deps.channel, outage.startedAt, waiting);
    log.error({ outage: outage.id, error: outage.lastError, waiting }, text);
    // The alert channel is usually down with the rest; the recovery alert below says it all then.
    await deps.alert?.({ title: `${deps.channel} delivery failing`, text }).catch(() => {});
  }

  /** Ends the open outage if the channel answers; false while it still does not. */
  async function noteRecovery(): Promise<boolean> {
    const outage = await currentOutage(db);
    if (!outage) return true;
    if (deps.probe) {
      try {
        await deps.probe();
      } catch {
        return false;
      }
    }
    const waiting = await countWaitingOutboxRows(db);
    // Ended and recorded together, for the same reason as the announcement.
    const ended = await db.transaction(async (tx) => {
      const row = await endOutage(tx, outage.id);
      if (row?.endedAt && row.alertedAt) {
        await recordOutageEvent(tx, row, 'recovered', { recoveredAt: row.endedAt.toISOString(), waiting });
      }
      return row;
    });
    if (!ended?.endedAt) return true;
    const text = `${deps.channel} delivery works again after failing from ${ended.startedAt.toISOString()} to ${ended.endedAt.toISOString()}; ${waiting} waiting messages are going out now`;
    log.info({ outage: ended.id, waiting }, text);
    lastFailingLog = 0;
    if (!ended.alertedAt) return true;
    await deps.alert?.({ title: `${deps.channel} delivery recovered`, text }).catch((error) => {
      log.warn({ err: error }, 'could not post the recovery alert');
    });
    return true;
  }

  /**
   * Claims and delivers until nothing is due or the channel fails; returns when to look again. A
   * claimed batch holds at most one row per recipient, so its rows go out side by side (order per
   * recipient holds across batches); a failure stops the batch from taking more.
   */
  async function pass(): Promise<number> {
    if (Date.now() < pausedUntil) return pausedUntil - Date.now();
    for (;;) {
      const rows = await claimDueOutboxRows(db, batch, leaseMs);
      let next = 0;
      const failed: { until?: Date } = {};
      const sender = async () => {
        while (!stopped && !failed.until && next < rows.length) {
          const row = rows[next++] as NotificationOutboxRow;
          const until = await deliver(row, () => failed.until !== undefined);
          // The latest retry time wins (TypeScript cannot see that the await may have set it).
          if (until && isLater(until, failed.until as Date | undefined)) failed.until = until;
        }
      };
      const deliveredBefore = delivered;
      await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, sender));
      // Recovery is judged per batch, never beside a failure of the same batch: no flapping.
      if (!failed.until && delivered > deliveredBefore) {
        // Still down (the probe failed): keep looking, and keep the backoff.
        if (outageMayBeOpen && (await noteRecovery())) outageMayBeOpen = false;
        if (!outageMayBeOpen) failures = 0;
      }
      // What was claimed but not attempted goes back: due now after a stop, with the pause after a failure.
      await releaseOutboxRows(
        db,
        rows.slice(next).map((r) => r.id),
        failed.until ?? new Date(),
      );
      if (failed.until) {
        pausedUntil = failed.until.getTime();
        return Math.max(0, pausedUntil - Date.now());
      }
      if (stopped || rows.length < batch) return settings.pollMs;
    }
  }

  const loop = async () => {
    woken = false;
    let waitMs = settings.pollMs;
    try {
      waitMs = await pass();
      const outage = outageMayBeOpen ? await currentOutage(db) : undefined;
      if (outage && !outage.alertedAt && Date.now() - outage.startedAt.getTime() >= settings.alertAfterMs) {
        await announce(outage);
      }
    } catch (error) {
      log.warn({ err: error }, 'the notification deliverer could not reach PostgreSQL; trying again shortly');
    }
    if (stopped) return;
    if (woken && Date.now() >= pausedUntil) waitMs = 0;
    timer = setTimeout(() => {
      timer = undefined;
      running = loop();
    }, waitMs);
  };
  running = loop();

  return {
    wake() {
      woken = true;
      if (stopped || Date.now() < pausedUntil) return;
      // Only when idle between passes: a pass in progress sees `woken` when it ends.
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
        running = running.then(() => (stopped ? undefined : loop()));
      }
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
