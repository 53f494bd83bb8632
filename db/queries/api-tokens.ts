import { createHash, randomBytes } from 'node:crypto';
import { and, count, eq, gt, gte, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { type ApiToken, apiTokens, people } from '../schema.js';

/** A role an API token carries. */
export type ApiRole = ApiToken['role'];

/**
 * Who an authenticated API call speaks for: a bearer token's person (`via: 'token'`) or a console
 * session's (`via: 'console'`), with the same fields either way.
 */
export type TokenPrincipal = {
  personId: string;
  email: string;
  name: string;
  role: ApiRole;
  via: 'token' | 'console';
  /** The token's id, for `via: 'token'`. */
  tokenId?: string;
};

/** SHA-256 hex of a token: what is stored and looked up, never the token itself (SCIM tokens too). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a token for a person and returns the secret once; only its hash is stored. */
export async function createApiToken(
  db: Executor,
  input: { personId: string; role: ApiRole; description?: string; expiresAt?: Date },
): Promise<{ token: string; row: ApiToken }> {
  const token = `gf_${randomBytes(32).toString('base64url')}`;
  const [row] = await db
    .insert(apiTokens)
    .values({
      personId: input.personId,
      role: input.role,
      prefix: token.slice(0, 10),
      tokenHash: hashToken(token),
      description: input.description,
      expiresAt: input.expiresAt,
    })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return { token, row };
}

/** The principal behind a token, or undefined if it is unknown, revoked, expired or its person inactive. */
export async function findPrincipalByToken(db: Executor, token: string): Promise<TokenPrincipal | undefined> {
  const [row] = await db
    .select({
      tokenId: apiTokens.id,
      personId: people.id,
      email: people.email,
      name: people.name,
      role: apiTokens.role,
    })
    .from(apiTokens)
    .innerJoin(people, eq(people.id, apiTokens.personId))
    .where(
      and(
        eq(apiTokens.tokenHash, hashToken(token)),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, new Date())),
        eq(people.status, 'active'),
      ),
    )
    .limit(1);
  return row && { ...row, via: 'token' };
}

/** Whether a token (by id) still authenticates; used to reuse the dev admin token across restarts. */
export async function isTokenActive(db: Executor, token: string): Promise<boolean> {
  return (await findPrincipalByToken(db, token)) !== undefined;
}

/**
 * Whether a person holds an unrevoked, unexpired token with `role`: the role a person has outside
 * the API too (Slack asks this before an admin-only action).
 */
export async function personHasRole(db: Executor, personId: string, role: ApiRole): Promise<boolean> {
  const [row] = await db
    .select({ id: apiTokens.id })
    .from(apiTokens)
    .where(
      and(
        eq(apiTokens.personId, personId),
        eq(apiTokens.role, role),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, new Date())),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/**
 * Revokes every live token of a person (a leaver), and returns how many were revoked since
 * `since` (their departure): a retried leaver counts the tokens its first attempt revoked too.
 */
export async function revokeTokensOf(db: Executor, personId: string, since: Date): Promise<number> {
  await db
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.personId, personId), isNull(apiTokens.revokedAt)));
  const [row] = await db
    .select({ n: count() })
    .from(apiTokens)
    .where(and(eq(apiTokens.personId, personId), gte(apiTokens.revokedAt, since)));
  return row?.n ?? 0;
}
