// Keyset paging helpers: a timestamp as exact UTC text (microseconds, which a JS Date would round
// away, leaving gaps or repeats between pages) and the "after this row" condition on a sort key.
import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/** `column` as ISO 8601 UTC text to the microsecond: the exact value a cursor carries. */
export const exactTime = (column: PgColumn) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Rows strictly before (`<`, for newest-first lists) the key `(time, id)` of the last row shown. */
export function beforeTimeAndId(time: PgColumn, id: PgColumn, key: { at: string; id: string }): SQL {
  return sql`(${time}, ${id}) < (${key.at}::timestamptz, ${key.id}::uuid)`;
}
