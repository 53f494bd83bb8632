// The admin dashboard's figures, one statement each, every time rendered as ISO text in SQL (a raw
// statement's timestamps come back however the driver parses them). Each names the index it
// leans on; the two day-window scans of access_requests have none on created_at and read the
// table, which is small next to the ledger (one row per request).
import { sql } from 'drizzle-orm';
import { RISK_LEVELS, type RiskLevel } from '../../domain/index.js';
import type { Executor } from '../client.js';
import { OPEN_REQUEST_STATUSES } from './access-requests.js';

const isoOf = (expression: string) =>
  sql.raw(`to_char((${expression}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

const openStatuses = sql.raw(OPEN_REQUEST_STATUSES.map((status) => `'${status}'`).join(', '));

/** Requests still running: how many, per status, the oldest, and how long they have waited. */
export async function openRequestFigures(db: Executor) {
  // access_requests_status_idx: only open rows are read.
  const [row] = await db.execute<{
    total: number;
    oldest: string | null;
    under_1h: number;
    under_1d: number;
    under_7d: number;
    older: number;
    by_status: Record<string, number> | null;
  }>(sql`
    with open as (
      select status, created_at from access_requests where status in (${openStatuses})
    )
    select count(*)::int as total, ${isoOf('min(created_at)')} as oldest,
      count(*) filter (where created_at > now() - interval '1 hour')::int as under_1h,
      count(*) filter (where created_at <= now() - interval '1 hour' and created_at > now() - interval '1 day')::int as under_1d,
      count(*) filter (where created_at <= now() - interval '1 day' and created_at > now() - interval '7 days')::int as under_7d,
      count(*) filter (where created_at <= now() - interval '7 days')::int as older,
      (select jsonb_object_agg(status, n) from (select status, count(*)::int as n from open group by status) s) as by_status
    from open`);
  return row;
}

/**
 * Requests whose current step has waited for approval longer than their plan's escalateAfter.
 * The step's start is the row's last transition (`updated_at`: the workflow writes the row when
 * each step starts and not while it waits), so this is the breach escalation reacts to.
 */
export async function approvalSlaBreaches(db: Executor, limit: number) {
  return db.execute<{
    id: string;
    requester: string;
    entitlement: string;
    waiting_since: string;
    escalate_after: number;
    total: number;
  }>(sql`
    select r.id, p.email as requester, res.key || '/' || e.key as entitlement,
      ${isoOf('r.updated_at')} as waiting_since,
      (r.plan->'timing'->>'escalateAfter')::int as escalate_after, count(*) over ()::int as total
    from access_requests r
      join people p on p.id = r.requester_id
      join entitlements e on e.id = r.entitlement_id
      join resources res on res.id = e.resource_id
    where r.status = 'pending_approval'
      and jsonb_typeof(r.plan->'timing'->'escalateAfter') = 'number'
      and r.updated_at < now() - make_interval(secs => (r.plan->'timing'->>'escalateAfter')::float8)
    order by r.updated_at
    limit ${limit}`);
}

/**
 * Leavers: breaches the leaver workflow recorded in the last 30 days (audit_ledger_event_type_idx),
 * and people deactivated longer ago than the SLA who still hold active grants now.
 */
export async function leaverSlaFigures(db: Executor, slaSeconds: number) {
  const [row] = await db.execute<{ breached_30d: number; overdue_now: number }>(sql`
    select
      (select count(*)::int from audit_ledger
        where event_type = 'identity.leaver.sla_breached' and occurred_at > now() - interval '30 days') as breached_30d,
      (select count(distinct g.person_id)::int from people p join grants g on g.person_id = p.id and g.status = 'active'
        where p.status = 'inactive' and p.deactivated_at < now() - make_interval(secs => ${slaSeconds}::float8)) as overdue_now`);
  return row;
}

/** Active grants per risk level, every level present (zero when none). */
export async function activeGrantsByRisk(db: Executor): Promise<{ risk: RiskLevel; count: number }[]> {
  // grants_entitlement_id_idx covers (entitlement_id, status).
  const rows = await db.execute<{ risk: RiskLevel; count: number }>(sql`
    select e.risk_level as risk, count(*)::int as count
    from grants g join entitlements e on e.id = g.entitlement_id
    where g.status = 'active' group by e.risk_level`);
  return RISK_LEVELS.map((risk) => ({ risk, count: rows.find((row) => row.risk === risk)?.count ?? 0 }));
}

/** Campaigns not closed, soonest due first, with how many of their items are decided. */
export async function campaignsInProgress(db: Executor) {
  // campaigns_status_idx, then campaign_items_reviewer_idx (campaign_id leads) per campaign.
  return db.execute<{
    id: string;
    name: string;
    status: string;
    due_at: string;
    total: number;
    decided: number;
  }>(sql`
    select c.id, c.name, c.status, ${isoOf('c.due_at')} as due_at,
      count(i.id)::int as total, count(i.decision)::int as decided
    from campaigns c left join campaign_items i on i.campaign_id = c.id
    where c.status <> 'closed'
    group by c.id order by c.due_at`);
}

/** The ledger: entries, events waiting in the intake, and the newest checkpoint. */
export async function ledgerFigures(db: Executor) {
  // The primary key's last seq; audit_intake_pending_idx (partial, seq is null); checkpoint ids.
  const [row] = await db.execute<{
    entries: number;
    pending_intake: number;
    checkpoint_id: number | null;
    tree_size: number | null;
    checkpoint_at: string | null;
  }>(sql`
    select coalesce((select max(seq) from audit_ledger), 0)::bigint::float8 as entries,
      (select count(*)::int from audit_intake where seq is null) as pending_intake,
      c.id::float8 as checkpoint_id, c.tree_size::float8 as tree_size, ${isoOf('c.created_at')} as checkpoint_at
    from (select 1) one
      left join lateral (select id, tree_size, created_at from audit_checkpoint order by id desc limit 1) c on true`);
  return row;
}

/** Requests filed per UTC day over the last `days` days, today included, zero days present. */
export async function requestVolumePerDay(db: Executor, days: number) {
  return db.execute<{ day: string; count: number }>(sql`
    with span as (
      select generate_series((now() at time zone 'UTC')::date - ${days - 1}::int, (now() at time zone 'UTC')::date, '1 day')::date as day
    )
    select to_char(span.day, 'YYYY-MM-DD') as day, count(r.id)::int as count
    from span left join access_requests r
      on (r.created_at at time zone 'UTC')::date = span.day
    group by span.day order by span.day`);
}

/**
 * Time from filing to the last approving decision, for requests filed in the last `days` days that
 * were approved by people (they went on to provisioning or were granted), in buckets, with the
 * median and 90th percentile; auto-approved requests are counted apart (they took no one's time).
 */
export async function timeToApprove(db: Executor, days: number) {
  const [row] = await db.execute<{
    approved: number;
    auto_approved: number;
    median: number | null;
    p90: number | null;
    buckets: number[];
  }>(sql`
    with reached as (
      select id, created_at, plan->>'outcome' as outcome from access_requests
      where created_at > now() - make_interval(days => ${days}::int)
        and status in ('provisioning', 'awaiting_fulfilment', 'provisioning_failed', 'granted')
    ), approved as (
      -- approval_decisions_request_step_approver_key leads with request_id.
      select extract(epoch from max(d.decided_at) - r.created_at)::float8 as seconds
      from reached r join approval_decisions d on d.request_id = r.id and d.decision = 'approve'
      where r.outcome = 'approval_required'
      group by r.id, r.created_at
    )
    select (select count(*)::int from approved) as approved,
      (select count(*)::int from reached where outcome = 'auto_approve') as auto_approved,
      (select percentile_cont(0.5) within group (order by seconds) from approved) as median,
      (select percentile_cont(0.9) within group (order by seconds) from approved) as p90,
      array[
        (select count(*)::int from approved where seconds < 300),
        (select count(*)::int from approved where seconds >= 300 and seconds < 3600),
        (select count(*)::int from approved where seconds >= 3600 and seconds < 14400),
        (select count(*)::int from approved where seconds >= 14400 and seconds < 86400),
        (select count(*)::int from approved where seconds >= 86400 and seconds < 259200),
        (select count(*)::int from approved where seconds >= 259200)
      ] as buckets`);
  return row;
}
