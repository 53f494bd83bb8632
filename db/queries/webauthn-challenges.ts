import { and, eq, lt, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { webauthnChallenges } from '../schema.js';

/** Remembers a registration challenge handed to `personId` until `expiresAt`; prunes their expired ones. */
export async function insertWebauthnChallenge(
  db: Executor,
  input: { personId: string; challenge: string; expiresAt: Date },
): Promise<void> {
  await db
    .delete(webauthnChallenges)
    .where(
      and(eq(webauthnChallenges.personId, input.personId), lt(webauthnChallenges.expiresAt, sql`now()`)),
    );
  await db.insert(webauthnChallenges).values(input);
}

/**
 * Consumes a registration challenge: true when `personId` was handed `challenge` and it has not
 * expired. Deleted either way, so an answer is accepted once.
 */
export async function takeWebauthnChallenge(
  db: Executor,
  personId: string,
  challenge: string,
): Promise<boolean> {
  const taken = await db
    .delete(webauthnChallenges)
    .where(and(eq(webauthnChallenges.personId, personId), eq(webauthnChallenges.challenge, challenge)))
    .returning({ expiresAt: webauthnChallenges.expiresAt });
  return taken.some((row) => row.expiresAt.getTime() > Date.now());
}
