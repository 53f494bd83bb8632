import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import type { AuditEventInput } from '../../audit/events.js';
import type { LedgerKeys } from '../../audit/keys.js';
import { generateSignerKey, parseSignerKey, parseVerifierKey } from '../../audit/signed-note.js';

/** A valid audit event with overridable fields. */
export function sampleEvent(overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    event_id: randomUUID(),
    occurred_at: new Date().toISOString(),
    event_type: 'access.request.created',
    actor: { type: 'person', id: 'bob@acme.test', email: 'bob@acme.test' },
    source: { service: 'grantflow-test' },
    target: { type: 'entitlement', id: 'payments-db/read' },
    action: 'request',
    result: 'success',
    ...overrides,
  };
}

/** A fresh Ed25519 ledger key pair named `name`, with its signer key text for files and env vars. */
export function testLedgerKeys(name = 'grantflow-test'): LedgerKeys & { signerKey: string } {
  const generated = generateSignerKey(name);
  return {
    signerKey: generated.signerKey,
    signer: parseSignerKey(generated.signerKey),
    verifierKey: generated.verifierKey,
    verifiers: [parseVerifierKey(generated.verifierKey)],
  };
}

/**
 * Edits as a superuser would: lifts every trigger on the audit tables, edits, and puts them back
 * ENABLE ALWAYS, so that only the edit itself is left for the verifier to find.
 */
export async function tamperAsSuperuser(
  ownerSql: postgres.Sql,
  edit: (tx: postgres.TransactionSql) => Promise<unknown>,
): Promise<void> {
  await ownerSql.begin(async (tx) => {
    const triggers = await tx<{ table: string; name: string }[]>`
      select c.relname as table, t.tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where c.relname in ('audit_ledger', 'audit_checkpoint', 'audit_cosignature', 'audit_intake')
        and not t.tgisinternal`;
    for (const { table, name } of triggers) await tx.unsafe(`alter table ${table} disable trigger ${name}`);
    await edit(tx);
    for (const { table, name } of triggers)
      await tx.unsafe(`alter table ${table} enable always trigger ${name}`);
  });
}
