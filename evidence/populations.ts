// The populations an evidence pack extracts: each one SQL query, shown to the auditor exactly as it
// ran (what auditors call information produced by the entity, IPE). Queries name their parameters
// (query-params.ts binds them): :period_start and :period_end (exclusive) bound the period, :as_of
// is when the pack request was recorded in the ledger, and :tree_size the size of the ledger
// checkpoint the pack is proven against. Rows are as they stood at :as_of, so the same request
// extracts the same rows again later.
// Timestamps are ISO-8601 UTC with microseconds, as PostgreSQL keeps them; ledger times keep the
// milliseconds they were hashed with.
import type { PopulationId } from '../domain/evidence.js';
import { isoText } from './query-params.js';

/** One population: its query, its columns (the CSV header) and which column identifies a row. */
export type PopulationDefinition = {
  id: PopulationId;
  title: string;
  /** The column that names a row in tests, samples and the evidence chain. */
  key: string;
  columns: readonly string[];
  query: string;
};

const ts = (expression: string) => isoText(expression);

/** A grant's state at the pack's "as of": ended only if it ended by then. */
const grantColumns = `
  g.id::text as grant_id, p.email as holder, r.key as resource, e.key as entitlement,
  e.risk_level::text as risk, g.source::text as source, g.request_id::text as request_id,
  ${ts('g.granted_at')} as granted_at, ${ts('g.expires_at')} as expires_at,
  e.max_duration_seconds as max_duration_seconds,
  case when g.provision_verified is null then '' else g.provision_verified::text end as provision_verified,
  case when g.ended_at <= :as_of then ${ts('g.ended_at')} end as ended_at,
  case when g.ended_at <= :as_of then g.end_reason end as end_reason`;

const grantJoins = `
  from grants g
  join people p on p.id = g.person_id
  join entitlements e on e.id = g.entitlement_id
  join resources r on r.id = e.resource_id`;

/** Grants given in the period (and by the "as of"), with `also` as a further condition. */
function grantsGrantedIn(also: string): string {
  return `select ${grantColumns}${grantJoins}
where g.granted_at >= :period_start and g.granted_at < :period_end and g.granted_at <= :as_of${also}
order by g.granted_at, g.id`;
}

const GRANT_COLUMNS = [
  'grant_id',
  'holder',
  'resource',
  'entitlement',
  'risk',
  'source',
  'request_id',
  'granted_at',
  'expires_at',
  'max_duration_seconds',
  'provision_verified',
  'ended_at',
  'end_reason',
] as const;

const LEDGER_COLUMNS = [
  'seq',
  'event_id',
  'event_type',
  'recorded_at',
  'actor_type',
  'actor',
  'on_behalf_of',
  'target_type',
  'target_id',
  'action',
  'result',
  'reason',
] as const;

/** Ledger events of the period (by recording time, up to the checkpoint) matching `where`. */
function ledgerQuery(where: string): string {
  return `select l.seq, l.event_id::text as event_id, l.event_type,
  ${isoText('l.recorded_at', 'MS')} as recorded_at,
  l.event->'actor'->>'type' as actor_type,
  coalesce(l.event->'actor'->>'email', l.event->'actor'->>'id') as actor,
  l.event->'actor'->>'on_behalf_of' as on_behalf_of,
  l.event->'target'->>'type' as target_type, l.event->'target'->>'id' as target_id,
  l.event->>'action' as action, l.event->>'result' as result, l.event->>'reason' as reason
from audit_ledger l
where l.recorded_at >= :period_start and l.recorded_at < :period_end and l.seq <= :tree_size
  and (${where})
order by l.seq`;
}

/**
 * Event types that only an administrator (or an admin acting for someone) can cause; the monthly
 * log review (logreview/) puts them before its reviewers too.
 */
export const ADMIN_EVENT_TYPES = [
  'access.grant.revoked',
  'access.grant.provisioning_retried',
  'campaign.launched',
  'campaign.signed_off',
  'config.directory.imported',
  'config.policy.changed',
  'config.token.created',
  'config.token.revoked',
  'config.scim_connection.created',
  'config.scim_connection.revoked',
  'reconciliation.finding.resolved',
];

/** The first later event of one leaver's offboarding (same person, same deactivation). */
export function leaverEvent(type: string): string {
  return `select l.seq, l.event from audit_ledger l
  where l.event_type = '${type}' and l.seq > s.seq and l.seq <= :tree_size
    and l.event->'target'->>'id' = s.event->'target'->>'id'
    and l.event->'details'->>'deactivated_at' = s.event->'details'->>'deactivated_at'
  order by l.seq limit 1`;
}

