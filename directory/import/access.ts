// The `access` section of a directory file: access people already hold when grantflow takes over.
// Each line becomes a grant from `import`, recorded in the ledger with who imported it; the worker
// then hands it to a `grantLifetime` workflow, so it expires, is released or revoked like any other.
import { randomUUID } from 'node:crypto';
import { appendToIntake, completeEvent } from '../../audit/intake.js';
import type { Transaction } from '../../db/client.js';
import { listAllEntitlements } from '../../db/queries/entitlements.js';
import { insertGrant, listActiveHoldings } from '../../db/queries/grants.js';
import type { DirectoryAccess } from '../file-schema.js';
import type { ImportReport } from './report.js';

/**
 * Adds a grant for every line whose holder does not already hold that entitlement (from any
 * source), so importing the same file twice changes nothing. Active imported grants the file no
 * longer lists are reported in `accessNotInFile`, never revoked.
 */
export async function applyAccess(
  tx: Transaction,
  lines: DirectoryAccess[],
  personId: (email: string) => string,
  report: ImportReport,
): Promise<void> {
  const held = await listActiveHoldings(tx);
  const heldPairs = new Set(held.map((grant) => pairOf(grant.holderEmail, grant.entitlementRef)));
  const entitlementIds = new Map(
    (await listAllEntitlements(tx)).map((entitlement) => [
      `${entitlement.resourceKey}/${entitlement.key}`,
      entitlement.id,
    ]),
  );
  const events = [];
  for (const line of lines) {
    const pair = pairOf(line.person, line.entitlement);
    if (heldPairs.has(pair)) {
      report.access.unchanged += 1;
      continue;
    }
    const entitlementId = entitlementIds.get(line.entitlement);
    if (!entitlementId) throw new Error(`bug: entitlement ${line.entitlement} was not imported`);
    const grantId = randomUUID();
    await insertGrant(tx, {
      id: grantId,
      personId: personId(line.person),
      entitlementId,
      source: 'import',
      grantedAt: line.since,
      expiresAt: line.until ?? null,
    });
    heldPairs.add(pair);
    report.access.added.push(pair);
    events.push(
      completeEvent({
        event_type: 'access.grant.imported',
        actor: { type: 'system', id: report.actor },
        target: { type: 'entitlement', id: line.entitlement },
        action: 'import',
        result: 'success',
        correlation: { grant_id: grantId },
        details: {
          holder: line.person,
          since: line.since.toISOString(),
          until: line.until?.toISOString() ?? null,
          ...(line.note ? { note: line.note } : {}),
          source_file: report.fileName,
          source_sha256: report.sourceHash,
        },
      }),
    );
  }
  const listed = new Set(lines.map((line) => pairOf(line.person, line.entitlement)));
  report.accessNotInFile = held
    .filter((grant) => grant.source === 'import')
    .map((grant) => pairOf(grant.holderEmail, grant.entitlementRef))
    .filter((pair) => !listed.has(pair))
    .sort();
  await appendToIntake(
    tx,
    events.map((event) => ({ idempotencyKey: event.event_id, event })),
  );
}

function pairOf(email: string, entitlementRef: string): string {
  return `${email} ${entitlementRef}`;
}
