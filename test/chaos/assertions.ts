// What must hold after the kills, each check returning the problems it found (empty: held), so a
// run reports every broken promise at once rather than the first:
// - every request in its right terminal or waiting state, with a live workflow when it waits;
// - every grant and every removal done exactly once at the target (the connector's GRANT and
//   REVOKE statements, counted in the target server's log), and the target holding what it should;
// - every acknowledged API write in the ledger exactly once, the ledger dense and free of duplicates.
import { databaseUserFor } from '../../connectors/index.js';
import type { Ack } from './client.js';
import type { CampaignLoad, Journey } from './load.js';
import { LEGACY_ENTITLEMENT } from './organisation.js';
import type { ChaosStack } from './stack.js';

const WAITING = new Set([
  'pending',
  'pending_approval',
  'provisioning',
  'awaiting_fulfilment',
  'provisioning_failed',
]);

async function workflowRunning(stack: ChaosStack, workflowId: string): Promise<boolean> {
  const client = await stack.temporalClient();
  try {
    const description = await client.workflow.getHandle(workflowId).describe();
    return description.status.name === 'RUNNING';
  } catch {
    return false;
  }
}

/** Every journey ended as its fate says; every other request is closed (a retried filing's leftover). */
export async function checkRequests(stack: ChaosStack, journeys: Journey[]): Promise<string[]> {
  const problems: string[] = [];
  const rows = await stack.owner<
    {
      id: string;
      status: string;
      outcome: string | null;
      grant_status: string | null;
      grant_id: string | null;
      removal_verified: boolean | null;
    }[]
  >`
    select r.id, r.status, r.outcome, g.status as grant_status, g.id as grant_id, g.removal_verified
    from access_requests r left join grants g on g.request_id = r.id`;
  const byId = new Map(rows.map((row) => [row.id, row]));
  const expected: Record<Journey['fate'], { request: string; grant: string | null }> = {
    denied: { request: 'denied', grant: null },
    released: { request: 'granted', grant: 'released' },
    expires: { request: 'granted', grant: 'expired' },
    kept: { request: 'granted', grant: 'active' },
  };
  for (const journey of journeys) {
    const label = `${journey.requester} ${journey.entitlement} (${journey.fate})`;
    if (journey.failure) problems.push(`${label}: the journey failed: ${journey.failure}`);
    const row = journey.requestId ? byId.get(journey.requestId) : undefined;
    if (!row) {
      problems.push(`${label}: no request row`);
      continue;
    }
    const want = expected[journey.fate];
    if (row.status !== want.request || row.grant_status !== want.grant)
      problems.push(
        `${label}: request ${row.status}, grant ${row.grant_status}; expected ${want.request}, ${want.grant}`,
      );
    if (want.grant === 'released' || want.grant === 'expired') {
      if (row.removal_verified !== true) problems.push(`${label}: removal not verified at the target`);
    }
    if (want.grant === 'active' && row.grant_id && !(await workflowRunning(stack, `grant:${row.grant_id}`)))
      problems.push(`${label}: its grant's lifetime workflow is not running`);
  }
  const mine = new Set(journeys.map((j) => j.requestId));
  for (const row of rows.filter((r) => !mine.has(r.id))) {
    // A filing whose answer was lost may leave a request the client never saw: it must be closed
    // with a reason, or still be running its workflow.
    if (WAITING.has(row.status) && !(await workflowRunning(stack, `access-request:${row.id}`)))
      problems.push(`request ${row.id} nobody filed twice is ${row.status} with no workflow running`);
    else if (row.status === 'granted')
      problems.push(`request ${row.id} granted, but no journey asked for it`);
  }
  return problems;
}

