// Reconciliation's side effects: read a resource's target to the end, compare it with the active
// grants, record the differences as findings (and resolve those no longer seen), then act on them
// as the resource says (revoke an orphan, adopt it as a grant, provision a missing grant again).
// Everything is idempotent by the run id and the finding fingerprints, so a retried or restarted
// activity converges on the same findings.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { AuditWrite } from '../audit/intake.js';
import { appendToIntake } from '../audit/intake.js';
import type { Connector, ProvisionInput } from '../connectors/connector.js';
import type { Connectors } from '../connectors/index.js';
import type { Database } from '../db/client.js';
import { listAllEntitlements } from '../db/queries/entitlements.js';
import {
  type FindingSighting,
  linkFindingToGrant,
  recordSightings,
  resolveFinding,
  resolveUnseen,
} from '../db/queries/findings.js';
import { insertGrant, listActiveGrantsOfResource } from '../db/queries/grants.js';
import { getPersonById, listAllPeople } from '../db/queries/people.js';
import { beginRun, finishRun } from '../db/queries/reconciliation-runs.js';
import { getResourceById, listAllResources } from '../db/queries/resources.js';
import type { Finding, Person, Resource } from '../db/schema.js';
import { canListAccess } from '../domain/index.js';
import { startComparison } from '../reconcile/compare.js';
import { checkSodOnHoldings, type SodCheck } from '../reconcile/sod.js';
import type { ReconcileCounts, ReconcileInput, ReconcileOutcome } from '../workflows/messages.js';
import { asFailure, connectorOf } from './connector-calls.js';

/** What reconciliation needs. */
export type ReconcileActivityDeps = { db: Database; connectors: Connectors };

const RECONCILED_KINDS = ['orphan', 'unknown_account', 'missing'] as const;

const system = { type: 'system' as const, id: 'reconciliation' };
const source = { service: 'grantflow-worker' };

function findingEvent(
  runId: string,
  resource: Resource,
  finding: Finding,
  eventType: 'reconciliation.finding.opened' | 'reconciliation.finding.resolved',
): AuditWrite {
  const opened = eventType === 'reconciliation.finding.opened';
  return {
    idempotencyKey: `${runId}:${opened ? 'opened' : 'resolved'}:${finding.id}`,
    event: {
      event_id: randomUUID(),
      occurred_at: new Date().toISOString(),
      event_type: eventType,
      actor: system,
      source,
      target: { type: 'finding', id: finding.id, name: `${finding.kind} on ${resource.key}` },
      action: opened ? 'open' : 'resolve',
      result: 'success',
      ...(opened ? {} : { reason: finding.resolution ?? 'resolved' }),
      correlation: {
        workflow_id: `reconcile:${runId}`,
        ...(finding.grantId ? { grant_id: finding.grantId } : {}),
      },
      details: {
        kind: finding.kind,
        resource: resource.key,
        account: finding.account,
        ...(finding.detail as Record<string, unknown>),
        ...(opened ? {} : { resolution: finding.resolution }),
      },
    },
  };
}

async function readWholeTarget(
  connector: Connector,
  entitlements: { key: string; target: Record<string, unknown> }[],
  pageSize: number,
  see: (holding: { entitlementKey: string; account: string }) => void,
): Promise<number> {
  if (!connector.listAccess)
    throw ApplicationFailure.nonRetryable('this connector cannot list access', 'not_listable');
  const listed = entitlements.map((e) => ({ entitlementKey: e.key, target: e.target }));
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await connector.listAccess(listed, { cursor, limit: pageSize });
    for (const holding of page.holdings) see(holding);
    cursor = page.nextCursor;
    pages += 1;
    Context.current().heartbeat({ pages });
  } while (cursor);
  return pages;
}

