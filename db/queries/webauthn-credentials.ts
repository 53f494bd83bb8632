import { asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { type WebauthnCredential, webauthnCredentials } from '../schema.js';

/** Columns a new passkey row needs. */
export type NewWebauthnCredential = typeof webauthnCredentials.$inferInsert;

/** Stores a registered passkey and returns the row. */
export async function insertWebauthnCredential(
  db: Executor,
  row: NewWebauthnCredential,
): Promise<WebauthnCredential> {
  const [inserted] = await db.insert(webauthnCredentials).values(row).returning();
  if (!inserted) throw new Error('insert returned no row');
  return inserted;
}

/** A person's passkeys, oldest first. */
export async function listWebauthnCredentials(db: Executor, personId: string): Promise<WebauthnCredential[]> {
  return db
    .select()
    .from(webauthnCredentials)
    .where(eq(webauthnCredentials.personId, personId))
    .orderBy(asc(webauthnCredentials.createdAt), asc(webauthnCredentials.id));
}

/** The passkey with this credential id (base64url), whoever it belongs to. */
export async function getWebauthnCredential(
  db: Executor,
  credentialId: string,
): Promise<WebauthnCredential | undefined> {
  const [row] = await db
    .select()
    .from(webauthnCredentials)
    .where(eq(webauthnCredentials.credentialId, credentialId));
  return row;
}

/**
 * Records a use: the new signature counter and when. Only moves the counter forward (or keeps it
 * at 0 for authenticators that do not count), so a concurrent older use cannot roll it back.
 */
export async function recordWebauthnUse(db: Executor, id: string, counter: number): Promise<void> {
  await db
    .update(webauthnCredentials)
    .set({ counter: sql`greatest(${webauthnCredentials.counter}, ${counter})`, lastUsedAt: sql`now()` })
    .where(eq(webauthnCredentials.id, id));
}
