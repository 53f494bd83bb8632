// Console sign-in and sign-out as use cases: who an IdP's verified identity is in the directory,
// which role the directory gives them, and the ledger record of every start, refusal and end.
import type { AuditSource } from '../audit/events.js';
import { recordAudit } from '../audit/intake.js';
import { GrantflowError } from '../core/errors.js';
import type { Database } from '../db/client.js';
import type { ApiRole } from '../db/queries/api-tokens.js';
import {
  createConsoleSession,
  deleteConsoleSession,
  type SessionRecord,
} from '../db/queries/console-sessions.js';
import { listGroupKeysOfPerson } from '../db/queries/groups.js';
import { getPersonByEmail } from '../db/queries/people.js';

/** How the directory maps to console roles, and how long sessions last. */
export type ConsoleSessionPolicy = {
  adminGroups: readonly string[];
  auditorGroups: readonly string[];
  idleSeconds: number;
  maxSeconds: number;
};

/** The identity the IdP vouched for (signature, issuer, audience, nonce already checked). */
export type VerifiedIdentity = {
  issuer: string;
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
};

/** A sign-in refused for who the person is (403); the ledger has the record. */
class SignInRefusedError extends GrantflowError {
  constructor(code: 'unknown_person' | 'inactive_person' | 'email_unverified', message: string) {
    super('sign_in_refused', message, { status: 403, details: { reason: code } });
  }
}

const TARGET = { type: 'console_session', id: 'console' } as const;

/** Admin if in an admin group, else auditor if in an auditor group, else employee. */
export function consoleRoleOf(groupKeys: readonly string[], policy: ConsoleSessionPolicy): ApiRole {
  if (groupKeys.some((key) => policy.adminGroups.includes(key))) return 'admin';
  if (groupKeys.some((key) => policy.auditorGroups.includes(key))) return 'auditor';
  return 'employee';
}

/**
 * Opens a console session for the active directory person with the identity's verified email,
 * recording `auth.session.started`; anyone else is refused and recorded (`auth.session.refused`).
 */
async function startConsoleSession(
  db: Database,
  policy: ConsoleSessionPolicy,
  identity: VerifiedIdentity,
  source: Partial<AuditSource>,
): Promise<{ cookieValue: string; session: SessionRecord }> {
  const email = identity.email;
  const refuse = async (
    code: 'unknown_person' | 'inactive_person' | 'email_unverified',
    message: string,
  ): Promise<never> => {
    await recordAudit(
      db,
      {
        event_type: 'auth.session.refused',
        actor: email
          ? { type: 'person', id: email, email }
          : { type: 'person', id: `${identity.issuer}#${identity.subject}`.slice(0, 512) },
        target: TARGET,
        action: 'sign_in',
        result: 'denied',
        reason: message,
        details: { code, issuer: identity.issuer, subject: identity.subject },
      },
      { source: consoleSource(source) },
    );
    throw new SignInRefusedError(code, message);
  };
  if (!email) return refuse('unknown_person', 'The identity provider gave no email address.');
  if (!identity.emailVerified) {
    return refuse('email_unverified', `The identity provider has not verified ${email}.`);
  }
  const person = await getPersonByEmail(db, email);
  if (!person) return refuse('unknown_person', `Nobody with the email ${email} is in the directory.`);
  if (person.status !== 'active') {
    return refuse('inactive_person', `${email} is no longer active in the directory.`);
  }
  const role = consoleRoleOf(await listGroupKeysOfPerson(db, person.id), policy);
  const { cookieValue, record } = await createConsoleSession(db, {
    personId: person.id,
    role,
    idleSeconds: policy.idleSeconds,
    maxSeconds: policy.maxSeconds,
  });
  await recordAudit(
    db,
    {
      event_type: 'auth.session.started',
      actor: { type: 'person', id: person.email, email: person.email },
      target: TARGET,
      action: 'sign_in',
      result: 'success',
      details: { role, expires_at: record.expiresAt.toISOString(), issuer: identity.issuer },
    },
    { source: consoleSource(source) },
  );
  return { cookieValue, session: record };
}

/**
 * The callback's use case: runs the IdP exchange, recording a failed one (bad or replayed state,
 * lapsed sign-in, the IdP's own error) as `auth.session.refused`, then starts the session.
 */
export async function finishConsoleSignIn(
  db: Database,
  policy: ConsoleSessionPolicy,
  exchange: () => Promise<VerifiedIdentity>,
  source: Partial<AuditSource>,
): Promise<{ cookieValue: string; session: SessionRecord }> {
  let identity: VerifiedIdentity;
  try {
    identity = await exchange();
  } catch (error) {
    await recordAudit(
      db,
      {
        event_type: 'auth.session.refused',
        actor: { type: 'person', id: 'unidentified' },
        target: TARGET,
        action: 'sign_in',
        result: 'failure',
        reason: (error as Error).message.slice(0, 2_000) || 'the OpenID Connect exchange failed',
        details: { code: error instanceof GrantflowError ? error.code : 'exchange_failed' },
      },
      { source: consoleSource(source) },
    );
    throw error;
  }
  return startConsoleSession(db, policy, identity, source);
}

/** Deletes the session (logout, or `reason` when the system ends it) and records `auth.session.ended`. */
export async function endConsoleSession(
  db: Database,
  session: Pick<SessionRecord, 'idHash' | 'email'>,
  source: Partial<AuditSource>,
  reason?: string,
): Promise<void> {
  if (!(await deleteConsoleSession(db, session.idHash))) return;
  await recordAudit(
    db,
    {
      event_type: 'auth.session.ended',
      actor: reason
        ? { type: 'system', id: 'grantflow-api' }
        : { type: 'person', id: session.email, email: session.email },
      target: { ...TARGET, name: session.email },
      action: reason ? 'end_session' : 'sign_out',
      result: 'success',
      ...(reason ? { reason } : {}),
    },
    { source: consoleSource(source) },
  );
}

/**
 * Whether the session's role is still the one the directory gives: a person taken out of an admin
 * group loses the console's admin role at their next request, not at the session's end. A session
 * whose role changed is ended (recorded), so the next sign-in takes the new role.
 */
export async function sessionRoleHolds(
  db: Database,
  policy: ConsoleSessionPolicy,
  session: Pick<SessionRecord, 'idHash' | 'email' | 'personId' | 'role'>,
  source: Partial<AuditSource>,
): Promise<boolean> {
  const role = consoleRoleOf(await listGroupKeysOfPerson(db, session.personId), policy);
  if (role === session.role) return true;
  await endConsoleSession(db, session, source, `the directory now gives ${role}, not ${session.role}`);
  return false;
}

/** Console events name the console as their service, whatever the request's source said. */
function consoleSource(source: Partial<AuditSource>): Partial<AuditSource> {
  return { ...source, service: 'grantflow-console' };
}
