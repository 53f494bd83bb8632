import { recordAudit } from '../audit/intake.js';
import type { Database } from '../db/client.js';
import { type ApiRole, createApiToken } from '../db/queries/api-tokens.js';

/**
 * Issues an API token and records `config.token.created` in the same transaction, so no token
 * exists that the ledger does not know about. The secret itself never reaches the ledger.
 */
export async function issueApiToken(
  db: Database,
  input: { personId: string; email: string; role: ApiRole; description?: string; issuedBy: string },
): Promise<string> {
  return db.transaction(async (tx) => {
    const { token, row } = await createApiToken(tx, input);
    await recordAudit(tx, {
      event_type: 'config.token.created',
      actor: { type: 'system', id: input.issuedBy },
      target: { type: 'api_token', id: row.id, name: row.prefix },
      action: 'create',
      result: 'success',
      details: { before: null, after: { person: input.email, role: input.role, prefix: row.prefix } },
    });
    return token;
  });
}
