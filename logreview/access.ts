// Who may do what with log reviews, and how a refusal is recorded. Admins open reviews (so does the
// monthly schedule); the reviewer group's members and admins review and sign off; auditors read.
// A refusal is a security event like any other, so it goes to the ledger before the error.
import type { AuditActor, AuditSource } from '../audit/events.js';
import { recordAuthRefusal } from '../audit/record-refusal.js';
import { NotAllowedError } from '../core/errors.js';
import type { Executor } from '../db/client.js';
import type { ApiRole } from '../db/queries/api-tokens.js';
import { listGroupKeysOfPerson } from '../db/queries/groups.js';

/** Who acts: their directory record, API role, and where the call came from. */
export type LogReviewActor = {
  personId: string;
  email: string;
  role: ApiRole;
  source?: Partial<AuditSource>;
};

/** The ledger's view of the actor; the schedule acts as the system. */
export function auditActorOf(actor: LogReviewActor | 'schedule'): AuditActor {
  return actor === 'schedule'
    ? { type: 'system', id: 'log-review-schedule' }
    : { type: 'person', id: actor.email, email: actor.email };
}

/**
 * Lets the actor through when their role is one of `roles` or they belong to `group`; otherwise
 * records `security.auth.denied` against the review (or what was asked for) and refuses.
 */
export async function requireLogReviewAccess(
  db: Executor,
  actor: LogReviewActor,
  access: { action: string; target: string; roles: ApiRole[]; group?: string },
): Promise<void> {
  if (access.roles.includes(actor.role)) return;
  if (access.group && (await listGroupKeysOfPerson(db, actor.personId)).includes(access.group)) return;
  const needs = `the ${access.roles.join(' or ')} role${access.group ? ` or membership of the ${access.group} group` : ''}`;
  await recordAuthRefusal(db, {
    actor: auditActorOf(actor),
    target: { type: 'log_review', id: access.target },
    action: access.action,
    reason: `needs ${needs}; the caller has the ${actor.role} role${access.group ? ' and is not a member' : ''}`,
    ...(actor.source ? { source: actor.source } : {}),
  });
  throw new NotAllowedError(`Log reviews: ${access.action} needs ${needs}.`, {
    required: { roles: access.roles, ...(access.group ? { group: access.group } : {}) },
    actual: actor.role,
  });
}
