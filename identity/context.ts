// What the identity use cases share: their dependencies, the connection acting (as the ledger names
// it), the source-of-truth rule, and the recording of refused changes.

import type { AuditActor, AuditEventType, AuditSource } from '../audit/events.js';
import { recordAudit } from '../audit/intake.js';
import { NotAllowedError } from '../core/errors.js';
import type { Database, Transaction } from '../db/client.js';
import type { LifecycleHook } from './lifecycle.js';

/** What the identity use cases need. */
export type IdentityDeps = {
  db: Database;
  /** Told about joiners, movers and leavers after each change commits (see lifecycle.ts). */
  onLifecycle?: LifecycleHook;
};

/** The SCIM connection a change comes from, and where the call came from (IP, user agent). */
export type ScimActor = { connection: string; source?: Partial<AuditSource> };

/** The source a connection's people and groups carry: `scim:<connection>`. */
export const sourceOf = (actor: ScimActor) => `scim:${actor.connection}`;

/** The connection as the ledger records it. */
const auditActorOf = (actor: ScimActor): AuditActor => ({ type: 'scim', id: actor.connection });

/** The event source for a change by `actor`. */
const eventSource = (actor: ScimActor): Partial<AuditSource> => ({
  service: 'grantflow-scim',
  ...actor.source,
});

/** Records a change `actor` made to a person or group, in the change's own transaction. */
export async function recordIdentityChange(
  tx: Transaction,
  actor: ScimActor,
  change: {
    type: AuditEventType;
    action: string;
    target: { type: 'person' | 'group'; id: string; name: string };
    details: Record<string, unknown>;
  },
): Promise<void> {
  await recordAudit(
    tx,
    {
      event_type: change.type,
      actor: auditActorOf(actor),
      target: change.target,
      action: change.action,
      result: 'success',
      details: change.details,
    },
    { source: eventSource(actor) },
  );
}

/** A change refused because the record belongs to another source; recorded, then answered 403. */
class OtherSourceError extends NotAllowedError {
  constructor(
    readonly target: { type: 'person' | 'group'; id: string; name: string },
    readonly owner: string,
  ) {
    super(`${target.type} ${target.name} is managed by ${owner}; this connection may not change it`, {
      owner,
    });
  }
}

/**
 * Whether `actor` may change a record of `source`: its own, or one from the directory file (which
 * it then takes over). Another connection's records are refused.
 */
export function assertMayManage(
  actor: ScimActor,
  record: { id: string; source: string },
  target: { type: 'person' | 'group'; name: string },
): void {
  if (record.source === sourceOf(actor) || record.source === 'file') return;
  throw new OtherSourceError({ ...target, id: record.id }, record.source);
}

/** Runs a change; a refusal for another source is recorded in the ledger (outside the rolled-back work). */
export async function refusalsRecorded<T>(
  deps: IdentityDeps,
  actor: ScimActor,
  action: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof OtherSourceError) {
      await recordAudit(
        deps.db,
        {
          event_type: 'identity.change.refused',
          actor: auditActorOf(actor),
          target: { type: error.target.type, id: error.target.id, name: error.target.name },
          action,
          result: 'denied',
          reason: error.message,
          details: { managed_by: error.owner, attempted_by: sourceOf(actor) },
        },
        { source: eventSource(actor) },
      );
    }
    throw error;
  }
}

/** The constraint a PostgreSQL unique violation names, or undefined for any other error. */
export function uniqueViolation(error: unknown): string | undefined {
  for (let e = error as { code?: string; constraint_name?: string; cause?: unknown } | undefined; e; ) {
    if (e.code === '23505') return e.constraint_name ?? 'unique';
    e = e.cause as typeof e;
  }
  return undefined;
}
