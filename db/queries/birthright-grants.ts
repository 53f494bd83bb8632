// What the birthright sweep compares: the entitlements active people are entitled to by the active
// birthright rules (their department, or a group they belong to), against the grants they hold.
// Both comparisons are one set-based query each that returns nothing when nothing changed, so the
// worker can run them every few seconds.
import { sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { grants } from '../schema.js';

/**
 * Every (active person, entitlement, rule) a rule gives, as a subquery. Entitlements of retired
 * rules, retired catalog entries and manual resources (the file refuses those) give nothing.
 */
const entitled = sql`(
  with rule_entitlements as (
    select r.id as rule_id, r.name as rule_name, r.department, r.group_key, e.id as entitlement_id
    from birthright_rules r
    cross join lateral jsonb_array_elements_text(r.entitlement_keys) as ref(value)
    join resources res on res.key = split_part(ref.value, '/', 1)
      and res.status = 'active' and res.connector_kind <> 'manual'
    join entitlements e on e.resource_id = res.id and e.key = split_part(ref.value, '/', 2)
      and e.status = 'active'
    where r.status = 'active'
  )
  select p.id as person_id, re.entitlement_id, re.rule_id, re.rule_name
  from rule_entitlements re
  join people p on p.status = 'active' and lower(p.department) = lower(re.department)
  where re.department is not null
  union all
  select p.id, re.entitlement_id, re.rule_id, re.rule_name
  from rule_entitlements re
  join groups g on g.key = re.group_key
  join group_members gm on gm.group_id = g.id
  join people p on p.id = gm.person_id and p.status = 'active'
  where re.group_key is not null
)`;

/**
 * How long a pair waits after another grant of it ended while its removal may still be running:
 * the old grant's removal and the new grant's provisioning act on the same membership at the
 * target, and the removal must not come last. Readable targets record the removal within seconds.
 */
const REMOVAL_SETTLE = sql`interval '15 minutes'`;

/** An entitlement an active person is entitled to by a rule and holds by no active grant. */
export type MissingBirthright = {
  personId: string;
  holderEmail: string;
  entitlementId: string;
  entitlementRef: string;
  ruleId: string;
  ruleName: string;
  /** The rule's condition, as the file wrote it. */
  when: { department: string } | { group: string };
};

/**
 * Up to `limit` missing birthright grants, one per person and entitlement (by the first rule in
 * name order when several give it), in person and entitlement order. A pair whose earlier grant
 * ended moments ago waits until its removal is recorded (see REMOVAL_SETTLE).
 */
export async function listMissingBirthright(db: Executor, limit: number): Promise<MissingBirthright[]> {
  const rows = await db.execute<{
    person_id: string;
    email: string;
    entitlement_id: string;
    entitlement_ref: string;
    rule_id: string;
    rule_name: string;
    department: string | null;
    group_key: string | null;
  }>(sql`
    select m.person_id, p.email, m.entitlement_id, res.key || '/' || e.key as entitlement_ref,
      m.rule_id, m.rule_name, r.department, r.group_key
    from (
      select distinct on (en.person_id, en.entitlement_id) en.*
      from ${entitled} en
      where not exists (
        select 1 from grants g
        where g.person_id = en.person_id and g.entitlement_id = en.entitlement_id and g.status = 'active'
      )
      and not exists (
        select 1 from grants g
        where g.person_id = en.person_id and g.entitlement_id = en.entitlement_id
          and g.status <> 'active' and g.removal_verified is null and g.ended_at > now() - ${REMOVAL_SETTLE}
      )
      order by en.person_id, en.entitlement_id, en.rule_name
    ) m
    join people p on p.id = m.person_id
    join entitlements e on e.id = m.entitlement_id
    join resources res on res.id = e.resource_id
    join birthright_rules r on r.id = m.rule_id
    order by m.person_id, m.entitlement_id
    limit ${limit}`);
  return rows.map((row) => ({
    personId: row.person_id,
    holderEmail: row.email,
    entitlementId: row.entitlement_id,
    entitlementRef: row.entitlement_ref,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    when: row.department !== null ? { department: row.department } : { group: row.group_key ?? '' },
  }));
}

/** An active birthright grant of an active person that no active rule gives any more. */
export type StaleBirthright = {
  grantId: string;
  holderEmail: string;
  entitlementRef: string;
  /** The rule that gave it (perhaps retired since). */
  ruleName: string;
};

/**
 * Up to `limit` birthright grants to revoke, in grant id order: the holder is active (a leaver's
 * access is the leaver workflow's), the grant's lifetime workflow runs (one without is started by
 * the worker's loop first), and no active rule gives its entitlement to its holder any more.
 */
export async function listStaleBirthright(db: Executor, limit: number): Promise<StaleBirthright[]> {
  const rows = await db.execute<{
    id: string;
    email: string;
    entitlement_ref: string;
    rule_name: string;
  }>(sql`
    select g.id, p.email, res.key || '/' || e.key as entitlement_ref, r.name as rule_name
    from grants g
    join people p on p.id = g.person_id and p.status = 'active'
    join birthright_rules r on r.id = g.birthright_rule_id
    join entitlements e on e.id = g.entitlement_id
    join resources res on res.id = e.resource_id
    where g.status = 'active' and g.source = 'birthright' and g.lifetime_started_at is not null
      and not exists (
        select 1 from ${entitled} en
        where en.person_id = g.person_id and en.entitlement_id = g.entitlement_id
      )
    order by g.id
    limit ${limit}`);
  return rows.map((row) => ({
    grantId: row.id,
    holderEmail: row.email,
    entitlementRef: row.entitlement_ref,
    ruleName: row.rule_name,
  }));
}

/**
 * Records a birthright grant: standing access (no end date) from `birthright`, with no request;
 * its lifetime workflow provisions it. False when the person already holds it by birthright (the
 * partial unique index `grants_birthright_active_key`).
 */
export async function insertBirthrightGrant(
  db: Executor,
  row: { id: string; personId: string; entitlementId: string; ruleId: string },
): Promise<boolean> {
  const inserted = await db
    .insert(grants)
    .values({
      id: row.id,
      personId: row.personId,
      entitlementId: row.entitlementId,
      source: 'birthright',
      birthrightRuleId: row.ruleId,
      grantedAt: new Date(),
      expiresAt: null,
    })
    .onConflictDoNothing()
    .returning({ id: grants.id });
  return inserted.length > 0;
}
