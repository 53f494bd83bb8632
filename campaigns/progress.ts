// A campaign's burn-down: how many items were decided and how many were still open, over time,
// from launch to now (or to sign-off). Read from the items' decision times, so it needs no
// history of its own and is the same whoever asks.
import type { Executor } from '../db/client.js';
import { countDecisionsPerBucket } from '../db/queries/campaign-progress.js';
import type { Campaign } from '../db/schema.js';

/** One point of the burn-down: at the end of this bucket, decided and open items. */
export type BurnDownPoint = { at: string; decided: number; open: number };

/** The burn-down and the bucket width it was counted in. */
export type BurnDown = { bucketSeconds: number; points: BurnDownPoint[] };

const MINUTE = 60;
const HOUR = 3_600;
const DAY = 86_400;

/**
 * A bucket fine enough to show a shape: minutes for a campaign under two hours old (as in a demo
 * or a test), hours under four days, days beyond.
 */
function bucketFor(spanSeconds: number): number {
  if (spanSeconds <= 2 * HOUR) return MINUTE;
  if (spanSeconds <= 4 * DAY) return HOUR;
  return DAY;
}

/** The burn-down of `campaign` with `total` items, up to `now`. */
export async function campaignBurnDown(
  db: Executor,
  campaign: Campaign,
  total: number,
  now: Date,
): Promise<BurnDown> {
  const start = campaign.launchedAt;
  const end = campaign.signedOffAt && campaign.signedOffAt < now ? campaign.signedOffAt : now;
  const bucketSeconds = bucketFor(Math.max(0, (end.getTime() - start.getTime()) / 1000));
  const buckets = await countDecisionsPerBucket(db, campaign.id, { bucketSeconds, origin: start });
  const points: BurnDownPoint[] = [{ at: start.toISOString(), decided: 0, open: total }];
  let decided = 0;
  for (const bucket of buckets) {
    decided += bucket.decided;
    const at = new Date(Math.min(bucket.bucketStart.getTime() + bucketSeconds * 1000, end.getTime()));
    points.push({ at: at.toISOString(), decided, open: total - decided });
  }
  const last = points.at(-1);
  if (last && new Date(last.at).getTime() < end.getTime()) {
    points.push({ at: end.toISOString(), decided, open: total - decided });
  }
  return { bucketSeconds, points };
}
