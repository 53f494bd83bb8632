// The tables behind `npm run bench -- evidence`: a quarter of access governance written by
// set-based SQL. A directory (owners, managers, `grants / 20` holders), 20 resources of 5
// entitlements (two low, one medium, one high, one critical risk), `grants` access requests (low
// risk approved by policy; every 20th of the others denied), approval decisions by the manager and, for
// privileged access, the resource owner; the grants expire, are released or revoked in the quarter
// or stay active; imported standing grants make up the count; one campaign of `items` items
// reviewed by the resource owners; leavers; API tokens for the admin and the auditor. A few rows in
// each population are faults the pack's tests must find (a late approval, a self-approval, a grant
// longer than its maximum, a removal not read back, a rubber-stamping reviewer...), at rates of a
// well-run company, so the exceptions stay a small part of the pack.
//
// `bench.plan` keeps one row per request with what the ledger events need (times, emails, which
// faults it carries); evidence-events.ts writes the events from it and from the tables.
import type postgres from 'postgres';

/** How big the quarter is. */
export type EvidenceSizes = { grants: number; events: number; items: number };

/** The quarter's bounds and the moments the seed places its one-off events at. */
export type SeedTimes = {
  start: string;
  end: string;
  launchedAt: string;
  dueAt: string;
  signedOffAt: string;
};

const RESOURCES = 20;
const GRANTS_PER_HOLDER = 20;
const REPORTS_PER_MANAGER = 25;
/** Every this many holders, one leaves in the quarter. */
const LEAVER_EVERY = 250;

/** Row counts of what was written, for the report. */
export type SeedCounts = Record<
  'people' | 'requests' | 'decisions' | 'grants' | 'imported' | 'ended' | 'items' | 'leavers',
  number
>;

/** Writes the quarter's directory, catalog, requests, decisions, grants, campaign and leavers. */
export async function seedTables(
  sql: postgres.Sql,
  sizes: EvidenceSizes,
  times: SeedTimes,
): Promise<SeedCounts> {
  const holders = Math.max(REPORTS_PER_MANAGER, Math.ceil(sizes.grants / GRANTS_PER_HOLDER));
  const managers = Math.ceil(holders / REPORTS_PER_MANAGER);
  await sql.begin(async (tx) => {
    await tx`create schema if not exists bench`;
    await seedDirectory(tx, holders, managers);
    await seedCatalog(tx);
    await seedPlan(tx, sizes.grants, holders, times);
    await seedRequests(tx);
    await seedGrants(tx, sizes.grants, holders, times);
    await seedCampaign(tx, sizes.items, times);
    await seedLeavers(tx, holders, times);
  });
  const [counts] = await sql<SeedCounts[]>`
    select (select count(*) from people)::int as people, (select count(*) from access_requests)::int as requests,
      (select count(*) from approval_decisions)::int as decisions, (select count(*) from grants)::int as grants,
      (select count(*) from grants where source = 'import')::int as imported,
      (select count(*) from grants where ended_at is not null)::int as ended,
      (select count(*) from campaign_items)::int as items, (select count(*) from bench.leavers)::int as leavers`;
  return counts!;
}

async function seedDirectory(tx: postgres.TransactionSql, holders: number, managers: number): Promise<void> {
  await tx`
    insert into people (email, name, department, created_at) values
      ('admin@bench.test', 'Bench Admin', 'it', '2026-01-05'), ('auditor@bench.test', 'Bench Auditor', 'audit', '2026-01-05'),
      ('director@bench.test', 'Bench Director', 'engineering', '2026-01-05'),
      ('it-ops@bench.test', 'IT Operations', 'it', '2026-01-05')`;
  await tx`
    insert into people (email, name, manager_id, department, created_at)
    select format('%s-%s@bench.test', kind, lpad(i::text, 4, '0')), initcap(kind) || ' ' || i, d.id, 'engineering', '2026-01-05'
    from (values ('owner', ${RESOURCES}::int), ('manager', ${managers}::int)) as k(kind, n)
    cross join lateral generate_series(1, k.n) as i, people d where d.email = 'director@bench.test'`;
  await tx`
    insert into people (email, name, manager_id, department, created_at)
    select format('holder-%s@bench.test', lpad(i::text, 6, '0')), 'Holder ' || i, m.id, 'engineering', '2026-01-05'
    from generate_series(1, ${holders}::int) as i
    join people m on m.email = format('manager-%s@bench.test', lpad(((i - 1) / ${REPORTS_PER_MANAGER}::int + 1)::text, 4, '0'))`;
  await tx`
    create table bench.holders as
    select row_number() over (order by h.email)::int as n, h.id, h.email, h.manager_id, m.email as manager
    from people h join people m on m.id = h.manager_id where h.email like 'holder-%'`;
  await tx`create unique index on bench.holders (n)`;
  // The admin and the auditor may read the ledger; holder-000001 searches it without a token.
  await tx`
    insert into api_tokens (person_id, role, prefix, token_hash, description, created_at)
    select id, role::api_role, 'gf_bench', md5(email), 'bench', '2026-06-01'
    from people, (values ('admin@bench.test', 'admin'), ('auditor@bench.test', 'auditor')) as t(who, role)
    where email = who`;
}