/** What the target must have seen: one GRANT per grant made, one REVOKE per grant ended, no more. */
export async function checkTarget(
  stack: ChaosStack,
  journeys: Journey[],
  campaign: CampaignLoad,
  revokedItems: { holder: string }[],
): Promise<string[]> {
  const problems: string[] = [];
  const key = (kind: string, role: string, member: string) => `${kind} ${role} ${member}`;
  const want = new Map<string, number>();
  for (const journey of journeys) {
    if (journey.fate === 'denied') continue;
    const role = stack.org.roleOf('app', journey.entitlement);
    const member = databaseUserFor(journey.requester);
    want.set(key('grant', role, member), 1);
    if (journey.fate !== 'kept') want.set(key('revoke', role, member), 1);
  }
  for (const item of revokedItems)
    want.set(key('revoke', stack.org.roleOf('legacy', LEGACY_ENTITLEMENT), databaseUserFor(item.holder)), 1);
  const seen = new Map<string, number>();
  for (const change of stack.org.roleChanges()) {
    const k = key(change.kind, change.role, change.member);
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  for (const k of new Set([...want.keys(), ...seen.keys()])) {
    if ((want.get(k) ?? 0) !== (seen.get(k) ?? 0))
      problems.push(`target: ${k} ran ${seen.get(k) ?? 0} times, expected ${want.get(k) ?? 0}`);
  }
  if (campaign.failure) problems.push(`campaign load failed: ${campaign.failure}`);
  // And the target holds exactly what the active grants say.
  const held = await stack.owner<{ role: string; member: string }[]>`
    select r.rolname as role, u.rolname as member from pg_auth_members m
    join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member
    where r.rolname like 'app\\_%' or r.rolname like 'legacy\\_%'`;
  const active = await stack.owner<{ role: string; email: string }[]>`
    select e.connector_target->>'role' as role, p.email from grants g
    join entitlements e on e.id = g.entitlement_id join people p on p.id = g.person_id where g.status = 'active'`;
  const heldSet = new Set(
    held.filter((h) => h.member !== 'chaos_connector').map((h) => `${h.role} ${h.member}`),
  );
  const activeSet = new Set(active.map((a) => `${a.role} ${databaseUserFor(a.email)}`));
  for (const h of heldSet) if (!activeSet.has(h)) problems.push(`target holds ${h} with no active grant`);
  for (const a of activeSet) if (!heldSet.has(a)) problems.push(`active grant ${a} not held at the target`);
  return problems;
}

/** The ledger events an acknowledged write must have left, exactly one each. */
type WantedEvent = {
  what: string;
  type: string;
  where: 'key' | 'item' | 'request_id' | 'grant_id' | 'campaign_id';
  value: string;
};

function expectedEvents(ack: Ack, campaignId: string | undefined): WantedEvent[] {
  const answer = ack.answer.body;
  if (ack.path === '/api/v1/requests')
    return [
      {
        what: `filing ${answer.id}`,
        type: 'access.request.created',
        where: 'request_id',
        value: String(answer.id),
      },
    ];
  const decision = /^\/api\/v1\/requests\/([^/]+)\/decisions$/.exec(ack.path);
  if (decision) {
    const body = ack.body as { decision: string };
    // The decision's own record, by its key (a denial is followed by the request's closing record).
    return [
      {
        what: `${ack.as}'s ${body.decision} of ${decision[1]}`,
        type: body.decision === 'approve' ? 'access.request.approved' : 'access.request.denied',
        where: 'key',
        value: `access-request:${decision[1]}:step:%:${body.decision}:${ack.as}`,
      },
    ];
  }
  const release = /^\/api\/v1\/grants\/([^/]+)\/release$/.exec(ack.path);
  if (release)
    return [
      {
        what: `release of ${release[1]}`,
        type: 'access.grant.released',
        where: 'grant_id',
        value: release[1] ?? '',
      },
    ];
  if (ack.path === '/api/v1/campaigns')
    return [
      {
        what: 'the campaign launch',
        type: 'campaign.launched',
        where: 'campaign_id',
        value: String(answer.campaignId),
      },
    ];
  if (ack.path === `/api/v1/campaigns/${campaignId}/decisions`) {
    const body = ack.body as { decision: string };
    return ((answer.applied ?? []) as number[]).map((item) => ({
      what: `${ack.as}'s ${body.decision} of item ${item}`,
      type: body.decision === 'keep' ? 'campaign.item.kept' : 'campaign.item.revoked',
      where: 'item',
      value: `${campaignId}/${item}`,
    }));
  }
  throw new Error(`no rule for the acknowledged write ${ack.method} ${ack.path}`);
}

async function countEvents(stack: ChaosStack, want: WantedEvent): Promise<number> {
  const [row] =
    want.where === 'key'
      ? await stack.owner<{ n: number }[]>`
        select count(*)::int as n from audit_ledger where event_type = ${want.type} and idempotency_key like ${want.value}`
      : want.where === 'item'
        ? await stack.owner<{ n: number }[]>`
          select count(*)::int as n from audit_ledger where event_type = ${want.type} and event->'target'->>'id' = ${want.value}`
        : await stack.owner<{ n: number }[]>`
          select count(*)::int as n from audit_ledger where event_type = ${want.type}
            and event->'correlation'->>${want.where} = ${want.value}`;
  return row?.n ?? 0;
}

/** Figures of the ledger, for the report. */
export type LedgerFigures = { entries: number; acknowledgedWrites: number; checkedEvents: number };

/**
 * Every acknowledged write's event exactly once, and each provisioning and removal the journeys
 * saw; seq dense from 1; no duplicate event or key; nothing left unsequenced.
 */
export async function checkLedger(
  stack: ChaosStack,
  acks: Ack[],
  journeys: Journey[],
  campaignId: string | undefined,
): Promise<{ problems: string[]; figures: LedgerFigures }> {
  const problems: string[] = [];
  const [shape] = await stack.owner<
    { n: number; min: number | null; max: number | null; ids: number; keys: number; unsequenced: number }[]
  >`
    select count(*)::int as n, min(seq)::int as min, max(seq)::int as max,
      count(distinct event_id)::int as ids, count(distinct idempotency_key)::int as keys,
      (select count(*)::int from audit_intake where seq is null) as unsequenced
    from audit_ledger`;
  if (!shape) throw new Error('no ledger figures');
  if (shape.n > 0 && (shape.min !== 1 || shape.max !== shape.n))
    problems.push(`ledger seq is not dense: ${shape.n} entries from ${shape.min} to ${shape.max}`);
  if (shape.ids !== shape.n) problems.push(`ledger: ${shape.n - shape.ids} duplicate event ids`);
  if (shape.keys !== shape.n) problems.push(`ledger: ${shape.n - shape.keys} duplicate idempotency keys`);
  if (shape.unsequenced > 0) problems.push(`ledger: ${shape.unsequenced} intake rows never sequenced`);
  let checkedEvents = 0;
  for (const ack of acks) {
    for (const want of expectedEvents(ack, campaignId)) {
      checkedEvents += 1;
      const n = await countEvents(stack, want);
      if (n !== 1) problems.push(`ledger: ${want.what} (acknowledged) is there ${n} times`);
    }
  }
  // And what the workflows did for them: each grant made once, each ended grant removed once.
  for (const journey of journeys) {
    if (!journey.grantId) continue;
    const wanted: WantedEvent[] = [
      {
        what: `provisioning of ${journey.grantId}`,
        type: 'access.grant.provisioned',
        where: 'request_id',
        value: journey.requestId ?? '',
      },
    ];
    if (journey.fate !== 'kept')
      wanted.push({
        what: `removal of ${journey.grantId}`,
        type: 'access.grant.deprovisioned',
        where: 'grant_id',
        value: journey.grantId,
      });
    for (const want of wanted) {
      checkedEvents += 1;
      const n = await countEvents(stack, want);
      if (n !== 1) problems.push(`ledger: ${want.what} is there ${n} times`);
    }
  }
  return { problems, figures: { entries: shape.n, acknowledgedWrites: acks.length, checkedEvents } };
}
