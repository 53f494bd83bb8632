// The quarter's ledger events for `npm run bench -- evidence`, written by set-based SQL into a
// staging table (`bench.events`, time-ordered later by the intake insert): the events the product
// records along each request, grant, campaign item and leaver of evidence-seed.ts, with the
// correlation ids the pack's tests and evidence chains follow, plus ledger reads, refused calls and
// policy changes; approval reminders fill the count up to exactly `events` in the quarter.
import type postgres from 'postgres';
import type { AuditEventType } from '../audit/events.js';
import { progress } from './harness.js';

type Tx = postgres.TransactionSql;

/**
 * One kind of event: `at` and the event's parts are SQL over the rows of `from` (filtered by
 * `where`); the type is fixed, or chosen by SQL per row.
 */
type EventKind = {
  type: AuditEventType | { sql: string };
  from: string;
  where?: string;
  at: string;
  actor: string;
  target: string;
  action: string;
  result?: string;
  reason?: string;
  correlation?: string;
  details?: string;
};

const SYSTEM = `'{"type":"system","id":"grantflow-worker"}'::jsonb`;
const POLICY = `'{"type":"policy","id":"bench"}'::jsonb`;
const ADMIN = `bench.person('admin@bench.test')`;
const iso = (at: string) => `to_char((${at}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const requestTarget = `jsonb_build_object('type', 'request', 'id', p.request_id)`;
const grantTarget = `jsonb_build_object('type', 'grant', 'id', p.grant_id)`;
const byRequest = `jsonb_build_object('request_id', p.request_id)`;
const byGrant = `jsonb_build_object('request_id', p.request_id, 'grant_id', p.grant_id)`;

/** The SQL helpers the kinds use: an event builder and a person actor. */
export async function createEventHelpers(tx: Tx): Promise<void> {
  await tx`create table bench.events (at timestamptz not null, event jsonb not null)`;
  await tx`
    create function bench.person(text) returns jsonb language sql immutable
    as $$ select jsonb_build_object('type', 'person', 'id', $1, 'email', $1) $$`;
  // $1 at, $2 type, $3 actor, $4 target, $5 action, $6 result, $7 reason, $8 correlation, $9 details;
  // absent parts are SQL nulls, stripped.
  await tx.unsafe(`
    create function bench.event(timestamptz, text, jsonb, jsonb, text, text, text, jsonb, jsonb) returns jsonb
    language sql volatile as $$
      select jsonb_strip_nulls(jsonb_build_object('event_id', gen_random_uuid(), 'occurred_at', ${iso('$1')},
        'event_type', $2, 'actor', $3, 'source', '{"service":"grantflow-worker","host":"bench"}'::jsonb,
        'target', $4, 'action', $5, 'result', $6, 'reason', $7, 'correlation', $8, 'details', $9))
    $$`);
}

async function insertKind(tx: Tx, kind: EventKind, before: string): Promise<number> {
  const type = typeof kind.type === 'string' ? `'${kind.type}'` : kind.type.sql;
  const rows = await tx.unsafe(
    `insert into bench.events (at, event)
    select t.at, bench.event(t.at, ${type}, ${kind.actor}, ${kind.target}, '${kind.action}',
      ${kind.result ?? `'success'`}, ${kind.reason ?? 'null'}, ${kind.correlation ?? 'null'}, ${kind.details ?? 'null'})
    from ${kind.from} cross join lateral (select ${kind.at} as at) t
    where t.at < $1::timestamptz and (${kind.where ?? 'true'})`,
    [before],
  );
  return rows.count;
}

const grantEnds = `grants g
  join people h on h.id = g.person_id
  left join people b on b.id = g.ended_by_id
  join entitlements e on e.id = g.entitlement_id join resources r on r.id = e.resource_id
  left join bench.plan p on p.grant_id = g.id`;
const endCorrelation = `jsonb_build_object('request_id', g.request_id, 'grant_id', g.id,
  'campaign_id', substring(g.end_reason from 'campaign (.*)$'))`;

/** Everything the requests, grants, campaign and leavers of the quarter record. */
const KINDS: [string, EventKind][] = [
  [
    'request created',
    {
      type: 'access.request.created',
      from: 'bench.plan p',
      at: 'p.created_at',
      actor: `case when p.on_behalf then jsonb_build_object('type', 'person', 'id', 'admin@bench.test',
        'email', 'admin@bench.test', 'on_behalf_of', p.holder) else bench.person(p.holder) end`,
      target: `jsonb_build_object('type', 'entitlement', 'id', p.resource || '/' || p.entitlement)`,
      action: 'request',
      correlation: byRequest,
      details: `jsonb_build_object('duration_seconds', p.dur_s, 'risk', p.risk)`,
    },
  ],
  [
    'request planned',
    {
      type: 'access.request.planned',
      from: 'bench.plan p',
      at: `p.created_at + interval '1 second'`,
      actor: POLICY,
      target: requestTarget,
      action: 'plan',
      correlation: byRequest,
      details: `jsonb_build_object('outcome', case when p.steps = 0 then 'auto_approve' else 'approval_required' end,
        'steps', p.steps)`,
    },
  ],
  [
    'auto-approved',
    {
      type: 'access.request.approved',
      from: 'bench.plan p',
      where: 'p.steps = 0',
      at: `p.created_at + interval '2 seconds'`,
      actor: POLICY,
      target: requestTarget,
      action: 'approve',
      correlation: byRequest,
    },
  ],
  [
    'approval decisions',
    {
      type: {
        sql: `case d.decision when 'approve' then 'access.request.approved' else 'access.request.denied' end`,
      },
      from: 'approval_decisions d join bench.plan p on p.request_id = d.request_id join people a on a.id = d.approver_id',
      at: 'd.decided_at',
      actor: 'bench.person(a.email)',
      target: requestTarget,
      action: 'decide',
      correlation: byRequest,
      details: `jsonb_build_object('step', d.step_index, 'decision', d.decision)`,
    },
  ],
  [
    'fulfilment requested',
    {
      type: 'access.fulfilment.requested',
      from: 'bench.plan p',
      where: `p.connector = 'manual' and p.granted_at is not null`,
      at: `p.granted_at - interval '19 minutes'`,
      actor: SYSTEM,
      target: requestTarget,
      action: 'request_fulfilment',
      correlation: byRequest,
    },
  ],
  [
    'fulfilment completed',
    {
      type: 'access.fulfilment.completed',
      from: 'bench.plan p',
      where: `p.connector = 'manual' and p.granted_at is not null`,
      at: `p.granted_at - interval '5 seconds'`,
      actor: `bench.person(case when p.owner_fulfils then p.owner else 'it-ops@bench.test' end)`,
      target: requestTarget,
      action: 'fulfil',
      correlation: byRequest,
    },
  ],
  [
    'grant provisioned',
    {
      type: 'access.grant.provisioned',
      from: 'bench.plan p',
      where: 'p.granted_at is not null',
      at: 'p.granted_at',
      actor: SYSTEM,
      target: grantTarget,
      action: 'provision',
      correlation: byGrant,
      details: `jsonb_build_object('holder', p.holder, 'entitlement', p.resource || '/' || p.entitlement)`,
    },
  ],
  [
    'grant read back',
    {
      type: 'access.grant.verified',
      from: 'bench.plan p',
      where: `p.granted_at is not null and p.connector <> 'manual'`,
      at: `p.granted_at + interval '3 seconds'`,
      actor: SYSTEM,
      target: grantTarget,
      action: 'verify',
      correlation: byGrant,
      details: `'{"state":"present"}'::jsonb`,
    },
  ],
  [
    'grant reminded',
    {
      type: 'access.grant.reminded',
      from: 'bench.plan p',
      where: 'p.granted_at is not null and p.dur_s >= 1209600',
      at: `p.expires_at - interval '3 days'`,
      actor: SYSTEM,
      target: grantTarget,
      action: 'remind',
      correlation: byGrant,
    },
  ],
  [
    'grant imported',
    {
      type: 'access.grant.imported',
      from: 'grants g join people h on h.id = g.person_id',
      where: `g.source = 'import'`,
      at: 'g.granted_at',
      actor: `'{"type":"system","id":"directory-import"}'::jsonb`,
      target: `jsonb_build_object('type', 'grant', 'id', g.id)`,
      action: 'import',
      correlation: `jsonb_build_object('grant_id', g.id)`,
      details: `jsonb_build_object('holder', h.email)`,
    },
  ],
  [
    'grant ended',
    {
      type: {
        sql: `case g.status when 'expired' then 'access.grant.expired' when 'released' then 'access.grant.released'
        else 'access.grant.revoked' end`,
      },
      from: grantEnds,
      where: 'g.ended_at is not null',
      at: 'g.ended_at',
      actor: `case when b.email is null then ${SYSTEM} else bench.person(b.email) end`,
      target: `jsonb_build_object('type', 'grant', 'id', g.id)`,
      action: 'end',
      reason: 'g.end_reason',
      correlation: endCorrelation,
    },
  ],
  [
    'grant deprovisioned',
    {
      type: 'access.grant.deprovisioned',
      from: grantEnds,
      where: 'g.ended_at is not null',
      at: `g.ended_at + interval '5 seconds'`,
      actor: SYSTEM,
      target: `jsonb_build_object('type', 'grant', 'id', g.id)`,
      action: 'deprovision',
      correlation: endCorrelation,
    },
  ],
  [
    'removal read back',
    {
      type: 'access.grant.verified',
      from: grantEnds,
      where: 'g.ended_at is not null and g.removal_verified is not null',
      at: `g.ended_at + interval '8 seconds'`,
      actor: SYSTEM,
      target: `jsonb_build_object('type', 'grant', 'id', g.id)`,
      action: 'verify',
      correlation: endCorrelation,
      details: `jsonb_build_object('state', case when g.removal_verified then 'absent' else 'present' end)`,
    },
  ],
  [
    'campaign',
    {
      type: { sql: 'k.type' },
      from: `campaigns c cross join lateral (values
        ('campaign.launched', c.launched_at, 'launch'),
        ('campaign.population.snapshot', c.launched_at + interval '1 minute', 'snapshot'),
        ('campaign.reminded', c.launched_at + interval '7 days', 'remind'),
        ('campaign.default_applied', c.due_at, 'apply_default'),
        ('campaign.signed_off', c.signed_off_at, 'sign_off'),
        ('campaign.closed', c.signed_off_at + interval '1 second', 'close')) as k(type, at, action)`,
      at: 'k.at',
      actor: `case when k.type in ('campaign.launched', 'campaign.signed_off') then ${ADMIN} else ${SYSTEM} end`,
      target: `jsonb_build_object('type', 'campaign', 'id', c.id, 'name', c.name)`,
      action: 'campaign',
      correlation: `jsonb_build_object('campaign_id', c.id)`,
      details: `jsonb_build_object('count', c.population_count, 'sha256', c.population_sha256)`,
    },
  ],
  [
    'campaign decisions',
    {
      type: { sql: `case i.decision when 'keep' then 'campaign.item.kept' else 'campaign.item.revoked' end` },
      from: 'campaign_items i join campaigns c on c.id = i.campaign_id join people d on d.id = i.decided_by_id',
      where: `i.decision_source = 'reviewer'`,
      at: 'i.decided_at',
      actor: 'bench.person(d.email)',
      target: `jsonb_build_object('type', 'campaign_item', 'id', c.id || '/' || i.id)`,
      action: 'decide',
      reason: 'i.reason',
      correlation: `jsonb_build_object('campaign_id', c.id, 'grant_id', i.grant_id)`,
    },
  ],
  [
    'leavers',
    {
      type: { sql: 'k.type' },
      from: `bench.leavers l cross join lateral (values
        ('identity.leaver.started', l.started_at, 'success'),
        ('identity.leaver.completed', l.completed_at, 'success'),
        ('identity.leaver.sla_breached', l.deactivated_at + interval '1 day', 'failure')) as k(type, at, result)`,
      where: `l.breached or k.type <> 'identity.leaver.sla_breached'`,
      at: 'k.at',
      actor: `'{"type":"system","id":"identity:leaver"}'::jsonb`,
      target: `jsonb_build_object('type', 'person', 'id', l.id, 'name', l.email)`,
      action: 'offboard',
      result: 'k.result',
      details: `jsonb_build_object('deactivated_at', ${iso('l.deactivated_at')}, 'sla_seconds', 86400)
        || case when k.type = 'identity.leaver.completed' then jsonb_build_object('grants', 5, 'verified', 5,
          'failed', 0, 'secondsToRemoval', extract(epoch from l.completed_at - l.deactivated_at)::int,
          'withinSla', not l.breached) else '{}'::jsonb end`,
    },
  ],
];

/** Ledger reads (a tenth by a holder with no token), refused calls and configuration changes. */
function otherKinds(start: string, end: string): [string, EventKind][] {
  const spread = (count: number) =>
    `${start}::timestamptz + n * (${end}::timestamptz - ${start}::timestamptz - interval '1 day') / ${count + 1}`;
  return [
    [
      'ledger reads',
      {
        type: { sql: `case when n % 10 = 5 then 'audit.export.created' else 'audit.search.performed' end` },
        from: 'generate_series(1, 220) as n',
        at: spread(220),
        actor: `bench.person(case when n % 10 = 0 then 'holder-000001@bench.test' when n % 2 = 1
          then 'auditor@bench.test' else 'admin@bench.test' end)`,
        target: `'{"type":"audit_ledger","id":"search"}'::jsonb`,
        action: 'search',
        details: `'{"filter":{}}'::jsonb`,
      },
    ],
    [
      'ledger verified',
      {
        type: 'audit.verify.performed',
        from: 'generate_series(1, 13) as n',
        at: spread(13),
        actor: `'{"type":"system","id":"audit-verify"}'::jsonb`,
        target: `'{"type":"audit_ledger","id":"verify"}'::jsonb`,
        action: 'verify',
        details: `'{"status":"intact"}'::jsonb`,
      },
    ],
    [
      'refused API calls',
      {
        type: 'security.auth.denied',
        from: 'generate_series(1, 500) as n',
        at: spread(500),
        actor: `bench.person(format('holder-%s@bench.test', lpad((n % 97 + 1)::text, 6, '0')))`,
        target: `'{"type":"api","id":"/api/v1/audit/events"}'::jsonb`,
        action: 'read',
        result: `'denied'`,
        reason: `'an employee token cannot read the audit ledger'`,
      },
    ],
    [
      'refused decisions',
      {
        type: 'access.decision.refused',
        from: 'bench.plan p',
        where: 'p.steps >= 1 and p.i % 331 = 3',
        at: `p.created_at + interval '90 seconds'`,
        actor: 'bench.person(p.holder)',
        target: requestTarget,
        action: 'approve',
        result: `'denied'`,
        reason: `'a requester cannot approve their own request'`,
        correlation: byRequest,
      },
    ],
    [
      'policy changes',
      {
        type: 'config.policy.changed',
        from: 'generate_series(1, 12) as n',
        at: spread(12),
        actor: ADMIN,
        target: `'{"type":"policy","id":"bench"}'::jsonb`,
        action: 'change',
        details: `jsonb_build_object('before', jsonb_build_object('version', n), 'after', jsonb_build_object('version', n + 1))`,
      },
    ],
    [
      'people updated by SCIM',
      {
        type: 'identity.person.updated',
        from: 'bench.holders h',
        where: 'h.n % 17 = 4',
        at: `${start}::timestamptz + h.n * interval '17 minutes'`,
        actor: `'{"type":"scim","id":"scim:okta"}'::jsonb`,
        target: `jsonb_build_object('type', 'person', 'id', h.id, 'name', h.email)`,
        action: 'update',
        details: `'{"before":{"title":"Engineer"},"after":{"title":"Senior Engineer"}}'::jsonb`,
      },
    ],
  ];
}

/** The directory import, tokens and policy of June, before the quarter (the start checkpoint covers them). */
function beforeKinds(start: string): [string, EventKind][] {
  return [
    [
      'set-up in June',
      {
        type: { sql: 'k.type' },
        from: `(values ('config.directory.imported', 30, '{"type":"directory","id":"directory.yaml"}'::jsonb),
          ('config.policy.changed', 29, '{"type":"policy","id":"bench"}'::jsonb),
          ('config.token.created', 28, '{"type":"api_token","id":"admin"}'::jsonb),
          ('config.token.created', 27, '{"type":"api_token","id":"auditor"}'::jsonb)) as k(type, days, target)`,
        at: `${start}::timestamptz - k.days * interval '1 day'`,
        actor: ADMIN,
        target: 'k.target',
        action: 'configure',
      },
    ],
  ];
}

/**
 * Writes every event into `bench.events`; returns how many fall in the quarter. Throws when the
 * seeded activity alone records more than `events`.
 */
export async function writeEvents(
  tx: Tx,
  times: { start: string; end: string },
  events: number,
): Promise<number> {
  const literal = (at: string) => `'${at}'`;
  const kinds = [
    ...beforeKinds(literal(times.start)),
    ...KINDS,
    ...otherKinds(literal(times.start), literal(times.end)),
  ];
  for (const [label, kind] of kinds) {
    const count = await insertKind(tx, kind, times.end);
    progress(`events: ${label}: ${count.toLocaleString('en-US')}`);
  }
  const [written] = await tx<{ n: number }[]>`
    select count(*)::int as n from bench.events where at >= ${times.start}::timestamptz`;
  const filler = events - written!.n;
  if (filler < 0) {
    throw new Error(
      `the seeded activity alone records ${written!.n} events in the quarter, more than BENCH_EVIDENCE_EVENTS=${events}; ` +
        'ask for more events or fewer grants (BENCH_EVIDENCE_GRANTS)',
    );
  }
  // Approval reminders, a few per request that waits for an approver, before its first decision.
  const count = await insertKind(
    tx,
    {
      type: 'access.request.reminded',
      from: `generate_series(1, ${filler}) as f
        join (select row_number() over (order by i)::int as k, * from bench.plan where steps >= 1) p
          on p.k = (f - 1) % (select count(*) from bench.plan where steps >= 1)::int + 1`,
      at: `p.created_at + interval '60 seconds'
        + ((f - 1) / (select count(*) from bench.plan where steps >= 1)::int) * interval '1 second'`,
      actor: SYSTEM,
      target: requestTarget,
      action: 'remind',
      correlation: byRequest,
      details: `jsonb_build_object('approvers', jsonb_build_array(p.manager))`,
    },
    times.end,
  );
  progress(
    `events: approval reminders (to reach ${events.toLocaleString('en-US')}): ${count.toLocaleString('en-US')}`,
  );
  return written!.n + count;
}
