// A reviewer's inbox across campaigns: their items still to decide (in campaigns not closed) or
// already decided, paged, with their progress per open campaign. Deciding and delegating stay
// per campaign (review.ts), so the same checks apply wherever the reviewer acts.
import { z } from 'zod';
import { decodeCursor, type Page, pageOf } from '../core/cursor.js';
import type { Executor } from '../db/client.js';
import { type InboxItemView, listInboxItems, listInboxProgress } from '../db/queries/campaign-items.js';

/** The reviewer's share of one campaign not yet closed. */
export type ReviewProgress = Awaited<ReturnType<typeof listInboxProgress>>[number];

const itemKey = z.tuple([z.number().int().positive()]);

/** One page of `reviewerId`'s items in `state`, and their progress in every open campaign. */
export async function listMyReviews(
  deps: { db: Executor },
  reviewerId: string,
  page: { state: 'open' | 'decided'; cursor?: string; limit: number },
): Promise<Page<InboxItemView> & { progress: ReviewProgress[] }> {
  const afterId = page.cursor ? decodeCursor(page.cursor, itemKey)[0] : undefined;
  const [rows, progress] = await Promise.all([
    listInboxItems(deps.db, {
      reviewerId,
      state: page.state,
      ...(afterId !== undefined ? { afterId } : {}),
      limit: page.limit + 1,
    }),
    listInboxProgress(deps.db, reviewerId),
  ]);
  return { ...pageOf(rows, page.limit, (item) => [item.id]), progress };
}
