// The querystring every server-paged list takes (`cursor`, `limit`) and the reply's `nextCursor`.
import { z } from 'zod';

/** `?cursor=&limit=`: where to continue (nextCursor of the previous page) and how many to return. */
export const pageQuery = z.object({
  cursor: z.string().min(1).max(2_000).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** The reply's `nextCursor`: pass it as `cursor` for the next page; null on the last page. */
export const nextCursor = z.string().nullable();

/** The sort key of newest-first lists: the exact time (ISO text, microseconds) and the id. */
export const timeAndId = z.tuple([z.string().min(1).max(40), z.uuid()]);

/** `timeAndId` as the queries take it. */
export const afterTimeAndId = ([at, id]: z.infer<typeof timeAndId>) => ({ at, id });
