// SCIM connections: one bearer token per identity provider, stored as a SHA-256 only (the same
// hashing as API tokens), revoked by stamping the row so it stays as the record.
import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { type ScimConnection, scimConnections } from '../schema.js';
import { hashToken } from './api-tokens.js';

/** Creates a live connection and returns its token once; only the hash is stored. */
export async function insertScimConnection(
  db: Executor,
  input: { name: string; createdBy: string },
): Promise<{ token: string; row: ScimConnection }> {
  const token = `gfscim_${randomBytes(32).toString('base64url')}`;
  const [row] = await db
    .insert(scimConnections)
    .values({
      name: input.name,
      prefix: token.slice(0, 14),
      tokenHash: hashToken(token),
      createdBy: input.createdBy,
    })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return { token, row };
}

/** The live (unrevoked) connection with this name, if any. */
export async function getLiveScimConnection(db: Executor, name: string): Promise<ScimConnection | undefined> {
  const [row] = await db
    .select()
    .from(scimConnections)
    .where(and(eq(scimConnections.name, name), isNull(scimConnections.revokedAt)));
  return row;
}

/**
 * The live connection a bearer token belongs to, stamping `last_used_at` (at most once a minute, so
 * a busy IdP does not turn every read into a write).
 */
export async function findScimConnectionByToken(
  db: Executor,
  token: string,
): Promise<ScimConnection | undefined> {
  const [row] = await db
    .select()
    .from(scimConnections)
    .where(and(eq(scimConnections.tokenHash, hashToken(token)), isNull(scimConnections.revokedAt)));
  if (!row) return undefined;
  await db
    .update(scimConnections)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(scimConnections.id, row.id),
        or(
          isNull(scimConnections.lastUsedAt),
          lt(scimConnections.lastUsedAt, sql`now() - interval '1 minute'`),
        ),
      ),
    );
  return row;
}

/** Every connection, live and revoked, by name and newest first. */
export async function listScimConnections(db: Executor): Promise<ScimConnection[]> {
  return db
    .select()
    .from(scimConnections)
    .orderBy(asc(scimConnections.name), desc(scimConnections.createdAt));
}

/** Revokes the live connection with this name; undefined when there is none. */
export async function revokeScimConnection(db: Executor, name: string): Promise<ScimConnection | undefined> {
  const [row] = await db
    .update(scimConnections)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(scimConnections.name, name), isNull(scimConnections.revokedAt)))
    .returning();
  return row;
}
