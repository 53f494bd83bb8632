import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { type AuditEventInput, parseAuditEvent } from './events.js';
import { INTAKE_CHANNEL } from './sequencer-loop.js';

/** One event to record, with the key that makes a retried write a no-op. */
export type AuditWrite = { idempotencyKey: string; event: AuditEventInput };

/** An event before the writer's defaults (id, time, source) are filled in. */
export type AuditEventDraft = Omit<AuditEventInput, 'event_id' | 'occurred_at' | 'source'> &
  Partial<Pick<AuditEventInput, 'event_id' | 'occurred_at' | 'source'>>;

const defaultSource = { service: 'grantflow', host: os.hostname() };

/** Fills in a fresh event id, the current time and this host as source. */
export function completeEvent(
  draft: AuditEventDraft,
  source: Partial<AuditEventInput['source']> = {},
): AuditEventInput {
  return {
    ...draft,
    event_id: draft.event_id ?? randomUUID(),
    occurred_at: draft.occurred_at ?? new Date().toISOString(),
    source: { ...defaultSource, ...source, ...draft.source },
  };
}

/**
 * Appends events to the intake: validated first (an invalid event throws and nothing is
 * written), then one multi-row `INSERT ... ON CONFLICT DO NOTHING`, so a retry with the same
 * idempotency keys writes nothing twice. Takes no lock: the sequencer orders later.
 * Returns how many were new.
 */
export async function appendToIntake(db: Executor, writes: AuditWrite[]): Promise<number> {
  if (writes.length === 0) return 0;
  const rows = writes.map((write) => {
    if (!write.idempotencyKey || write.idempotencyKey.length > 512) {
      throw new RangeError('an idempotency key of 1 to 512 characters is required');
    }
    const event = parseAuditEvent(write.event);
    return { key: write.idempotencyKey, event_id: event.event_id, event };
  });
  // One JSON parameter for the whole batch: a multi-row insert without a parameter per value.
  const inserted = await db.execute<{ id: string }>(sql`
    insert into audit_intake (idempotency_key, event_id, event)
    select r.key, r.event_id, r.event
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(key text, event_id uuid, event jsonb)
    on conflict (idempotency_key) do nothing
    returning id`);
  if (inserted.length > 0) await wakeSequencer(db);
  return inserted.length;
}

const WAKE_INTERVAL_MS = 20;
let lastWake = 0;

/**
 * Tells the sequencer there is work, at most every 20 ms per process: NOTIFY serialises
 * committing transactions on a global queue lock, so one per insert would cap intake for
 * concurrent writers. Inside a caller's transaction the notification is delivered at commit.
 */
async function wakeSequencer(db: Executor): Promise<void> {
  const now = Date.now();
  if (now - lastWake < WAKE_INTERVAL_MS) return;
  lastWake = now;
  await db.execute(sql`select pg_notify(${INTAKE_CHANNEL}, '')`);
}

/** Records one event from an API or Slack handler; the key defaults to the event id. */
export async function recordAudit(
  db: Executor,
  draft: AuditEventDraft,
  options: { idempotencyKey?: string; source?: Partial<AuditEventInput['source']> } = {},
): Promise<AuditEventInput> {
  const event = completeEvent(draft, options.source);
  await appendToIntake(db, [{ idempotencyKey: options.idempotencyKey ?? event.event_id, event }]);
  return event;
}
