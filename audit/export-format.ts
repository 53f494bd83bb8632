import { toOcsf } from './ocsf.js';
import type { LedgerEntryView } from './read.js';

/** Export formats of `grantflow audit export`. */
export const EXPORT_FORMATS = ['jsonl', 'csv', 'ocsf'] as const;
/** One export format. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const CSV_COLUMNS = [
  'seq',
  'recorded_at',
  'occurred_at',
  'event_id',
  'event_type',
  'actor_type',
  'actor_id',
  'actor_email',
  'target_type',
  'target_id',
  'action',
  'result',
  'reason',
  'request_id',
  'campaign_id',
  'risk',
] as const;

type Event = {
  event_id?: string;
  occurred_at?: string;
  event_type?: string;
  actor?: { type?: string; id?: string; email?: string; slack_id?: string };
  target?: { type?: string; id?: string; name?: string };
  action?: string;
  result?: string;
  reason?: string;
  correlation?: Record<string, string>;
  risk?: string;
};

/** The header line of a format, if it has one. */
export function exportHeader(format: ExportFormat): string | undefined {
  return format === 'csv' ? `${CSV_COLUMNS.join(',')}\n` : undefined;
}

/** One entry as one line of the export. */
export function formatExportLine(entry: LedgerEntryView, format: ExportFormat): string {
  const event = entry.event as Event;
  if (format === 'jsonl') return `${JSON.stringify(entry)}\n`;
  if (format === 'ocsf') return `${JSON.stringify(toOcsf(entry))}\n`;
  const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    seq: entry.seq,
    recorded_at: entry.recorded_at,
    occurred_at: event.occurred_at,
    event_id: event.event_id,
    event_type: event.event_type,
    actor_type: event.actor?.type,
    actor_id: event.actor?.id,
    actor_email: event.actor?.email,
    target_type: event.target?.type,
    target_id: event.target?.id,
    action: event.action,
    result: event.result,
    reason: event.reason,
    request_id: event.correlation?.request_id,
    campaign_id: event.correlation?.campaign_id,
    risk: event.risk,
  };
  return `${CSV_COLUMNS.map((column) => csvCell(values[column])).join(',')}\n`;
}

/** One CSV cell: quoted when needed, spreadsheet formulas defused. */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  // Quote what needs it, and defuse spreadsheet formulas an attacker could plant in a reason.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