async function seedCatalog(tx: postgres.TransactionSql): Promise<void> {
  await tx`insert into policies (key, current_version) values ('bench', 1)`;
  await tx`
    insert into policy_versions (policy_id, version, definition, definition_hash, created_by)
    select id, 1, '{"steps":[{"approvers":["manager"]},{"approvers":["resource_owner"]}]}'::jsonb, 'bench', 'bench'
    from policies where key = 'bench'`;
  await tx`
    insert into resources (key, name, owner_id, connector_kind)
    select format('app-%s', lpad(i::text, 2, '0')), 'App ' || i, o.id,
      (array['postgres', 'ldap', 'mysql', 'manual'])[(i - 1) % 4 + 1]
    from generate_series(1, ${RESOURCES}::int) as i
    join people o on o.email = format('owner-%s@bench.test', lpad(i::text, 4, '0'))`;
  // Durations (what is asked) sit under the maximums (what is allowed).
  await tx`
    insert into entitlements (resource_id, key, name, risk_level, max_duration_seconds, policy_id)
    select r.id, x.key, initcap(x.key), x.risk::risk_level, x.max_s, p.id
    from resources r
    cross join (values ('read', 'low', 15552000), ('report', 'low', 7776000), ('write', 'medium', 2592000),
                       ('admin', 'high', 43200), ('owner', 'critical', 28800)) as x(key, risk, max_s)
    cross join policies p where p.key = 'bench'`;
  await tx`
    create table bench.ents as
    select row_number() over (order by r.key, e.max_duration_seconds desc)::int as n, e.id, e.key, r.key as resource,
      e.risk_level::text as risk, e.max_duration_seconds as max_s,
      case e.key when 'read' then 7776000 when 'report' then 2592000 when 'write' then 1209600
                 when 'admin' then 28800 else 14400 end as dur_s,
      r.connector_kind as connector, o.id as owner_id, o.email as owner
    from entitlements e join resources r on r.id = e.resource_id join people o on o.id = r.owner_id`;
}

/**
 * One row per request, spread evenly over the quarter (the last day left free so every event
 * lands inside it). Holder and entitlement come from multiplicative hashes of the row number, so
 * they mix without random() (the same seed writes the same shape every run).
 */
