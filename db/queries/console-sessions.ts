// Console sessions and OIDC sign-ins in flight. Both are keyed by the SHA-256 of a random cookie
// value, so the table never holds what a browser presents.
import { randomBytes } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { consoleSessions, consoleSignIns, people } from '../schema.js';
import { type ApiRole, hashToken } from './api-tokens.js';

/** A live session's person and role, with what the console shows about its end. */
export type SessionRecord = {
  idHash: string;
  personId: string;
  email: string;
  name: string;
  role: ApiRole;
  csrfToken: string;
  expiresAt: Date;
  idleExpiresAt: Date;
};

/** What the OIDC callback must check, as stored at /auth/login. */
export type SignInRecord = { state: string; nonce: string; codeVerifier: string; returnTo: string };

const randomValue = () => randomBytes(32).toString('base64url');

/**
 * Opens a session and returns the cookie value (shown once; only its hash is stored). Lapsed
 * sessions are swept here, so the table stays the size of the signed-in population.
 */
export async function createConsoleSession(
  db: Executor,
  input: { personId: string; role: ApiRole; idleSeconds: number; maxSeconds: number },
): Promise<{ cookieValue: string; record: SessionRecord }> {
  await db.delete(consoleSessions).where(lt(consoleSessions.expiresAt, sql`now()`));
  const cookieValue = randomValue();
  const [row] = await db
    .insert(consoleSessions)
    .values({
      idHash: hashToken(cookieValue),
      personId: input.personId,
      role: input.role,
      csrfToken: randomValue(),
      idleSeconds: input.idleSeconds,
      expiresAt: sql`now() + make_interval(secs => ${input.maxSeconds})`,
    })
    .returning({ idHash: consoleSessions.idHash });
  if (!row) throw new Error('insert returned no row');
  const record = await findConsoleSession(db, cookieValue);
  if (!record) throw new Error('the new session could not be read back');
  return { cookieValue, record };
}

/**
 * The live session behind a cookie value, touched (its idle clock restarts); undefined when
 * unknown, past either timeout, or its person is no longer active.
 */
export async function findConsoleSession(
  db: Executor,
  cookieValue: string,
): Promise<SessionRecord | undefined> {
  const idleExpiry = sql<Date>`${consoleSessions.lastSeenAt} + make_interval(secs => ${consoleSessions.idleSeconds})`;
  const [row] = await db
    .update(consoleSessions)
    .set({ lastSeenAt: sql`now()` })
    .from(people)
    .where(
      and(
        eq(consoleSessions.idHash, hashToken(cookieValue)),
        eq(people.id, consoleSessions.personId),
        eq(people.status, 'active'),
        gt(consoleSessions.expiresAt, sql`now()`),
        gt(idleExpiry, sql`now()`),
      ),
    )
    .returning({
      idHash: consoleSessions.idHash,
      personId: people.id,
      email: people.email,
      name: people.name,
      role: consoleSessions.role,
      csrfToken: consoleSessions.csrfToken,
      expiresAt: consoleSessions.expiresAt,
      idleSeconds: consoleSessions.idleSeconds,
    });
  if (!row) return undefined;
  const { idleSeconds, ...record } = row;
  // lastSeenAt is now(): the idle end is now + idle, never past the absolute end.
  const idleEnd = Math.min(Date.now() + idleSeconds * 1000, row.expiresAt.getTime());
  return { ...record, idleExpiresAt: new Date(idleEnd) };
}

/** Ends a session (logout); returns whether there was one. */
export async function deleteConsoleSession(db: Executor, idHash: string): Promise<boolean> {
  const rows = await db
    .delete(consoleSessions)
    .where(eq(consoleSessions.idHash, idHash))
    .returning({ idHash: consoleSessions.idHash });
  return rows.length > 0;
}

/** Stores a sign-in in flight for `ttlSeconds` and returns the cookie value that names it. */
export async function createSignIn(db: Executor, record: SignInRecord, ttlSeconds: number): Promise<string> {
  await db.delete(consoleSignIns).where(lt(consoleSignIns.expiresAt, sql`now()`));
  const handle = randomValue();
  await db.insert(consoleSignIns).values({
    handleHash: hashToken(handle),
    ...record,
    expiresAt: sql`now() + make_interval(secs => ${ttlSeconds})`,
  });
  return handle;
}

/** Takes a sign-in in flight (deleting it: a callback can be used once); undefined when unknown or lapsed. */
export async function takeSignIn(db: Executor, handle: string): Promise<SignInRecord | undefined> {
  const [row] = await db
    .delete(consoleSignIns)
    .where(eq(consoleSignIns.handleHash, hashToken(handle)))
    .returning();
  if (!row || row.expiresAt.getTime() <= Date.now()) return undefined;
  return { state: row.state, nonce: row.nonce, codeVerifier: row.codeVerifier, returnTo: row.returnTo };
}
