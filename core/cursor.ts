// Keyset paging cursors: the sort key of the last row a page returned, as opaque base64url JSON.
// Opaque so callers never build one by hand (the key may change shape); validated on the way back
// in, so a tampered or foreign cursor is a clear 400 rather than an SQL error.
import type { z } from 'zod';
import { ValidationError } from './errors.js';

/** A cursor for the row whose sort key is `key` (a tuple of JSON values). */
export function encodeCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The sort key inside `cursor`, checked against `shape`; a bad cursor is a ValidationError (400). */
export function decodeCursor<T>(cursor: string, shape: z.ZodType<T>): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const checked = shape.safeParse(parsed);
  if (!checked.success) {
    throw new ValidationError('cursor is not one this list gave out; start again without it', {
      fields: [{ field: 'querystring.cursor', message: 'is not a cursor of this list' }],
    });
  }
  return checked.data;
}

/** One page: the items, and the cursor of the next page (null on the last). */
export type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * A page from `rows` fetched with `limit + 1`: the extra row only says that more follow, and the
 * next page starts after the last row kept.
 */
export function pageOf<Row>(rows: Row[], limit: number, keyOf: (row: Row) => readonly unknown[]): Page<Row> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
