import type postgres from 'postgres';
import { z } from 'zod';
import { isoTimestamp } from './entry.js';

/** Filters for `audit search`, `audit export` and GET /api/v1/audit/events. */
export const ledgerFilterSchema = z.object({
  actor: z.string().min(1).max(512).optional(),
  type: z.string().min(1).max(128).optional(),
  target: z.string().min(1).max(512).optional(),
  correlation: z.string().min(1).max(512).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  afterSeq: z.coerce.number().int().min(0).optional(),
});

/** Validated ledger filters. */
export type LedgerFilter = z.infer<typeof ledgerFilterSchema>;

/** One ledger entry as readers see it. */
export type LedgerEntryView = { seq: number; recorded_at: string; event: Record<string, unknown> };

type LedgerRow = { seq: string; recorded_at: string; event: Record<string, unknown> };

const toView = (row: LedgerRow): LedgerEntryView => ({
  seq: Number(row.seq),
  recorded_at: row.recorded_at,
  event: row.event,
});

/**
 * Entries matching every given filter, oldest first, `afterSeq` for keyset paging. Actor matches
 * id, email or Slack id; target matches id or name; correlation matches any correlation id.
 */
export async function searchLedger(
  sql: postgres.Sql,
  filter: LedgerFilter,
  limit: number,
): Promise<LedgerEntryView[]> {
  const rows = await sql<LedgerRow[]>`
    select seq, ${isoTimestamp(sql)} as recorded_at, event from audit_ledger
    where seq > ${filter.afterSeq ?? 0}
      ${filter.type ? sql`and event_type = ${filter.type}` : sql``}
      ${filter.from ? sql`and occurred_at >= ${filter.from}::timestamptz` : sql``}
      ${filter.to ? sql`and occurred_at < ${filter.to}::timestamptz` : sql``}
      ${
        filter.actor
          ? sql`and (event->'actor'->>'id' = ${filter.actor} or event->'actor'->>'email' = ${filter.actor}
                 or event->'actor'->>'slack_id' = ${filter.actor})`
          : sql``
      }
      ${filter.target ? sql`and (event->'target'->>'id' = ${filter.target} or event->'target'->>'name' = ${filter.target})` : sql``}
      ${
        filter.correlation
          ? sql`and exists (select 1 from jsonb_each_text(coalesce(event->'correlation', '{}'::jsonb)) c
                            where c.value = ${filter.correlation})`
          : sql``
      }
    order by seq limit ${limit}`;
  return rows.map(toView);
}

/** The newest `count` entries, oldest first. */
export async function tailLedger(sql: postgres.Sql, count: number): Promise<LedgerEntryView[]> {
  const rows = await sql<LedgerRow[]>`
    select seq, ${isoTimestamp(sql)} as recorded_at, event from (
      select seq, recorded_at, event from audit_ledger order by seq desc limit ${count}
    ) newest order by seq`;
  return rows.map(toView);
}

/** Every matching entry, page by page, for exports of any size. */
export async function* streamLedger(sql: postgres.Sql, filter: LedgerFilter, pageSize = 5_000) {
  let afterSeq = filter.afterSeq ?? 0;
  for (;;) {
    const page = await searchLedger(sql, { ...filter, afterSeq }, pageSize);
    for (const entry of page) yield entry;
    if (page.length < pageSize) return;
    afterSeq = page.at(-1)?.seq ?? afterSeq;
  }
}
