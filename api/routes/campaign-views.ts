// How the API shows campaigns: the response schemas for a campaign's summary, its live state, its
// burn-down and the schedules, so the OpenAPI document (and the console's typed client) knows them.
import { z } from 'zod';
import { CAMPAIGN_STATUSES } from '../../domain/index.js';
import type { QuarterlyCampaignScheduleView } from '../../temporal/schedules.js';

const count = z.number().int();

const countsBody = z.object({
  total: count,
  decided: count,
  undecided: count,
  kept: count,
  revoked: count,
  revocationPending: count,
  revocationVerified: count,
  revocationUnverified: count,
  revocationFailed: count,
  revocationNotNeeded: count,
});

/** A campaign in numbers (campaigns/report.ts CampaignSummary). */
export const summaryBody = z.object({
  campaignId: z.string(),
  name: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  launchedAt: z.string().nullable(),
  dueAt: z.string(),
  population: z.object({ count: count.nullable(), sha256: z.string().nullable() }),
  items: countsBody,
  completionPercent: z.number(),
  exceptions: z.object({
    decidedByDefault: count,
    escalated: count,
    delegated: count,
    noEligibleReviewer: count,
    revocationFailed: count,
    revocationUnverified: count,
  }),
  signedOff: z.object({ by: z.string().nullable(), at: z.string().nullable() }),
});

/** What the campaign's workflow holds now (workflows/messages.ts CampaignState); times in epoch ms. */
const liveBody = z.object({
  campaignId: z.string(),
  name: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  launchedAt: z.number(),
  dueAt: z.number(),
  population: z.object({ count, sha256: z.string() }).optional(),
  counts: countsBody,
  countedAt: z.number().optional(),
  reminderRounds: count,
  escalatedItems: count,
  graceUntil: z.number().optional(),
  defaultApplied: z.object({ decision: z.enum(['keep', 'revoke']), items: count }).optional(),
  signedOffBy: z.string().optional(),
});

/** Decided and open items over time, in buckets of bucketSeconds (campaigns/progress.ts). */
const burnDownBody = z.object({
  bucketSeconds: count,
  points: z.array(z.object({ at: z.string(), decided: count, open: count })),
});

/** GET /campaigns/:id: the summary, the live state while open, and the burn-down. */
export const campaignBody = summaryBody.extend({ live: liveBody.nullable(), burnDown: burnDownBody });

/** One campaign schedule as admins see it. */
export const scheduleBody = z.object({
  scheduleId: z.string(),
  name: z.string().nullable(),
  defaultAction: z.string().nullable(),
  dueInSeconds: z.number().nullable(),
  launchedBy: z.string().nullable(),
  paused: z.boolean(),
  nextRuns: z.array(z.string()),
  lastRunAt: z.string().nullable(),
});

/** A schedule as scheduleBody shows it. */
export function toScheduleBody(view: QuarterlyCampaignScheduleView): z.infer<typeof scheduleBody> {
  const launch = view.template?.launch;
  return {
    scheduleId: view.scheduleId,
    name: typeof launch?.name === 'string' ? launch.name : null,
    defaultAction: typeof launch?.defaultAction === 'string' ? launch.defaultAction : null,
    dueInSeconds: typeof launch?.dueInSeconds === 'number' ? launch.dueInSeconds : null,
    launchedBy: view.template?.launchedBy.email ?? null,
    paused: view.paused,
    nextRuns: view.nextRuns.map((at) => at.toISOString()),
    lastRunAt: view.lastRunAt ? view.lastRunAt.toISOString() : null,
  };
}
