import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { campaignItems } from '../schema.js';

/** How many of a campaign's items were decided in one time bucket. */
export type DecisionBucket = { bucketStart: Date; decided: number };

/**
 * A campaign's decisions counted per bucket of `bucketSeconds` (aligned to `origin`), oldest first;
 * buckets without a decision are left out. A burn-down reads the running total from it.
 */
export async function countDecisionsPerBucket(
  db: Executor,
  campaignId: string,
  options: { bucketSeconds: number; origin: Date },
): Promise<DecisionBucket[]> {
  const bucket = sql<Date>`date_bin(make_interval(secs => ${options.bucketSeconds}), ${campaignItems.decidedAt}, ${options.origin.toISOString()}::timestamptz)`;
  const rows = await db
    .select({ bucketStart: bucket, decided: sql<number>`count(*)`.mapWith(Number) })
    .from(campaignItems)
    .where(and(eq(campaignItems.campaignId, campaignId), isNotNull(campaignItems.decidedAt)))
    // By position: the bucket expression carries bound parameters, and PostgreSQL would not see a
    // second copy of it (with new placeholders) as the same expression.
    .groupBy(sql`1`)
    .orderBy(sql`1`);
  return rows.map((row) => ({ bucketStart: new Date(row.bucketStart), decided: row.decided }));
}
