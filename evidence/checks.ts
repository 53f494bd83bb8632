// The automated tests an evidence pack runs over whole populations (never a sample): each one
// counts what it tested and lists every exception, with the ledger positions of the events that
// show it. Queries name their parameters as populations.ts does; an exception row is
// (key, summary, evidence bigint[]).
import type { EvidenceTestId, PopulationId } from '../domain/evidence.js';
import { leaverEvent } from './populations.js';
import { isoText } from './query-params.js';

/** One automated test. */
export type CheckDefinition = {
  id: EvidenceTestId;
  title: string;
  /** The population whose rows it tests; `tested` counts them. */
  population: PopulationId | null;
  /** Counts what was tested (one row, column `tested`). */
  tested: string;
  /** One row per exception: key, summary, evidence (ledger seqs). */
  exceptions: string;
};

const ts = (expression: string) => isoText(expression);

/** The ledger positions (up to the checkpoint) of the events matching `where`, oldest first. */
const chain = (where: string) =>
  `(select coalesce(array_agg(l.seq order by l.seq), '{}') from audit_ledger l
    where l.seq <= :tree_size and (${where}))`;

const byRequest = (requestId: string) => `l.event->'correlation'->>'request_id' = ${requestId}::text`;
const byGrant = (grantId: string) =>
  `(l.event->'correlation'->>'grant_id' = ${grantId}::text or (l.event->'target'->>'type' = 'grant' and l.event->'target'->>'id' = ${grantId}::text))`;
const byCampaign = (campaignId: string) => `l.event->'correlation'->>'campaign_id' = ${campaignId}::text`;

const grantsInPeriod = `g.granted_at >= :period_start and g.granted_at < :period_end and g.granted_at <= :as_of`;
const requestsInPeriod = `q.created_at >= :period_start and q.created_at < :period_end and q.created_at <= :as_of`;
const campaignsInPeriod = `c.launched_at >= :period_start and c.launched_at < :period_end and c.launched_at <= :as_of`;
const endedInPeriod = `g.ended_at >= :period_start and g.ended_at < :period_end and g.ended_at <= :as_of`;

const grantJoins = `from grants g
join people p on p.id = g.person_id
join entitlements e on e.id = g.entitlement_id
join resources r on r.id = e.resource_id`;

const itemJoins = `from campaign_items i
join campaigns c on c.id = i.campaign_id
join people h on h.id = i.holder_id
join entitlements e on e.id = i.entitlement_id
join resources r on r.id = e.resource_id`;

/** Every approval of the period's requests (d), with its request (q), approver (a) and entitlement. */
const approvalsInPeriod = `from approval_decisions d
join access_requests q on q.id = d.request_id
join people a on a.id = d.approver_id
join entitlements e on e.id = q.entitlement_id
join resources r on r.id = e.resource_id
where ${requestsInPeriod} and d.decision = 'approve' and d.decided_at <= :as_of`;

/** Who approved a request before the pack's "as of" (an approve decision). */
const approved = (requestId: string, personId: string) =>
  `exists (select 1 from approval_decisions d where d.request_id = ${requestId} and d.approver_id = ${personId}
    and d.decision = 'approve' and d.decided_at <= :as_of)`;

/** Whether a person reported a request's manual fulfilment done (recorded in the ledger). */
const fulfilled = (requestId: string, email: string) =>
  `exists (select 1 from audit_ledger l where l.event_type = 'access.fulfilment.completed' and l.seq <= :tree_size
    and ${byRequest(requestId)} and l.event->'actor'->>'email' = ${email})`;

const leavers = `from audit_ledger s
left join lateral (${leaverEvent('identity.leaver.completed')}) c on true
left join lateral (${leaverEvent('identity.leaver.sla_breached')}) b on true
where s.event_type = 'identity.leaver.started'
  and s.recorded_at >= :period_start and s.recorded_at < :period_end and s.seq <= :tree_size`;

const reviewsInPeriod = `r.period_start >= :period_start and r.period_end <= :period_end and r.created_at <= :as_of`;
const byLogReview = (reviewId: string) =>
  `(l.event->'target'->>'type' = 'log_review' and l.event->'target'->>'id' = ${reviewId}::text)`;
/** Not reviewed by the pack's "as of" (a review is final, so reviewed_at never moves). */
const unreviewed = (item: string) => `(${item}.reviewed_at is null or ${item}.reviewed_at > :as_of)`;

const ledgerReads = `from audit_ledger l
where l.event_type in ('audit.search.performed', 'audit.export.created', 'audit.verify.performed')
  and l.recorded_at >= :period_start and l.recorded_at < :period_end and l.seq <= :tree_size`;

