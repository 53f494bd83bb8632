// Imported grants (access people held before grantflow), grants adopted by reconciliation and
// birthright grants arrive without a lifetime workflow: they are recorded in a database transaction,
// with no Temporal in reach. This hands each one to its `grantLifetime` workflow, so it expires, is
// released or revoked like a requested grant; a birthright grant's lifetime provisions it first.
import type { Client } from '@temporalio/client';
import type { Database } from '../db/client.js';
import { listGrantsAwaitingLifetime, markLifetimeStarted } from '../db/queries/grants.js';
import { connectorKindOf } from '../domain/index.js';
import { startOnce } from '../temporal/start-once.js';
import { grantWorkflowId } from '../workflows/ids.js';
import type { GrantLifetimeInput, ProvisioningRetry } from '../workflows/messages.js';

/** What starting lifetimes needs. */
export type StartLifetimesDeps = {
  db: Database;
  temporal: Client;
  taskQueue: string;
  provisioningRetry: ProvisioningRetry;
};

/** How many grants one pass looks at; the caller runs passes until one starts nothing. */
const BATCH = 200;

/**
 * Starts the lifetime workflow of up to one batch of grants that have none, and returns how many it
 * started. Idempotent: the workflow id is the grant's, so a second starter finds it running.
 */
export async function startImportedGrantLifetimes(deps: StartLifetimesDeps): Promise<number> {
  const waiting = await listGrantsAwaitingLifetime(deps.db, BATCH);
  for (const grant of waiting) {
    const expiresAt = grant.expiresAt ? new Date(grant.expiresAt).getTime() : null;
    const grantedAt = new Date(grant.grantedAt).getTime();
    const input: GrantLifetimeInput = {
      grantId: grant.id,
      holder: { email: grant.holderEmail, name: grant.holderName },
      resource: {
        key: grant.resourceKey,
        name: grant.resourceName,
        owner: grant.ownerEmail,
        // Resource rows hold the kind as text; an unknown one is treated as manual, as requests do.
        connectorKind: connectorKindOf(grant.connectorKind),
      },
      entitlement: {
        id: grant.entitlementId,
        key: grant.entitlementKey,
        name: grant.entitlementName,
        risk: grant.risk,
        maxDurationSeconds: grant.maxDurationSeconds,
      },
      grantedAt,
      expiresAt,
      // As for requested grants: a fifth of what is left, at most a day before the end.
      remindBeforeSeconds:
        expiresAt === null ? 0 : Math.min(86_400, Math.max(0, Math.floor((expiresAt - Date.now()) / 5000))),
      provisioningRetry: deps.provisioningRetry,
      // Imported and adopted grants are held already; a birthright grant is given by its lifetime.
      ...(grant.source === 'birthright' ? { provision: true } : {}),
    };
    await startOnce(deps.temporal, 'grantLifetime', {
      workflowId: grantWorkflowId(grant.id),
      taskQueue: deps.taskQueue,
      args: [input],
    });
    await markLifetimeStarted(deps.db, grant.id);
  }
  return waiting.length;
}