async function seedPlan(
  tx: postgres.TransactionSql,
  requests: number,
  holders: number,
  times: SeedTimes,
): Promise<void> {
  await tx`
    create table bench.plan as
    select b.*, s.step0_at, s.step1_at, g.granted_at, x.expires_at,
      case when fin.end_at < ${times.end}::timestamptz - interval '1 hour' then fin.end_at end as ended_at,
      case when fin.end_at < ${times.end}::timestamptz - interval '1 hour' then fin.end_kind end as end_kind
    from (
      select i, gen_random_uuid() as request_id, h.id as holder_id, h.email as holder, h.manager_id, h.manager,
        e.id as entitlement_id, e.resource, e.key as entitlement, e.risk, e.max_s, e.dur_s, e.connector,
        e.owner_id, e.owner,
        case e.risk when 'low' then 0 when 'medium' then 1 else 2 end as steps,
        i % 20 = 0 and e.risk <> 'low' as denied,
        i % 250 = 9 as on_behalf,
        i % 2003 = 1 and e.risk in ('high', 'critical') as late_approval,
        i % 4001 = 17 and e.risk <> 'low' as self_approval,
        i % 1009 = 7 as too_long,
        i % 1499 = 11 and e.connector <> 'manual' as removal_unverified,
        i % 601 = 19 and e.connector = 'manual' as owner_fulfils,
        ${times.start}::timestamptz
          + (i - 0.5) * (${times.end}::timestamptz - ${times.start}::timestamptz - interval '1 day') / ${requests}::int
          as created_at
      from generate_series(1, ${requests}::int) as i
      join bench.holders h on h.n = (i::bigint * 40503 % 1000003) % ${holders}::int + 1
      join bench.ents e on e.n = (i::bigint * 2654435761 % 1000003) % 100 + 1
    ) b
    cross join lateral (
      select b.created_at + make_interval(secs => 120 + (b.i * 13) % 7200) as step0_at,
        b.created_at + make_interval(secs => 180 + (b.i * 13) % 7200 + (b.i * 17) % 3600) as step1_at
    ) s
    cross join lateral (
      select case when b.denied then null
        else (case b.steps when 0 then b.created_at + interval '2 seconds' when 1 then s.step0_at else s.step1_at end)
          + case when b.connector = 'manual' then interval '20 minutes' else interval '20 seconds' end
        end as granted_at
    ) g
    cross join lateral (
      select g.granted_at + make_interval(secs => case when b.too_long then b.max_s + 86400 else b.dur_s end) as expires_at
    ) x
    cross join lateral (
      select case when b.i % 50 = 3 then g.granted_at + make_interval(secs => b.dur_s / 3)
                  when b.i % 67 = 5 then g.granted_at + make_interval(secs => b.dur_s / 2)
                  else x.expires_at end as end_at,
        case when b.i % 50 = 3 then 'released' when b.i % 67 = 5 then 'revoked' else 'expired' end as end_kind
    ) fin`;
  await tx`create unique index on bench.plan (request_id)`;
}

const step = (index: number, name: string, approver: string) =>
  `jsonb_build_object('index', ${index}, 'name', '${name}', 'source', 'policy', 'approverRefs', jsonb_build_array('${name === 'Manager' ? 'manager' : 'resource_owner'}'),
     'eligible', jsonb_build_array(${approver}), 'required', 1, 'requireLabel', 'any')`;

async function seedRequests(tx: postgres.TransactionSql): Promise<void> {
  await tx.unsafe(`
    insert into access_requests (id, requester_id, entitlement_id, submitted_by_id, reason, duration_seconds, status,
      plan, outcome, closed_at, created_at, updated_at)
    select p.request_id, p.holder_id, p.entitlement_id, case when p.on_behalf then a.id else p.holder_id end,
      'project work', p.dur_s, (case when p.denied then 'denied' else 'granted' end)::request_status,
      case when p.steps = 0 then
        jsonb_build_object('outcome', 'auto_approve', 'policy', jsonb_build_object('key', 'bench', 'version', 1),
          'rule', jsonb_build_object('index', 0, 'maxRisk', 'low'), 'reason', 'low risk: approved by policy')
      else
        jsonb_build_object('outcome', 'approval_required', 'policy', jsonb_build_object('key', 'bench', 'version', 1),
          'steps', case p.steps when 1 then jsonb_build_array(${step(0, 'Manager', 'p.manager')})
                   else jsonb_build_array(${step(0, 'Manager', 'p.manager')}, ${step(1, 'Owner', 'p.owner')}) end,
          'timing', '{}'::jsonb, 'reason', p.steps || ' approval steps')
      end,
      case when p.denied then 'denied by the manager' else 'granted' end,
      coalesce(p.granted_at, p.step0_at), p.created_at, coalesce(p.granted_at, p.step0_at)
    from bench.plan p, people a where a.email = 'admin@bench.test'`);
  // The manager decides step 0; the owner step 1 (late_approval: dated after provisioning); a
  // self-approval is slipped in before the manager's.
  await tx`
    insert into approval_decisions (request_id, step_index, approver_id, decision, decided_at)
    select request_id, 0, manager_id, case when denied then 'deny' else 'approve' end, step0_at
    from bench.plan where steps >= 1
    union all
    select request_id, 1, owner_id, 'approve', case when late_approval then granted_at + interval '1 hour' else step1_at end
    from bench.plan where steps = 2 and not denied
    union all
    select request_id, 0, holder_id, 'approve', step0_at - interval '30 seconds'
    from bench.plan where self_approval and not denied`;
}

