// The campaign report's read model: every item with the names an auditor reads, paged by item id
// so a 100,000-item report streams instead of sitting in memory.
import { sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { grantedAtUtc } from './campaigns.js';

/** One report row: the item, who holds what, who reviewed it, what was decided and enforced. */
export type ReportItem = {
  itemId: number;
  grantId: string;
  holderEmail: string;
  holderName: string;
  resourceKey: string;
  entitlementKey: string;
  risk: string;
  /** As the population digest hashes it: UTC with microseconds, `2026-01-02T03:04:05.678901Z`. */
  grantedAt: string;
  requestId: string | null;
  reviewerEmail: string;
  originalReviewerEmail: string;
  assignmentReason: string;
  decision: string | null;
  decisionSource: string | null;
  decidedByEmail: string | null;
  decidedAt: string | null;
  reason: string | null;
  delegatedFromEmail: string | null;
  escalatedAt: string | null;
  revocationStatus: string | null;
  revokedAt: string | null;
};

// Times the digest does not hash, in milliseconds like the ledger's occurred_at.
const iso = (column: string) =>
  sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** The next `limit` items after `afterId`, in item id order. */
export async function listReportItems(
  db: Executor,
  campaignId: string,
  page: { afterId?: number; limit: number },
): Promise<ReportItem[]> {
  // `grants` keeps its name: grantedAtUtc, the digest's own formatter, refers to it so.
  return db.execute<ReportItem>(sql`
    select i.id::int as "itemId", i.grant_id as "grantId",
      holder.email as "holderEmail", holder.name as "holderName",
      r.key as "resourceKey", e.key as "entitlementKey", e.risk_level::text as risk,
      ${grantedAtUtc} as "grantedAt", grants.request_id as "requestId",
      reviewer.email as "reviewerEmail", original.email as "originalReviewerEmail",
      i.assignment_reason as "assignmentReason", i.decision::text as decision,
      i.decision_source::text as "decisionSource", decider.email as "decidedByEmail",
      ${iso('i.decided_at')} as "decidedAt", i.reason, delegator.email as "delegatedFromEmail",
      ${iso('i.escalated_at')} as "escalatedAt", i.revocation_status::text as "revocationStatus",
      ${iso('i.revoked_at')} as "revokedAt"
    from campaign_items i
      join grants on grants.id = i.grant_id
      join entitlements e on e.id = i.entitlement_id
      join resources r on r.id = e.resource_id
      join people holder on holder.id = i.holder_id
      join people reviewer on reviewer.id = i.reviewer_id
      join people original on original.id = i.original_reviewer_id
      left join people decider on decider.id = i.decided_by_id
      left join people delegator on delegator.id = i.delegated_from_id
    where i.campaign_id = ${campaignId} and i.id > ${page.afterId ?? 0}
    order by i.id
    limit ${page.limit}`);
}

/** Items an auditor looks at twice: decided by nobody, moved, or without an eligible reviewer. */
export type ReportExceptions = {
  decidedByDefault: number;
  escalated: number;
  delegated: number;
  noEligibleReviewer: number;
};

/** The exception counts of one campaign, in one pass. */
export async function countReportExceptions(db: Executor, campaignId: string): Promise<ReportExceptions> {
  const [row] = await db.execute<ReportExceptions>(sql`
    select
      count(*) filter (where decision_source = 'default_action')::int as "decidedByDefault",
      count(*) filter (where escalated_at is not null)::int as escalated,
      count(*) filter (where delegated_from_id is not null)::int as delegated,
      count(*) filter (where assignment_reason like '%no_eligible_reviewer%')::int as "noEligibleReviewer"
    from campaign_items where campaign_id = ${campaignId}`);
  return row ?? { decidedByDefault: 0, escalated: 0, delegated: 0, noEligibleReviewer: 0 };
}