/** Every automated test, in the order a pack lists them. */
export const CHECKS: readonly CheckDefinition[] = [
  {
    id: 'grant_without_prior_approval',
    title: 'Requested grants provisioned without every approval step recorded before provisioning',
    population: 'grants_provisioned',
    tested: `select count(*) as tested from grants g where ${grantsInPeriod}`,
    exceptions: `select g.id::text as key,
  'granted ' || ${ts('g.granted_at')} || ' to ' || p.email || ' (' || r.key || ' / ' || e.key || '): '
    || (select count(distinct d.step_index) from approval_decisions d
        where d.request_id = q.id and d.decision = 'approve' and d.decided_at <= g.granted_at)
    || ' of ' || coalesce(jsonb_array_length(q.plan->'steps'), 1) || ' approval steps recorded before it' as summary,
  ${chain(`${byRequest('q.id')} or ${byGrant('g.id')}`)} as evidence
${grantJoins}
join access_requests q on q.id = g.request_id
where ${grantsInPeriod} and g.source = 'request'
  and coalesce(q.plan->>'outcome', '') <> 'auto_approve'
  and (select count(distinct d.step_index) from approval_decisions d
       where d.request_id = q.id and d.decision = 'approve' and d.decided_at <= g.granted_at)
      < coalesce(jsonb_array_length(q.plan->'steps'), 1)
order by g.granted_at, g.id`,
  },
  {
    id: 'approver_is_requester',
    title: 'Requests approved by the person who asked for them (or who submitted them)',
    population: 'requests_decisions',
    tested: `select count(*) as tested from access_requests q where ${requestsInPeriod}`,
    exceptions: `select q.id::text as key,
  a.email || ' approved step ' || d.step_index || ' of their own request for ' || r.key || ' / ' || e.key
    || ' at ' || ${ts('d.decided_at')} as summary,
  ${chain(byRequest('q.id'))} as evidence
${approvalsInPeriod}
  and d.approver_id in (q.requester_id, q.submitted_by_id)
order by q.created_at, q.id, d.id`,
  },
  {
    id: 'approver_is_fulfiller',
    title: 'Requests whose approver also carried out the manual provisioning',
    population: 'requests_decisions',
    tested: `select count(*) as tested from access_requests q where ${requestsInPeriod}`,
    exceptions: `select q.id::text as key,
  a.email || ' approved the request for ' || r.key || ' / ' || e.key || ' and reported its fulfilment done' as summary,
  ${chain(byRequest('q.id'))} as evidence
${approvalsInPeriod}
  and ${fulfilled('q.id', 'a.email')}
order by q.created_at, q.id, d.id`,
  },
  {
    id: 'access_longer_than_maximum',
    title: "Grants whose lifetime is longer than the entitlement's maximum duration",
    population: 'grants_provisioned',
    tested: `select count(*) as tested from grants g where ${grantsInPeriod}`,
    exceptions: `select g.id::text as key,
  p.email || ' holds ' || r.key || ' / ' || e.key || ' for '
    || coalesce(extract(epoch from g.expires_at - g.granted_at)::bigint::text || ' s', 'no end')
    || ' (maximum ' || e.max_duration_seconds || ' s)' as summary,
  ${chain(`${byRequest('g.request_id')} or ${byGrant('g.id')}`)} as evidence
${grantJoins}
where ${grantsInPeriod}
  and ((g.expires_at is not null and g.expires_at - g.granted_at > make_interval(secs => e.max_duration_seconds))
    or (g.expires_at is null and g.source = 'request'))
order by g.granted_at, g.id`,
  },
  {
    id: 'leaver_removed_after_sla',
    title: 'Leavers whose access was not all removed within the leaver SLA',
    population: 'leavers',
    tested: `select count(*) as tested ${leavers}`,
    exceptions: `select s.event->'target'->>'id' as key,
  (s.event->'target'->>'name') || ' deactivated ' || (s.event->'details'->>'deactivated_at') || ': '
    || case when c.seq is null then 'offboarding not completed'
            else 'last access removed after ' || (c.event->'details'->>'secondsToRemoval') || ' s' end
    || coalesce(' (SLA ' || (c.event->'details'->>'sla_seconds') || ' s)', '')
    || case when b.seq is not null then ', SLA breach recorded' else '' end as summary,
  array_remove(array[s.seq, c.seq, b.seq], null) as evidence
${leavers}
  and (b.seq is not null or (c.event->'details'->>'withinSla') = 'false')
order by s.seq`,
  },
  {
    id: 'review_after_due_date',
    title: 'Review items not decided by a reviewer by the campaign due date',
    population: 'campaign_items',
    tested: `select count(*) as tested ${itemJoins} where ${campaignsInPeriod}`,
    exceptions: `select i.id::text as key,
  c.name || ': ' || h.email || ' on ' || r.key || ' / ' || e.key || ', due ' || ${ts('c.due_at')} || ', '
    || case when i.decided_at is null or i.decided_at > :as_of then 'still undecided'
            when i.decision_source = 'default_action' then 'closed by the default action at ' || ${ts('i.decided_at')}
            else 'decided ' || ${ts('i.decided_at')} end as summary,
  ${chain(`${byCampaign('c.id')} and l.event->'target'->>'id' = c.id::text || '/' || i.id::text`)} as evidence
${itemJoins}
where ${campaignsInPeriod} and c.due_at <= :as_of
  and (i.decided_at is null or i.decided_at > :as_of or i.decided_at > c.due_at
       or i.decision_source = 'default_action')
order by c.launched_at, c.id, i.id`,
  },
  {
    id: 'decision_without_rationale',
    title: 'Review decisions to revoke recorded without a reason (campaigns require one)',
    population: 'campaign_items',
    tested: `select count(*) as tested ${itemJoins} where ${campaignsInPeriod}`,
    exceptions: `select i.id::text as key,
  c.name || ': revoke of ' || h.email || ' on ' || r.key || ' / ' || e.key || ' has no reason' as summary,
  ${chain(`${byCampaign('c.id')} and l.event->'target'->>'id' = c.id::text || '/' || i.id::text`)} as evidence
${itemJoins}
where ${campaignsInPeriod} and i.decided_at <= :as_of and i.decision = 'revoke'
  and i.decision_source <> 'default_action' and coalesce(btrim(i.reason), '') = ''
order by c.launched_at, c.id, i.id`,
  },
  {
    id: 'revocation_not_verified',
    title: 'Removals not verified at the target (refused by it, or not read back where it can be)',
    population: 'revocations',
    tested: `select (select count(*) from grants g where ${endedInPeriod})
  + (select count(*) ${itemJoins} where ${campaignsInPeriod} and i.decision = 'revoke' and i.decided_at <= :as_of) as tested`,
    exceptions: `select key, summary, evidence from (
  select g.id::text as key, g.ended_at as at,
    p.email || ' on ' || r.key || ' / ' || e.key || ' ended ' || ${ts('g.ended_at')} || ' ('
      || coalesce(g.end_reason, 'ended') || '): '
      || case when g.removal_verified = false then 'the target still showed the access'
              else 'the removal was not read back' end as summary,
    ${chain(byGrant('g.id'))} as evidence
  ${grantJoins}
  where ${endedInPeriod} and r.connector_kind <> 'manual'
    and g.removal_verified is distinct from true
  union all
  select 'item:' || i.id::text as key, i.decided_at as at,
    c.name || ': revoking ' || h.email || ' on ' || r.key || ' / ' || e.key || ' failed: '
      || coalesce(i.revocation_error, 'no detail') as summary,
    ${chain(`${byCampaign('c.id')} or ${byGrant('i.grant_id')}`)} as evidence
  ${itemJoins}
  where ${campaignsInPeriod} and i.decided_at <= :as_of and i.revocation_status = 'failed'
) x order by at, key`,
  },
  {
    id: 'reviewer_reviewed_own_access',
    title: 'Review items decided by the holder of the access',
    population: 'campaign_items',
    tested: `select count(*) as tested ${itemJoins} where ${campaignsInPeriod}`,
    exceptions: `select i.id::text as key,
  c.name || ': ' || h.email || ' decided ' || i.decision || ' on their own access to ' || r.key || ' / ' || e.key as summary,
  ${chain(`${byCampaign('c.id')} and l.event->'target'->>'id' = c.id::text || '/' || i.id::text`)} as evidence
${itemJoins}
where ${campaignsInPeriod} and i.decided_at <= :as_of and i.decided_by_id = i.holder_id
order by c.launched_at, c.id, i.id`,
  },
  {
    id: 'reviewer_reviewed_access_they_fulfilled',
    title: 'Review items decided by the person who approved or provisioned that access',
    population: 'campaign_items',
    tested: `select count(*) as tested ${itemJoins} where ${campaignsInPeriod}`,
    exceptions: `select i.id::text as key,
  c.name || ': ' || v.email || ' reviewed ' || h.email || ' on ' || r.key || ' / ' || e.key
    || ', access they had ' || case when ${approved('g.request_id', 'i.decided_by_id')} then 'approved' else 'provisioned' end as summary,
  ${chain(`(${byCampaign('c.id')} and l.event->'target'->>'id' = c.id::text || '/' || i.id::text) or ${byRequest('g.request_id')}`)} as evidence
${itemJoins}
join grants g on g.id = i.grant_id
join people v on v.id = i.decided_by_id
where ${campaignsInPeriod} and i.decided_at <= :as_of and g.request_id is not null
  and (${approved('g.request_id', 'i.decided_by_id')} or ${fulfilled('g.request_id', 'v.email')})
order by c.launched_at, c.id, i.id`,
  },
  {
    id: 'ledger_read_without_role',
    title: 'Reads of the audit ledger by a person who held no admin or auditor token at the time',
    population: null,
    tested: `select count(*) as tested ${ledgerReads}`,
    exceptions: `select l.seq::text as key,
  coalesce(l.event->'actor'->>'email', l.event->'actor'->>'id') || ' ' || (l.event->>'action') || ' at '
    || ${isoText('l.recorded_at', 'MS')} as summary,
  array[l.seq] as evidence
${ledgerReads}
  and l.event->'actor'->>'type' = 'person'
  and not exists (select 1 from api_tokens t join people p on p.id = t.person_id
    where p.email = l.event->'actor'->>'email' and t.role in ('admin', 'auditor')
      and t.created_at <= l.recorded_at and (t.revoked_at is null or t.revoked_at > l.recorded_at))
order by l.seq`,
  },
  {
    id: 'rubber_stamping',
    title: 'Reviewers who decided more items in a short window than anyone can read (per campaign)',
    population: 'campaign_items',
    tested: `select count(*) as tested ${itemJoins} where ${campaignsInPeriod}`,
    exceptions: `with paced as (
  select i.campaign_id, c.name as campaign, c.launched_at, i.decided_by_id, i.id, i.decided_at,
    count(*) over (partition by i.campaign_id, i.decided_by_id order by i.decided_at
      range between make_interval(secs => :stamp_seconds) preceding and current row) as in_window
  from campaign_items i join campaigns c on c.id = i.campaign_id
  where ${campaignsInPeriod} and i.decided_at <= :as_of and i.decision_source = 'reviewer'
)
select x.campaign_id::text || ':' || d.email as key,
  x.campaign || ': ' || d.email || ' decided ' || max(x.in_window) || ' items within ' || :stamp_seconds
    || ' s (' || (select count(*) from campaign_items j where j.campaign_id = x.campaign_id
                   and j.decided_by_id = x.decided_by_id and j.decision_source = 'reviewer'
                   and j.decided_at <= :as_of) || ' in all)' as summary,
  ${chain(`${byCampaign('x.campaign_id')} and l.event->'actor'->>'email' = d.email and l.event_type in ('campaign.item.kept', 'campaign.item.revoked')`)} as evidence
from paced x join people d on d.id = x.decided_by_id
group by x.campaign_id, x.campaign, x.launched_at, x.decided_by_id, d.email
having max(x.in_window) > :stamp_items
order by x.launched_at, x.campaign_id, d.email`,
  },
  {
    id: 'log_review_incomplete',
    title:
      "Log reviews of the period not signed off, and the security events in them nobody reviewed, by the pack's as-of",
    population: 'log_reviews',
    tested: `select (select count(*) from log_reviews r where ${reviewsInPeriod})
  + (select count(*) from log_review_items i join log_reviews r on r.id = i.review_id where ${reviewsInPeriod}) as tested`,
    exceptions: `select key, summary, evidence from (
  select 'review:' || r.id::text as key, r.period_start as at, r.id as review, 0::bigint as item,
    r.period || ' log review (' || r.reviewer_group || '), due ' || ${ts('r.due_at')} || ', not signed off'
      || case when r.due_at <= :as_of then ' and overdue' else ', still within its review window' end || ': '
      || (select count(*) from log_review_items j where j.review_id = r.id and ${unreviewed('j')}) || ' of '
      || (select count(*) from log_review_items j where j.review_id = r.id) || ' events unreviewed' as summary,
    ${chain(byLogReview('r.id'))} as evidence
  from log_reviews r
  where ${reviewsInPeriod} and (r.signed_off_at is null or r.signed_off_at > :as_of)
  union all
  select i.id::text as key, r.period_start as at, r.id as review, i.id as item,
    r.period || ' log review: ledger entry ' || i.ledger_seq || ' (' || i.event_type || ', ' || i.summary
      || ') not reviewed' as summary,
    ${chain(`l.seq = i.ledger_seq or (${byLogReview('r.id')} and l.event_type = 'audit.log_review.opened')`)} as evidence
  from log_review_items i join log_reviews r on r.id = i.review_id
  where ${reviewsInPeriod} and ${unreviewed('i')}
) x order by at, review, item`,
  },
];
