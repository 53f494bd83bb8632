import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { isTokenActive } from '../db/queries/api-tokens.js';
import { groupMembers, groups, people } from '../db/schema.js';
import { issueApiToken } from '../directory/tokens.js';

/**
 * The admin token `grantflow dev` prints: created once for the first member of the `security`
 * group of the example company, kept in the data directory (mode 0600) and reused on every start.
 */
export async function ensureDevAdminToken(
  db: Database,
  dataDir: string,
): Promise<{ token: string; email: string } | undefined> {
  const file = path.join(dataDir, 'dev-admin-token.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { token: string; email: string };
    if (await isTokenActive(db, saved.token)) return saved;
  }
  const [admin] = await db
    .select({ id: people.id, email: people.email })
    .from(people)
    .innerJoin(groupMembers, eq(groupMembers.personId, people.id))
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(eq(groups.key, 'security'))
    .orderBy(asc(people.email))
    .limit(1);
  if (!admin) return undefined;
  const token = await issueApiToken(db, {
    personId: admin.id,
    email: admin.email,
    role: 'admin',
    description: 'grantflow dev: local admin token',
    issuedBy: 'grantflow dev',
  });
  writeFileSync(file, `${JSON.stringify({ token, email: admin.email })}\n`, { mode: 0o600 });
  return { token, email: admin.email };
}