/** Activities that compare a target with its grants and act on the findings. */
export function createReconcileActivities(deps: ReconcileActivityDeps) {
  async function resourceOf(resourceId: string): Promise<Resource> {
    const resource = await getResourceById(deps.db, resourceId);
    if (!resource) throw ApplicationFailure.nonRetryable(`no resource ${resourceId}`, 'not_found');
    return resource;
  }

  /**
   * Applies the resource's policy to one open finding and resolves it; undefined when the policy
   * is to alert only. Adopting records the grant and resolves the finding in one transaction, so a
   * retry never adopts twice; a connector change is idempotent, so a retry repeats it harmlessly.
   */
  async function act(
    connector: Connector,
    resource: Resource,
    finding: Finding,
    entitlement: { key: string; target: ProvisionInput['target'] },
    peopleById: Map<string, Person>,
  ): Promise<Finding | undefined> {
    const person = finding.personId ? peopleById.get(finding.personId) : undefined;
    if (!person) return undefined;
    const input: ProvisionInput = {
      grantId: finding.grantId ?? finding.id,
      person: { email: person.email, name: person.name },
      resourceKey: resource.key,
      entitlementKey: entitlement.key,
      target: entitlement.target,
    };
    const by = { resolvedBy: 'reconciliation' };
    if (finding.kind === 'orphan' && resource.onOrphan === 'revoke') {
      await connector.revoke(input);
      return resolveFinding(deps.db, finding.id, { ...by, resolution: 'revoked' });
    }
    if (finding.kind === 'orphan' && resource.onOrphan === 'adopt' && finding.entitlementId) {
      const entitlementId = finding.entitlementId;
      return deps.db.transaction(async (tx) => {
        // Resolving first claims the finding: a concurrent or retried run finds it resolved.
        const resolved = await resolveFinding(tx, finding.id, { ...by, resolution: 'adopted' });
        if (!resolved) return undefined;
        const grantId = randomUUID();
        // The grant's lifetime workflow is started by the worker's loop for grants without one.
        await insertGrant(tx, {
          id: grantId,
          personId: person.id,
          entitlementId,
          source: 'reconciliation',
          grantedAt: new Date(),
          expiresAt: null,
        });
        return linkFindingToGrant(tx, finding.id, grantId);
      });
    }
    if (finding.kind === 'missing' && resource.onMissing === 'reprovision') {
      await connector.grant(input);
      return resolveFinding(deps.db, finding.id, { ...by, resolution: 'reprovisioned' });
    }
    return undefined;
  }

  return {
    /** Separation of duties on current holdings (the scheduled run's last step). */
    async checkSeparationOfDuties(): Promise<SodCheck> {
      return checkSodOnHoldings(deps, { id: 'reconciliation' });
    },

    /** The active resources whose connector can list what the target holds. */
    async listReconcilableResources(): Promise<{ id: string; key: string }[]> {
      return (await listAllResources(deps.db))
        .filter(
          (r) =>
            r.status === 'active' &&
            canListAccess({ kind: r.connectorKind, ...(r.connectorConfig as object) }),
        )
        .map((r) => ({ id: r.id, key: r.key }));
    },

    /** Opens the run's row (idempotent by run id). */
    async beginReconciliation(input: ReconcileInput): Promise<void> {
      await beginRun(deps.db, {
        id: input.runId,
        resourceId: input.resourceId,
        workflowId: input.workflowId,
      });
    },

    /**
     * Reads the target to the end, records what differs and acts per the resource's policy.
     * An unreadable target fails the activity (retried by the workflow's policy) before anything
     * is compared: findings are only ever drawn from a complete read.
     */
    async reconcileResource(input: ReconcileInput): Promise<ReconcileCounts> {
      const resource = await resourceOf(input.resourceId);
      const connector = connectorOf(deps.connectors, resource);
      if (!connector.accountOf)
        throw ApplicationFailure.nonRetryable('this connector cannot list access', 'not_listable');
      const accountOf = connector.accountOf.bind(connector);
      const entitlements = (await listAllEntitlements(deps.db))
        .filter((e) => e.resourceId === resource.id)
        .map((e) => ({ id: e.id, key: e.key, target: (e.connectorTarget ?? {}) as Record<string, unknown> }));
      const grants = await listActiveGrantsOfResource(deps.db, resource.key);
      // Read once: the accounts to match and the people the policy may act for.
      const people = await listAllPeople(deps.db);
      const peopleById = new Map(people.map((p) => [p.id, p]));
      const accounts = people.flatMap((p) => {
        try {
          return [{ personId: p.id, account: accountOf({ email: p.email, name: p.name }) }];
        } catch {
          return []; // nobody at the target can be this person
        }
      });
      const comparison = startComparison({
        resourceId: resource.id,
        entitlements,
        grants: grants.map((g) => ({
          grantId: g.id,
          personId: g.personId,
          entitlementKey: g.entitlementKey,
          account: accountOf({ email: g.holderEmail, name: g.holderName }),
        })),
        accounts,
      });
      try {
        await readWholeTarget(connector, entitlements, input.pageSize, (h) => comparison.see(h));
      } catch (error) {
        throw asFailure(error);
      }
      const { sightings, matched, holdings } = comparison.finish();

      const open = await recordSightings(deps.db, input.runId, sightings);
      const gone = await resolveUnseen(deps.db, {
        resourceId: resource.id,
        runId: input.runId,
        kinds: [...RECONCILED_KINDS],
        seenFingerprints: sightings.map((s: FindingSighting) => s.fingerprint),
      });
      const audit: AuditWrite[] = [
        ...open
          .filter((f) => f.opened)
          .map((f) => findingEvent(input.runId, resource, f, 'reconciliation.finding.opened')),
        ...gone.map((f) => findingEvent(input.runId, resource, f, 'reconciliation.finding.resolved')),
      ];

      const byKey = new Map(entitlements.map((e) => [e.id, e]));
      let acted = 0;
      for (const finding of open) {
        const entitlement = finding.entitlementId ? byKey.get(finding.entitlementId) : undefined;
        if (!entitlement) continue;
        try {
          const resolved = await act(connector, resource, finding, entitlement, peopleById);
          if (resolved) {
            acted += 1;
            audit.push(findingEvent(input.runId, resource, resolved, 'reconciliation.finding.resolved'));
          }
        } catch (error) {
          throw asFailure(error);
        }
      }
      await appendToIntake(deps.db, audit);
      const stillOpen = open.length - acted;
      return {
        holdings,
        grants: grants.length,
        matched,
        opened: open.filter((f) => f.opened).length,
        open: stillOpen,
        resolved: gone.length + acted,
        acted,
      };
    },

    /** Closes the run with its outcome, records it, and says whom to tell about open findings. */
    async finishReconciliation(
      input: ReconcileInput & ReconcileOutcome,
    ): Promise<{ notify: string[]; resourceName: string }> {
      const resource = await resourceOf(input.resourceId);
      await finishRun(deps.db, input.runId, {
        outcome: input.outcome,
        counts: input.counts ?? {},
        error: input.error,
      });
      const completed = input.outcome === 'completed';
      await appendToIntake(deps.db, [
        {
          idempotencyKey: `${input.runId}:finished`,
          event: {
            event_id: randomUUID(),
            occurred_at: new Date().toISOString(),
            event_type: `reconciliation.run.${input.outcome}` as const,
            actor: system,
            source,
            target: { type: 'resource', id: resource.id, name: resource.key },
            action: 'reconcile',
            result: completed ? 'success' : 'failure',
            ...(input.error ? { reason: input.error.slice(0, 2_000) } : {}),
            correlation: { workflow_id: input.workflowId },
            details: { run_id: input.runId, ...(input.counts ?? {}) },
          },
        },
      ]);
      const owner = await getPersonById(deps.db, resource.ownerId);
      return { notify: owner ? [owner.email] : [], resourceName: resource.name };
    },
  };
}