async function seedGrants(
  tx: postgres.TransactionSql,
  grants: number,
  holders: number,
  times: SeedTimes,
): Promise<void> {
  await tx`
    insert into grants (id, person_id, entitlement_id, request_id, status, source, granted_at, expires_at,
      lifetime_started_at, provision_verified, ended_at, ended_by_id, end_reason, removal_verified, created_at, updated_at)
    select gen_random_uuid(), p.holder_id, p.entitlement_id, p.request_id, coalesce(p.end_kind, 'active')::grant_status,
      'request', p.granted_at, p.expires_at, p.granted_at, case when p.connector = 'manual' then null else true end,
      p.ended_at, case p.end_kind when 'released' then p.holder_id when 'revoked' then a.id end,
      case p.end_kind when 'released' then 'released by the holder' when 'revoked' then 'no longer needed'
                      when 'expired' then 'expired' end,
      case when p.ended_at is null or p.connector = 'manual' then null else not p.removal_unverified end,
      p.granted_at, coalesce(p.ended_at, p.granted_at)
    from bench.plan p, people a where a.email = 'admin@bench.test' and not p.denied`;
  await tx`alter table bench.plan add column grant_id uuid`;
  await tx`update bench.plan p set grant_id = g.id from grants g where g.request_id = p.request_id`;
  await tx`update access_requests q set grant_id = p.grant_id from bench.plan p where p.request_id = q.id`;
  // Standing access a directory import recorded in July: low risk, no end.
  await tx`
    insert into grants (id, person_id, entitlement_id, status, source, granted_at, lifetime_started_at, created_at, updated_at)
    select gen_random_uuid(), h.id, e.id, 'active', 'import', t.at, t.at, t.at, t.at
    from generate_series(1, ${grants}::int - (select count(*) from grants)::int) as k
    join bench.holders h on h.n = (k::bigint * 7919 % 1000003) % ${holders}::int + 1
    join bench.ents e on e.n = (k::bigint * 104729 % 1000003) % 20 * 5 + 1 + k % 2
    cross join lateral (select ${times.start}::timestamptz + interval '14 days' + k * interval '1 second' as at) t`;
}

/**
 * One campaign over the low and medium grants active at launch, reviewed by the resource owners
 * (who approved none of them). Owners 3 and 11 keep all their items a second apart
 * (rubber-stamping); 5 % are revoked (one in a hundred of those without a reason, a few failing at
 * the target), 3 % closed by the default action, 1 % decided late, a few by the holder.
 */
