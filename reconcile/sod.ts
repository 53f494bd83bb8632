// Separation of duties on access people hold now, not only when they ask: a rule added after the
// fact, an import, or an adopted orphan can put someone in breach. Each breach is a finding
// (`sod_violation`, one per rule and person), open until the person no longer holds the set.
import { randomUUID } from 'node:crypto';
import { type AuditWrite, appendToIntake } from '../audit/intake.js';
import type { Executor } from '../db/client.js';
import { type FindingSighting, recordSightings, resolveUnseen } from '../db/queries/findings.js';
import { type HeldAccess, listActiveHoldings } from '../db/queries/grants.js';
import { listSodRules } from '../db/queries/sod-rules.js';
import type { SodRule } from '../db/schema.js';

/** A rule broken by a person's current grants. */
export type SodBreach = { rule: SodRule; personId: string; email: string; grantIds: string[] };

/**
 * Who breaks which rule with what they hold. A `deny` rule is broken by holding the whole set; a
 * `require_approval` rule only when one of the grants did not come through a request (a request
 * for the last of the set went through the rule's extra approval step; an import or adoption did not).
 */
export function findSodBreaches(rules: SodRule[], holdings: HeldAccess[]): SodBreach[] {
  const byPerson = new Map<string, HeldAccess[]>();
  for (const held of holdings) byPerson.set(held.holderId, [...(byPerson.get(held.holderId) ?? []), held]);
  const breaches: SodBreach[] = [];
  for (const rule of rules) {
    for (const [personId, held] of byPerson) {
      const covering = rule.entitlementKeys.map((key) => held.find((h) => h.entitlementRef === key));
      if (covering.some((h) => h === undefined)) continue;
      const grants = covering as HeldAccess[];
      if (rule.action === 'require_approval' && grants.every((g) => g.source === 'request')) continue;
      breaches.push({
        rule,
        personId,
        email: grants[0]?.holderEmail ?? '',
        grantIds: grants.map((g) => g.grantId),
      });
    }
  }
  return breaches;
}

const sighting = (breach: SodBreach): FindingSighting => ({
  kind: 'sod_violation',
  fingerprint: `sod_violation:${breach.rule.id}:${breach.personId}`,
  resourceId: null,
  entitlementId: null,
  personId: breach.personId,
  grantId: null,
  account: null,
  sodRuleId: breach.rule.id,
  detail: { rule: breach.rule.key, entitlements: breach.rule.entitlementKeys, grants: breach.grantIds },
});

/** What one check found. */
export type SodCheck = { runId: string; breaches: number; opened: number; resolved: number };

/** Checks every active rule against current grants, records breaches and resolves mended ones. */
export async function checkSodOnHoldings(deps: { db: Executor }, actor: { id: string }): Promise<SodCheck> {
  const runId = randomUUID();
  const breaches = findSodBreaches(await listSodRules(deps.db), await listActiveHoldings(deps.db));
  const sightings = breaches.map(sighting);
  const open = await recordSightings(deps.db, runId, sightings);
  const gone = await resolveUnseen(deps.db, {
    resourceId: null,
    runId,
    kinds: ['sod_violation'],
    seenFingerprints: sightings.map((s) => s.fingerprint),
  });
  const event = (
    id: string,
    type: 'reconciliation.finding.opened' | 'reconciliation.finding.resolved',
    details: Record<string, unknown>,
  ): AuditWrite => ({
    idempotencyKey: `${runId}:${type}:${id}`,
    event: {
      event_id: randomUUID(),
      occurred_at: new Date().toISOString(),
      event_type: type,
      actor: { type: 'system', id: actor.id },
      source: { service: 'grantflow' },
      target: { type: 'finding', id, name: 'separation-of-duties violation' },
      action: type.endsWith('opened') ? 'open' : 'resolve',
      result: 'success',
      details,
    },
  });
  await appendToIntake(deps.db, [
    ...open
      .filter((f) => f.opened)
      .map((f) => event(f.id, 'reconciliation.finding.opened', { kind: f.kind, ...(f.detail as object) })),
    ...gone.map((f) => event(f.id, 'reconciliation.finding.resolved', { kind: f.kind, resolution: 'gone' })),
  ]);
  return {
    runId,
    breaches: breaches.length,
    opened: open.filter((f) => f.opened).length,
    resolved: gone.length,
  };
}
