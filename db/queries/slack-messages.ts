import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { type SlackMessageRow, slackMessages } from '../schema.js';

/** Columns a new row needs. */
export type NewSlackMessage = typeof slackMessages.$inferInsert;

/** Remembers where a message went, so it can be rewritten later; a repeat of the same message is ignored. */
export async function rememberSlackMessage(db: Executor, row: NewSlackMessage): Promise<void> {
  await db.insert(slackMessages).values(row).onConflictDoNothing();
}

/** Messages about one request (optionally of one purpose), oldest first. */
export async function slackMessagesForRequest(
  db: Executor,
  requestId: string,
  purpose?: string,
): Promise<SlackMessageRow[]> {
  return db
    .select()
    .from(slackMessages)
    .where(
      and(eq(slackMessages.requestId, requestId), purpose ? eq(slackMessages.purpose, purpose) : undefined),
    )
    .orderBy(asc(slackMessages.id));
}

/** Messages about one grant (optionally of one purpose), oldest first. */
export async function slackMessagesForGrant(
  db: Executor,
  grantId: string,
  purpose?: string,
): Promise<SlackMessageRow[]> {
  return db
    .select()
    .from(slackMessages)
    .where(and(eq(slackMessages.grantId, grantId), purpose ? eq(slackMessages.purpose, purpose) : undefined))
    .orderBy(asc(slackMessages.id));
}