async function seedCampaign(tx: postgres.TransactionSql, items: number, times: SeedTimes): Promise<void> {
  await tx`
    insert into campaigns (name, status, scope, reviewer_rule, due_at, reminder_every_seconds, escalate_after_seconds,
      default_action, period_key, population_count, population_sha256, launched_by_id, launched_at, signed_off_by_id,
      signed_off_at, closed_at, created_at, updated_at)
    select '2026-Q3 access review', 'closed', '{"riskLevels":["low","medium"]}'::jsonb, 'resource_owner',
      ${times.dueAt}::timestamptz, 604800, 259200, 'keep', 'bench-quarter', ${items}::int, encode(sha256('bench'::bytea), 'hex'),
      a.id, ${times.launchedAt}::timestamptz, a.id, ${times.signedOffAt}::timestamptz, ${times.signedOffAt}::timestamptz,
      ${times.launchedAt}::timestamptz, ${times.signedOffAt}::timestamptz
    from people a where a.email = 'admin@bench.test'`;
  await tx`
    insert into campaign_items (campaign_id, grant_id, holder_id, entitlement_id, reviewer_id, original_reviewer_id,
      assignment_reason, decision, decided_by_id, decided_at, reason, decision_source, revocation_status, revoked_at,
      revocation_error, created_at)
    with picked as (
      select g.id, g.person_id, g.entitlement_id, r.owner_id, row_number() over (order by md5(g.id::text))::int as k
      from grants g join entitlements e on e.id = g.entitlement_id join resources r on r.id = e.resource_id
      where e.risk_level in ('low', 'medium') and g.granted_at < ${times.launchedAt}::timestamptz
        and (g.ended_at is null or g.ended_at > ${times.launchedAt}::timestamptz)
      order by md5(g.id::text) limit ${items}::int
    ), ranked as (
      select p.*, row_number() over (partition by p.owner_id order by p.k)::int as rk,
        dense_rank() over (order by p.owner_id)::int as owner_n,
        case when p.k % 100 >= 95 and p.k % 100 <= 97 then 'default' when p.k % 1000 = 999 then 'self'
             when p.k % 100 = 99 then 'late' when p.k % 100 >= 90 then 'revoke' else 'keep' end as outcome
      from picked p
    )
    select c.id, r.id, r.person_id, r.entitlement_id, r.owner_id, r.owner_id, 'resource_owner',
      (case when r.outcome = 'revoke' then 'revoke' else 'keep' end)::campaign_decision,
      case when r.outcome = 'self' then r.person_id when r.outcome <> 'default' then r.owner_id end,
      d.at, case when r.outcome = 'revoke' and r.k % 500 <> 93 then 'no longer needed' end,
      (case when r.outcome = 'default' then 'default_action' else 'reviewer' end)::campaign_decision_source,
      (case when r.outcome <> 'revoke' then null when r.k % 700 = 91 then 'failed' else 'verified' end)::campaign_revocation_status,
      case when r.outcome = 'revoke' and r.k % 700 <> 91 then d.at + interval '10 minutes' end,
      case when r.outcome = 'revoke' and r.k % 700 = 91 then 'permission denied to revoke role' end,
      c.launched_at
    from ranked r cross join campaigns c
    cross join lateral (
      select case when r.outcome = 'default' then c.due_at
                  when r.outcome = 'late' then c.due_at + interval '2 days'
                  when r.owner_n in (3, 11) then c.launched_at + interval '2 days' + r.rk * interval '1 second'
                  else c.launched_at + interval '1 day' + r.rk * interval '4 minutes' end as at
    ) d`;
  // A revoked item ends its grant (the campaign's revocation, read back at the target).
  await tx`
    update grants g set status = 'revoked', ended_at = i.revoked_at, ended_by_id = i.decided_by_id,
      end_reason = 'revoked in campaign ' || i.campaign_id,
      removal_verified = case when r.connector_kind = 'manual' then null else true end, updated_at = i.revoked_at
    from campaign_items i, entitlements e, resources r
    where i.grant_id = g.id and i.revocation_status = 'verified' and e.id = g.entitlement_id and r.id = e.resource_id
      and (g.ended_at is null or g.ended_at > i.revoked_at)`;
  await tx`update bench.plan p set ended_at = g.ended_at, end_kind = 'campaign' from grants g
           where g.id = p.grant_id and g.end_reason like 'revoked in campaign %'`;
}

/** Every LEAVER_EVERY-th holder leaves; offboarding takes two hours, for two of them 30 (SLA one day). */
async function seedLeavers(tx: postgres.TransactionSql, holders: number, times: SeedTimes): Promise<void> {
  await tx`
    create table bench.leavers as
    select h.id, h.email, t.at as deactivated_at, t.at + interval '10 minutes' as started_at,
      t.at + case when h.n <= 2 * ${LEAVER_EVERY}::int then interval '30 hours' else interval '2 hours' end as completed_at,
      h.n <= 2 * ${LEAVER_EVERY}::int as breached
    from bench.holders h
    cross join lateral (
      select ${times.start}::timestamptz + interval '3 days'
        + (h.n::float / ${holders}::int) * (${times.end}::timestamptz - ${times.start}::timestamptz - interval '6 days') as at
    ) t
    where h.n % ${LEAVER_EVERY}::int = 1`;
  await tx`update people p set status = 'inactive', deactivated_at = l.deactivated_at from bench.leavers l where l.id = p.id`;
}