const quoted = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');

/** Every population, in the order a pack lists them. */
export const POPULATIONS: readonly PopulationDefinition[] = [
  {
    id: 'grants_provisioned',
    title: 'Grants provisioned in the period',
    key: 'grant_id',
    columns: GRANT_COLUMNS,
    query: grantsGrantedIn(''),
  },
  {
    id: 'privileged_grants',
    title: 'Privileged (high and critical risk) grants provisioned in the period',
    key: 'grant_id',
    columns: GRANT_COLUMNS,
    query: grantsGrantedIn(`\n  and e.risk_level in ('high', 'critical')`),
  },
  {
    id: 'requests_decisions',
    title: 'Access requests made in the period, with every approval decision',
    key: 'request_id',
    columns: [
      'request_id',
      'requester',
      'submitted_by',
      'resource',
      'entitlement',
      'risk',
      'duration_seconds',
      'created_at',
      'plan_outcome',
      'decisions',
      'grant_id',
    ],
    query: `select q.id::text as request_id, p.email as requester, s.email as submitted_by,
  r.key as resource, e.key as entitlement, e.risk_level::text as risk, q.duration_seconds,
  ${ts('q.created_at')} as created_at, q.plan->>'outcome' as plan_outcome,
  (select string_agg(concat_ws(' ', 'step' || d.step_index, a.email, d.decision, ${ts('d.decided_at')}), '; '
          order by d.decided_at, d.id)
     from approval_decisions d join people a on a.id = d.approver_id
    where d.request_id = q.id and d.decided_at <= :as_of) as decisions,
  (select g.id::text from grants g where g.request_id = q.id and g.granted_at <= :as_of) as grant_id
from access_requests q
join people p on p.id = q.requester_id
join people s on s.id = q.submitted_by_id
join entitlements e on e.id = q.entitlement_id
join resources r on r.id = e.resource_id
where q.created_at >= :period_start and q.created_at < :period_end and q.created_at <= :as_of
order by q.created_at, q.id`,
  },
  {
    id: 'revocations',
    title: 'Grants that ended in the period (revoked, released, expired), with the removal check',
    key: 'grant_id',
    columns: [
      'grant_id',
      'holder',
      'resource',
      'entitlement',
      'connector',
      'ended_at',
      'end_reason',
      'ended_by',
      'removal_verified',
    ],
    query: `select g.id::text as grant_id, p.email as holder, r.key as resource, e.key as entitlement,
  r.connector_kind as connector, ${ts('g.ended_at')} as ended_at, g.end_reason,
  b.email as ended_by,
  case when g.removal_verified is null then '' else g.removal_verified::text end as removal_verified
${grantJoins}
left join people b on b.id = g.ended_by_id
where g.ended_at >= :period_start and g.ended_at < :period_end and g.ended_at <= :as_of
order by g.ended_at, g.id`,
  },
  {
    id: 'leavers',
    title:
      'Leavers whose offboarding started in the period, with the time until their last access was removed',
    key: 'person_id',
    columns: [
      'person_id',
      'person',
      'deactivated_at',
      'started_seq',
      'completed_seq',
      'grants',
      'verified',
      'failed',
      'seconds_to_removal',
      'sla_seconds',
      'within_sla',
      'sla_breached_seq',
    ],
    query: `select s.event->'target'->>'id' as person_id, s.event->'target'->>'name' as person,
  s.event->'details'->>'deactivated_at' as deactivated_at, s.seq as started_seq, c.seq as completed_seq,
  c.event->'details'->>'grants' as grants, c.event->'details'->>'verified' as verified,
  c.event->'details'->>'failed' as failed,
  c.event->'details'->>'secondsToRemoval' as seconds_to_removal,
  coalesce(c.event->'details'->>'sla_seconds', s.event->'details'->>'sla_seconds') as sla_seconds,
  c.event->'details'->>'withinSla' as within_sla, b.seq as sla_breached_seq
from audit_ledger s
left join lateral (${leaverEvent('identity.leaver.completed')}) c on true
left join lateral (${leaverEvent('identity.leaver.sla_breached')}) b on true
where s.event_type = 'identity.leaver.started'
  and s.recorded_at >= :period_start and s.recorded_at < :period_end and s.seq <= :tree_size
order by s.seq`,
  },
  {
    id: 'campaign_items',
    title: 'Items of the certification campaigns launched in the period, with every decision',
    key: 'item_id',
    columns: [
      'item_id',
      'campaign_id',
      'campaign',
      'due_at',
      'grant_id',
      'holder',
      'resource',
      'entitlement',
      'reviewer',
      'decision',
      'decided_by',
      'decided_at',
      'decision_source',
      'reason',
      'revocation_status',
    ],
    query: `select i.id::text as item_id, c.id::text as campaign_id, c.name as campaign, ${ts('c.due_at')} as due_at,
  i.grant_id::text as grant_id, h.email as holder, r.key as resource, e.key as entitlement,
  v.email as reviewer,
  case when i.decided_at <= :as_of then i.decision::text end as decision,
  case when i.decided_at <= :as_of then d.email end as decided_by,
  case when i.decided_at <= :as_of then ${ts('i.decided_at')} end as decided_at,
  case when i.decided_at <= :as_of then i.decision_source::text end as decision_source,
  case when i.decided_at <= :as_of then i.reason end as reason,
  case when i.decided_at <= :as_of then i.revocation_status::text end as revocation_status
from campaign_items i
join campaigns c on c.id = i.campaign_id
join people h on h.id = i.holder_id
join people v on v.id = i.reviewer_id
left join people d on d.id = i.decided_by_id
join entitlements e on e.id = i.entitlement_id
join resources r on r.id = e.resource_id
where c.launched_at >= :period_start and c.launched_at < :period_end and c.launched_at <= :as_of
order by c.launched_at, c.id, i.id`,
  },
  {
    id: 'config_changes',
    title: 'Policy, directory and catalog changes recorded in the ledger in the period',
    key: 'seq',
    columns: LEDGER_COLUMNS,
    query: ledgerQuery(
      `l.event_type in ('config.directory.imported', 'config.policy.changed') or l.event_type like 'identity.person.%' or l.event_type like 'identity.group.%'`,
    ),
  },
  {
    id: 'admin_actions',
    title: 'Administrative actions recorded in the ledger in the period',
    key: 'seq',
    columns: LEDGER_COLUMNS,
    query: ledgerQuery(`l.event_type in (${quoted(ADMIN_EVENT_TYPES)}) or l.event->'actor' ? 'on_behalf_of'`),
  },
  {
    id: 'refused_attempts',
    title: 'Refused and denied attempts recorded in the ledger in the period',
    key: 'seq',
    columns: LEDGER_COLUMNS,
    query: ledgerQuery(
      `l.event->>'result' = 'denied' or l.event_type like '%.refused' or l.event_type like 'security.%'`,
    ),
  },
  {
    id: 'log_reviews',
    title:
      "Security events under the period's log reviews, one row per event, with who reviewed it and the review's sign-off",
    key: 'item_id',
    columns: [
      'item_id',
      'review_id',
      'period',
      'reviewer_group',
      'opened_at',
      'due_at',
      'review_status',
      'signed_off_by',
      'signed_off_at',
      'seq',
      'event_type',
      'summary',
      'reviewed_by',
      'reviewed_at',
      'note',
      'action_taken',
    ],
    query: `select i.id::text as item_id, r.id::text as review_id, r.period, r.reviewer_group,
  ${ts('r.created_at')} as opened_at, ${ts('r.due_at')} as due_at,
  case when r.signed_off_at <= :as_of then 'signed_off' else 'open' end as review_status,
  case when r.signed_off_at <= :as_of then s.email end as signed_off_by,
  case when r.signed_off_at <= :as_of then ${ts('r.signed_off_at')} end as signed_off_at,
  i.ledger_seq as seq, i.event_type, i.summary,
  case when i.reviewed_at <= :as_of then v.email end as reviewed_by,
  case when i.reviewed_at <= :as_of then ${ts('i.reviewed_at')} end as reviewed_at,
  case when i.reviewed_at <= :as_of then i.note end as note,
  case when i.reviewed_at <= :as_of then i.action_taken::text end as action_taken
from log_review_items i
join log_reviews r on r.id = i.review_id
left join people s on s.id = r.signed_off_by_id
left join people v on v.id = i.reviewed_by_id
where r.period_start >= :period_start and r.period_end <= :period_end and r.created_at <= :as_of
order by r.period_start, r.id, i.id`,
  },
];
