// What an admin sees at a glance, assembled from one statement per figure (db/queries/dashboard.ts).
// SLA breaches have two sources: approvals whose current step has waited past the plan's
// escalateAfter, and leavers (the leaver SLA: breaches recorded in the last 30 days, and leavers
// past it who still hold access now).

import type { Executor } from '../db/client.js';
import {
  activeGrantsByRisk,
  approvalSlaBreaches,
  campaignsInProgress,
  leaverSlaFigures,
  ledgerFigures,
  openRequestFigures,
  requestVolumePerDay,
  timeToApprove,
} from '../db/queries/dashboard.js';

/** Days the volume and time-to-approve figures cover. */
export const DASHBOARD_DAYS = 30;
/** Most breaching requests listed by name (the count covers them all). */
const BREACHES_LISTED = 20;

/** Open-request age buckets, in the order `openRequests.age` lists them. */
const AGE_BUCKETS = ['under 1h', '1h to 1d', '1d to 7d', 'over 7d'] as const;
/** Time-to-approve buckets, in the order `timeToApprove.buckets` lists them. */
const APPROVE_BUCKETS = ['under 5m', '5m to 1h', '1h to 4h', '4h to 1d', '1d to 3d', 'over 3d'] as const;

/** The dashboard's figures. */
export async function dashboardFigures(deps: { db: Executor; leaverSlaSeconds: number }) {
  const [open, breaches, leavers, byRisk, campaigns, ledger, volume, approve] = await Promise.all([
    openRequestFigures(deps.db),
    approvalSlaBreaches(deps.db, BREACHES_LISTED),
    leaverSlaFigures(deps.db, deps.leaverSlaSeconds),
    activeGrantsByRisk(deps.db),
    campaignsInProgress(deps.db),
    ledgerFigures(deps.db),
    requestVolumePerDay(deps.db, DASHBOARD_DAYS),
    timeToApprove(deps.db, DASHBOARD_DAYS),
  ]);
  const ageCounts = [open?.under_1h, open?.under_1d, open?.under_7d, open?.older];
  const entries = Number(ledger?.entries ?? 0);
  const treeSize =
    ledger?.tree_size === null || ledger?.tree_size === undefined ? null : Number(ledger.tree_size);
  return {
    generatedAt: new Date().toISOString(),
    openRequests: {
      total: open?.total ?? 0,
      byStatus: open?.by_status ?? {},
      oldestCreatedAt: open?.oldest ?? null,
      age: AGE_BUCKETS.map((bucket, i) => ({ bucket, count: ageCounts[i] ?? 0 })),
    },
    slaBreaches: {
      approvals: {
        count: breaches[0]?.total ?? 0,
        oldest: breaches.map((b) => ({
          requestId: b.id,
          requester: b.requester,
          entitlement: b.entitlement,
          waitingSince: b.waiting_since,
          escalateAfterSeconds: b.escalate_after,
        })),
      },
      leavers: {
        slaSeconds: deps.leaverSlaSeconds,
        breachedLast30Days: leavers?.breached_30d ?? 0,
        overdueNow: leavers?.overdue_now ?? 0,
      },
    },
    grantsByRisk: byRisk,
    campaigns: campaigns.map((c) => ({
      id: c.id,
      name: c.name,
      status: c.status,
      dueAt: c.due_at,
      total: c.total,
      decided: c.decided,
    })),
    ledger: {
      entries,
      pendingIntake: ledger?.pending_intake ?? 0,
      latestCheckpoint:
        treeSize === null
          ? null
          : { id: Number(ledger?.checkpoint_id), treeSize, createdAt: ledger?.checkpoint_at ?? '' },
      unsealedEntries: entries - (treeSize ?? 0),
    },
    requestVolume: volume.map((v) => ({ day: v.day, count: v.count })),
    timeToApprove: {
      approved: approve?.approved ?? 0,
      autoApproved: approve?.auto_approved ?? 0,
      medianSeconds: approve?.median ?? null,
      p90Seconds: approve?.p90 ?? null,
      buckets: APPROVE_BUCKETS.map((bucket, i) => ({ bucket, count: approve?.buckets[i] ?? 0 })),
    },
  };
}
