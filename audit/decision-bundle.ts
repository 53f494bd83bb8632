// What `grantflow audit check-decision` checks, read from the ledger: the approval event and the
// registration event of the passkey that signed it. Written out as one JSON file, it is all an
// auditor needs to check the decision with no database (`--file`).
import type postgres from 'postgres';
import { NotFoundError } from '../core/errors.js';
import { isoTimestamp } from './entry.js';
import type { LedgerEntryView } from './read.js';

/** An approval and the registration of the passkey it names (null when the ledger has none). */
export type DecisionBundle = { decision: LedgerEntryView; registration: LedgerEntryView | null };

type Row = { seq: string; recorded_at: string; event: Record<string, unknown> };
const toView = (row: Row): LedgerEntryView => ({
  seq: Number(row.seq),
  recorded_at: row.recorded_at,
  event: row.event,
});

/** The event `eventId` and, when it carries a passkey assertion, the first registration of that passkey. */
export async function loadDecisionBundle(sql: postgres.Sql, eventId: string): Promise<DecisionBundle> {
  const [decision] = await sql<Row[]>`
    select seq, ${isoTimestamp(sql)} as recorded_at, event from audit_ledger
    where event_id = ${eventId}::uuid order by seq limit 1`;
  if (!decision) throw new NotFoundError('audit event', eventId);
  const stepUp = (decision.event.details as { stepUp?: { credentialId?: unknown } } | undefined)?.stepUp;
  const credentialId = typeof stepUp?.credentialId === 'string' ? stepUp.credentialId : undefined;
  if (!credentialId) return { decision: toView(decision), registration: null };
  const [registration] = await sql<Row[]>`
    select seq, ${isoTimestamp(sql)} as recorded_at, event from audit_ledger
    where event_type = 'auth.passkey.registered' and event->'details'->>'credentialId' = ${credentialId}
    order by seq limit 1`;
  return { decision: toView(decision), registration: registration ? toView(registration) : null };
}
