// The whole chain of evidence behind one sampled row: the ledger events that tell its story, from
// the request (with the policy's plan, which names the policy version in force) through each
// approval, provisioning and its read-back, to the expiry or revocation and its verification.
import type postgres from 'postgres';
import type { PopulationId } from '../domain/evidence.js';

type Tx = postgres.TransactionSql;

const grantChain = `select l.seq from audit_ledger l, grants g
where g.id::text = $1 and l.seq <= $2 and (
  (g.request_id is not null and l.event->'correlation'->>'request_id' = g.request_id::text)
  or l.event->'correlation'->>'grant_id' = g.id::text
  or (l.event->'target'->>'type' = 'grant' and l.event->'target'->>'id' = g.id::text))`;

/** Each population's chain query: $1 the row's key, $2 the checkpoint's tree size. */
const CHAINS: Record<PopulationId, string> = {
  grants_provisioned: grantChain,
  privileged_grants: grantChain,
  revocations: grantChain,
  requests_decisions: `select l.seq from audit_ledger l
where l.seq <= $2 and l.event->'correlation'->>'request_id' = $1`,
  campaign_items: `select l.seq from audit_ledger l, campaign_items i, grants g
where i.id::text = $1 and g.id = i.grant_id and l.seq <= $2 and (
  l.event->'target'->>'id' = i.campaign_id::text || '/' || i.id::text
  or (l.event_type in ('campaign.launched', 'campaign.population.snapshot', 'campaign.signed_off')
      and l.event->'correlation'->>'campaign_id' = i.campaign_id::text)
  or (g.request_id is not null and l.event->'correlation'->>'request_id' = g.request_id::text)
  or l.event->'correlation'->>'grant_id' = g.id::text)`,
  leavers: `select l.seq from audit_ledger l
where l.seq <= $2 and l.event->'target'->>'type' = 'person' and l.event->'target'->>'id' = $1
  and (l.event_type like 'identity.leaver.%' or l.event_type in ('identity.person.deactivated', 'identity.person.deleted'))`,
  config_changes: `select l.seq from audit_ledger l where l.seq = $1::bigint and l.seq <= $2`,
  admin_actions: `select l.seq from audit_ledger l where l.seq = $1::bigint and l.seq <= $2`,
  refused_attempts: `select l.seq from audit_ledger l where l.seq = $1::bigint and l.seq <= $2`,
  // The event reviewed, the review's opening and sign-off, and the call that marked this item.
  log_reviews: `select l.seq from audit_ledger l, log_review_items i
where i.id::text = $1 and l.seq <= $2 and (
  l.seq = i.ledger_seq
  or (l.event->'target'->>'type' = 'log_review' and l.event->'target'->>'id' = i.review_id::text
      and (l.event_type in ('audit.log_review.opened', 'audit.log_review.signed_off')
           or l.event->'details'->'items' @> to_jsonb(i.id))))`,
};

/** The query that finds a row's chain, as the sample file states it. */
export function chainQuery(population: PopulationId): string {
  return `${CHAINS[population]}\norder by l.seq`;
}

/** The ledger positions of one sampled row's chain, oldest first. */
export async function chainOf(
  tx: Tx,
  population: PopulationId,
  key: string,
  treeSize: number,
): Promise<number[]> {
  const rows = await tx.unsafe<{ seq: string }[]>(chainQuery(population), [key, treeSize]);
  return rows.map((row) => Number(row.seq));
}
